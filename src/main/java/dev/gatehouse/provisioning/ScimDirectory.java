package dev.gatehouse.provisioning;

import dev.gatehouse.caller.Permissions;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * The directory a SCIM request comes from: its token, the tenant the token names, and what the token's creator
 * held when creating it. A directory changes only members that creator could have changed: nobody provisions
 * their way past the escalation rules (CallerView.mayChange for people).
 */
record ScimDirectory(UUID tokenId, UUID tenantId, boolean creatorSuperuser, Set<String> creatorPermissions) {

    boolean mayChange(boolean targetSuperuser, Collection<String> targetPermissions) {
        if (creatorSuperuser) {
            return true;
        }
        return !targetSuperuser && targetPermissions.stream().allMatch(p -> Permissions.implies(creatorPermissions, p));
    }
}
