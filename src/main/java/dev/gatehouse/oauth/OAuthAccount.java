package dev.gatehouse.oauth;

import dev.gatehouse.access.Role;
import java.util.List;
import java.util.UUID;

/** An account as the OAuth sign-in needs it: one projection, never the entity with its tenant and roles. */
public record OAuthAccount(UUID userId, UUID tenantId, int tokenVersion, List<String> roles, boolean active,
                           boolean tenantActive) {

    /** The constructor the query calls: role names arrive as one comma-separated aggregate (null for none). */
    public OAuthAccount(UUID userId, UUID tenantId, int tokenVersion, String roleList, boolean active,
                        boolean tenantActive) {
        this(userId, tenantId, tokenVersion, Role.names(roleList), active, tenantActive);
    }
}
