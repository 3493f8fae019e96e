/* originate.c: not yet written (placeholder, replaced in this change set) */
typedef int originate_placeholder;
