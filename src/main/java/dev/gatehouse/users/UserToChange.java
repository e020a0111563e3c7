package dev.gatehouse.users;

import java.util.Set;

/**
 * A member an admin is changing, with the permissions their roles give in this tenant (the escalation guard
 * needs both), whether the account belongs to another tenant too (then it is not this admin's to edit), and
 * whether this tenant proved the domain of its email (then it is: the tenant manages its domain's accounts).
 */
public record UserToChange(Member member, Set<String> permissions, boolean sharedWithOtherTenants, boolean managedByTenant) {
}
