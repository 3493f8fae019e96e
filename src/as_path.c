/* as_path.c: not yet written (placeholder, replaced in this change set) */
typedef int as_path_placeholder;
