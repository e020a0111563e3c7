package dev.gatehouse.serviceaccounts;

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

/** The bodies of the service-account endpoints and of the token endpoint's answer. */
public final class ServiceAccountRecords {

    private ServiceAccountRecords() {
    }

    static final String NAME_PATTERN = "\\p{L}[\\p{L}\\p{N} ._-]*";
    static final String NAME_RULE = "must start with a letter and hold only letters, digits, space, '-', '_' and '.'";

    public record NewServiceAccount(
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME_PATTERN, message = NAME_RULE) String name,
            @Size(max = 500) String description,
            @Size(max = 100) List<@NotBlank String> roleIds) {
    }

    /** PATCH: a field left out stays as it is. */
    public record ServiceAccountUpdate(
            @Size(max = 100) @Pattern(regexp = NAME_PATTERN, message = NAME_RULE) String name,
            @Size(max = 500) String description,
            Boolean active) {
    }

    public record ServiceAccountResponse(UUID id, String clientId, UUID tenantId, String name, String description,
                                         boolean active, List<UUID> roleIds, UUID createdBy, Instant createdAt,
                                         Instant updatedAt) {
    }

    public record ServiceAccountList(List<ServiceAccountResponse> items) {
    }

    /** A new client secret; {@code expiresInDays} null: it does not expire. */
    public record NewSecret(@Min(1) @Max(3650) Integer expiresInDays) {
    }

    /** A public key (a JWK, RSA or EC P-256, public members only) that verifies the account's assertions. */
    public record NewPublicKey(@NotNull @Size(max = 20) Map<String, Object> jwk,
                               @Min(1) @Max(3650) Integer expiresInDays) {
    }

    /** A credential as listed: never the secret, which only the answer that creates it shows. */
    public record CredentialResponse(UUID id, String kind, String keyId, Instant createdAt, Instant expiresAt,
                                     Instant revokedAt) {
    }

    /** The answer to a new secret: the secret, shown this once. */
    public record IssuedSecret(UUID id, String clientId, String clientSecret, Instant createdAt, Instant expiresAt) {
    }

    public record CredentialList(List<CredentialResponse> items) {
    }

    /** RFC 6749 §5.1; no refresh token for this grant. */
    public record TokenAnswer(String accessToken, String tokenType, long expiresIn, String scope) {
    }
}
