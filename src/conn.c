/* conn.c: not yet written (placeholder, replaced in this change set) */
typedef int conn_placeholder;
