/* rib.c: not yet written (placeholder, replaced in this change set) */
typedef int rib_placeholder;
