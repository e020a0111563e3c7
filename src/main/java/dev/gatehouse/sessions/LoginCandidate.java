package dev.gatehouse.sessions;

import dev.gatehouse.access.Role;
import java.util.List;
import java.util.UUID;

/** What a login needs to know about one account matching the email: a projection, not the entity. */
public record LoginCandidate(UUID userId, UUID tenantId, String passwordHash, int tokenVersion, List<String> roles,
                             boolean active, boolean tenantActive) {

    /** The constructor the query calls: role names arrive as one comma-separated aggregate (null for none). */
    public LoginCandidate(UUID userId, UUID tenantId, String passwordHash, int tokenVersion, String roleList,
                          boolean active, boolean tenantActive) {
        this(userId, tenantId, passwordHash, tokenVersion, Role.names(roleList),
                active, tenantActive);
    }
}
