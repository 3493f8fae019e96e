/* config.c: not yet written (placeholder, replaced in this change set) */
typedef int config_placeholder;
