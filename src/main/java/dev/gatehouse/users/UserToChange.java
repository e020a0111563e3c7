package dev.gatehouse.users;

import java.util.Set;

/** A user an admin is changing, with the permissions their roles give: the escalation guard needs both. */
public record UserToChange(User user, Set<String> permissions) {
}
