/* adjout.c: not yet written (placeholder, replaced in this change set) */
typedef int adjout_placeholder;
