/* attr.c: not yet written (placeholder, replaced in this change set) */
typedef int attr_placeholder;
