package dev.gatehouse.sso;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's identity provider as the sign-in uses it: the OIDC client secret opened, the SAML certificates
 * parsed, the SAML request-signing key opened. Never logged whole (toString names it only).
 */
public record SsoConnection(UUID id, UUID tenantId, String name, String protocol, boolean enabled,
                            String oidcIssuer, String oidcClientId, String oidcClientSecret, String oidcScopes,
                            String samlIdpEntityId, String samlIdpSsoUrl, List<X509Certificate> samlIdpCertificates,
                            SamlSpKey samlSpKey,
                            String emailAttribute, String nameAttribute, String groupsAttribute,
                            List<UUID> defaultRoleIds, Map<String, List<UUID>> groupRoles, boolean trustIdpMfa,
                            Instant updatedAt) {

    public static final String OIDC = "oidc";
    public static final String SAML = "saml";

    public boolean oidc() {
        return OIDC.equals(protocol);
    }

    @Override
    public String toString() {
        return "SsoConnection[" + id + ", " + protocol + ", tenant " + tenantId + "]";
    }
}
