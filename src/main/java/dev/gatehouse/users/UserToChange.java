package dev.gatehouse.users;

import java.util.Set;

/**
 * A member an admin is changing, with the permissions their roles give in this tenant (the escalation guard
 * needs both) and whether the account belongs to another tenant too (then it is not this admin's to edit).
 */
public record UserToChange(Member member, Set<String> permissions, boolean sharedWithOtherTenants) {
}
