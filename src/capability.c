/* capability.c: not yet written (placeholder, replaced in this change set) */
typedef int capability_placeholder;
