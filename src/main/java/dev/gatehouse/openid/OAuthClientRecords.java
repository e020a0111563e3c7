package dev.gatehouse.openid;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The bodies of /api/v1/admin/oauth-clients. */
public final class OAuthClientRecords {

    private OAuthClientRecords() {
    }

    /**
     * A client to register. {@code kind}: public (a single-page or native app: PKCE, no secret) or confidential
     * (a server: a secret too). {@code grantTypes}: authorization_code, and refresh_token if it may keep a session.
     * {@code jwks}: a confidential client's public keys ({"keys": [...]}), for private_key_jwt.
     * {@code backchannelLogoutUri}: where its logout tokens go (OpenID Connect Back-Channel Logout), if anywhere.
     */
    public record NewClient(
            @NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = "public|confidential", message = "must be public or confidential") String kind,
            @NotNull @Size(min = 1, max = 20) List<@NotBlank @Size(max = 2048) String> redirectUris,
            @Size(max = 20) List<@NotBlank @Size(max = 2048) String> postLogoutRedirectUris,
            @Size(max = 2) List<@NotBlank String> grantTypes,
            JwkSet jwks,
            @Size(max = 2048) String backchannelLogoutUri) {
    }

    /** A JWK Set of public keys (RFC 7517 §5): RSA of 2048 bits or more, or EC P-256. */
    public record JwkSet(@NotNull @Size(min = 1, max = 5) List<@NotNull @Size(max = 20) Map<String, Object>> keys) {
    }

    /** PUT: the whole registration but the kind, which a client keeps for life. */
    public record ClientUpdate(
            @NotBlank @Size(max = 100) String name,
            @NotNull @Size(min = 1, max = 20) List<@NotBlank @Size(max = 2048) String> redirectUris,
            @Size(max = 20) List<@NotBlank @Size(max = 2048) String> postLogoutRedirectUris,
            @Size(max = 2) List<@NotBlank String> grantTypes,
            JwkSet jwks,
            @NotNull Boolean active,
            @Size(max = 2048) String backchannelLogoutUri) {
    }

    /** A new secret; the one it replaces keeps working for {@code previousValidSeconds} (0: stops at once). */
    public record SecretRotation(@Min(0) @Max(2_592_000) Integer previousValidSeconds) {
    }

    /** A registration as listed: never its secret. */
    public record ClientResponse(UUID clientId, String name, String kind, List<String> redirectUris,
                                 List<String> postLogoutRedirectUris, List<String> grantTypes, List<String> keyIds,
                                 String backchannelLogoutUri,
                                 boolean active, Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt) {
    }

    /** The answer that creates a client or rotates its secret: the secret, shown this once (null for public clients). */
    public record ClientWithSecret(ClientResponse client, String clientSecret) {
    }

    public record ClientList(List<ClientResponse> items) {
    }
}
