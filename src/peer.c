/* peer.c: not yet written (placeholder, replaced in this change set) */
typedef int peer_placeholder;
