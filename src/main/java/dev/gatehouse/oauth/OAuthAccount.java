package dev.gatehouse.oauth;

import dev.gatehouse.access.Role;
import dev.gatehouse.mfa.TenantMfaPolicies;
import dev.gatehouse.tenants.SsoRequirement;
import java.util.List;
import java.util.UUID;

/**
 * An account with one membership, as the OAuth sign-in needs it: one projection, never the entities.
 * {@code membershipActive}: the membership and its tenant are both active. The MFA fields say whether a
 * second factor is due, as in a password login; {@code sso} whether the tenant requires single sign-on of it.
 */
public record OAuthAccount(UUID userId, UUID tenantId, int tokenVersion, List<String> roles, boolean active,
                           String email, boolean emailVerified, boolean membershipActive, boolean mfaEnrolled, boolean mfaRequiredOfAll,
                           List<String> mfaRequiredPermissions, SsoRequirement.Verdict sso) {

    /** The constructor the query calls: role names arrive as one comma-separated aggregate (null for none). */
    public OAuthAccount(UUID userId, UUID tenantId, int tokenVersion, String roleList, boolean active, String email,
                        boolean emailVerified, boolean membershipActive, boolean mfaEnrolled, boolean mfaRequiredOfAll,
                        String mfaRequiredPermissions, int ssoVerdict) {
        this(userId, tenantId, tokenVersion, Role.names(roleList), active, email, emailVerified, membershipActive, mfaEnrolled,
                mfaRequiredOfAll, TenantMfaPolicies.permissionList(mfaRequiredPermissions), SsoRequirement.verdict(ssoVerdict));
    }
}
