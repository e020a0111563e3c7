package dev.gatehouse.sso;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The bodies of /api/v1/sso/connections. */
public final class ConnectionRecords {

    private ConnectionRecords() {
    }

    /**
     * A connection as written (POST creates, PUT replaces). {@code oidc} for protocol oidc, {@code saml} for saml.
     * {@code defaultRoleIds}: the roles of a membership made at its first sign-in; {@code groupRoles}: more roles
     * for members of these IdP groups. Each role must be one the writer may hand out (the escalation rules).
     */
    public record ConnectionRequest(
            @NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = "oidc|saml", message = "must be oidc or saml") String protocol,
            Boolean enabled,
            @Valid OidcSettings oidc,
            @Valid SamlIdp saml,
            @Valid AttributeNames attributes,
            @Size(max = 50) List<@NotBlank String> defaultRoleIds,
            @Size(max = 100) Map<@NotBlank @Size(max = 200) String, @NotNull @Size(max = 20) List<@NotBlank String>> groupRoles,
            Boolean trustIdpMfa) {
    }

    /** {@code clientSecret}: write-only; on replace, absent keeps the stored one. */
    public record OidcSettings(@NotBlank @Size(max = 500) String issuer, @NotBlank @Size(max = 255) String clientId,
                               @Size(max = 500) String clientSecret, @Size(max = 500) String scopes) {
        @Override
        public String toString() {
            return "OidcSettings[" + issuer + ", " + clientId + "]"; // never the secret
        }
    }

    /**
     * The IdP's side of a SAML connection: its metadata XML or the URL to read it from (once, now), or its entity
     * id, SSO URL (HTTP-Redirect binding) and signing certificates (PEM; two during a rollover).
     */
    public record SamlIdp(@Size(max = 200_000) String metadataXml, @Size(max = 1000) String metadataUrl,
                          @Size(max = 500) String entityId,
                          @Size(max = 1000) String ssoUrl, @Size(max = 2) List<@NotBlank @Size(max = 10_000) String> certificates) {
    }

    /** Which claims (OIDC) or attributes (SAML) carry the email, the name and the groups. */
    public record AttributeNames(@Size(max = 200) String email, @Size(max = 200) String name,
                                 @Size(max = 200) String groups) {
    }

    /** What the IdP's administrator enters on their side. */
    public record ServiceProvider(String redirectUri, String entityId, String acsUrl, String metadataUrl) {
    }

    public record ConnectionResponse(UUID id, String name, String protocol, boolean enabled, OidcView oidc,
                                     SamlIdpView saml, AttributeNames attributes, List<UUID> defaultRoleIds,
                                     Map<String, List<UUID>> groupRoles, boolean trustIdpMfa,
                                     ServiceProvider serviceProvider, Instant createdAt, Instant updatedAt) {
    }

    /** No secret: only whether one is set. */
    public record OidcView(String issuer, String clientId, boolean clientSecretSet, String scopes) {
    }

    /** The certificates with their expiry, so an admin sees a rollover coming. */
    public record SamlIdpView(String entityId, String ssoUrl, List<CertificateView> certificates) {
    }

    public record CertificateView(String subject, Instant notAfter, String fingerprintSha256) {
    }

    public record ConnectionList(List<ConnectionResponse> items) {
    }
}
