/* output_json.c: not yet written (placeholder, replaced in this change set) */
typedef int output_json_placeholder;
