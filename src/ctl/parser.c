/* parser.c: not yet written (placeholder, replaced in this change set) */
typedef int parser_placeholder;
