package dev.gatehouse.signin;

import dev.gatehouse.access.Role;
import dev.gatehouse.mfa.TenantMfaPolicies;
import dev.gatehouse.tenants.SsoRequirement;
import dev.gatehouse.tenants.TenantSummary;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One membership of an account, as a login (or switch-tenant) needs it: a projection, not the entities. The
 * account's fields repeat on each of its memberships; so do whether it has MFA on and the tenant's MFA policy.
 * {@code sso}: whether the tenant requires single sign-on of the account (its email's domain), or it is a
 * break-glass admin there.
 */
public record LoginCandidate(UUID userId, String passwordHash, int tokenVersion, boolean accountActive,
                             boolean emailVerified, TenantSummary tenant, boolean membershipActive, boolean tenantActive,
                             List<String> roles, Instant lastUsedAt, Instant joinedAt, boolean mfaEnrolled,
                             boolean mfaRequiredOfAll, List<String> mfaRequiredPermissions, SsoRequirement.Verdict sso) {

    /** The constructor the query calls: role names arrive as one comma-separated aggregate (null for none). */
    public LoginCandidate(UUID userId, String passwordHash, int tokenVersion, boolean accountActive,
                          boolean emailVerified, UUID tenantId,
                          String slug, String tenantName, boolean membershipActive, boolean tenantActive,
                          String roleList, Instant lastUsedAt, Instant joinedAt, boolean mfaEnrolled,
                          boolean mfaRequiredOfAll, String mfaRequiredPermissions, int ssoVerdict) {
        this(userId, passwordHash, tokenVersion, accountActive, emailVerified, new TenantSummary(tenantId, slug, tenantName),
                membershipActive, tenantActive, Role.names(roleList), lastUsedAt, joinedAt, mfaEnrolled, mfaRequiredOfAll,
                TenantMfaPolicies.permissionList(mfaRequiredPermissions), SsoRequirement.verdict(ssoVerdict));
    }

    /** Account, membership and tenant all active. */
    public boolean usable() {
        return accountActive && membershipActive && tenantActive;
    }
}
