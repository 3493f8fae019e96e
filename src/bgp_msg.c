/* bgp_msg.c: not yet written (placeholder, replaced in this change set) */
typedef int bgp_msg_placeholder;
