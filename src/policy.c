/* policy.c: not yet written (placeholder, replaced in this change set) */
typedef int policy_placeholder;
