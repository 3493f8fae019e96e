/* session.c: not yet written (placeholder, replaced in this change set) */
typedef int session_placeholder;
