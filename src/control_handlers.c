/* control_handlers.c: not yet written (placeholder, replaced in this change set) */
typedef int control_handlers_placeholder;
