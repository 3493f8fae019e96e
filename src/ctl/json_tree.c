/* json_tree.c: not yet written (placeholder, replaced in this change set) */
typedef int json_tree_placeholder;
