/* fib.c: not yet written (placeholder, replaced in this change set) */
typedef int fib_placeholder;
