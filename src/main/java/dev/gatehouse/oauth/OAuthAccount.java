package dev.gatehouse.oauth;

import dev.gatehouse.access.Role;
import java.util.List;
import java.util.UUID;

/**
 * An account with one membership, as the OAuth sign-in needs it: one projection, never the entities.
 * {@code membershipActive}: the membership and its tenant are both active.
 */
public record OAuthAccount(UUID userId, UUID tenantId, int tokenVersion, List<String> roles, boolean active,
                           boolean membershipActive) {

    /** The constructor the query calls: role names arrive as one comma-separated aggregate (null for none). */
    public OAuthAccount(UUID userId, UUID tenantId, int tokenVersion, String roleList, boolean active,
                        boolean membershipActive) {
        this(userId, tenantId, tokenVersion, Role.names(roleList), active, membershipActive);
    }
}
