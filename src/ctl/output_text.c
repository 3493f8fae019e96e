/* output_text.c: not yet written (placeholder, replaced in this change set) */
typedef int output_text_placeholder;
