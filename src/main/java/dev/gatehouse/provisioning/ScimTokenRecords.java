package dev.gatehouse.provisioning;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The bodies of /api/v1/scim-tokens. */
public final class ScimTokenRecords {

    private ScimTokenRecords() {
    }

    /** A new token for a directory; it expires after {@code expiresInDays} (default 365, at most two years). */
    public record NewScimToken(
            @NotBlank @Size(max = 100) @Pattern(regexp = "\\p{L}[\\p{L}\\p{N} ._-]*",
                    message = "must start with a letter and hold only letters, digits, space, '-', '_' and '.'") String name,
            @Min(1) @Max(730) Integer expiresInDays) {
    }

    /** A token as listed: never the token, which only the answer that creates it shows. */
    public record ScimTokenResponse(UUID id, String name, UUID createdBy, Instant createdAt, Instant expiresAt,
                                    Instant revokedAt) {
    }

    /** The answer to a new token: the token, shown this once, and the base URL the directory is given with it. */
    public record IssuedScimToken(UUID id, String name, String token, String scimBaseUrl, Instant createdAt,
                                  Instant expiresAt) {
    }

    public record ScimTokenList(List<ScimTokenResponse> items) {
    }
}
