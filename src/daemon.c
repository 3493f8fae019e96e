/* daemon.c: not yet written (placeholder, replaced in this change set) */
typedef int daemon_placeholder;
