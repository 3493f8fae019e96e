/* printconf.c: not yet written (placeholder, replaced in this change set) */
typedef int printconf_placeholder;
