/* json_writer.c: not yet written (placeholder, replaced in this change set) */
typedef int json_writer_placeholder;
