/* decide.c: not yet written (placeholder, replaced in this change set) */
typedef int decide_placeholder;
