/* control.c: not yet written (placeholder, replaced in this change set) */
typedef int control_placeholder;
