package dev.gatehouse.mfa;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

public final class MfaRecords {

    private MfaRecords() {
    }

    /** A started enrolment: the secret for an authenticator app, as text, URI and QR code (a PNG data URI). */
    @JsonbPropertyOrder({"secret", "otpauthUri", "qrCode"})
    public record TotpEnrolment(String secret, String otpauthUri, String qrCode) {
    }

    public record CodeRequest(@NotBlank @Size(max = 16) String code) {
    }

    public record DisableRequest(@NotNull @Size(max = 1024) String password, @NotBlank @Size(max = 16) String code) {
    }

    /** Shown once: only their hashes are kept. */
    public record RecoveryCodes(List<String> recoveryCodes) {
    }

    /** Nobody, everybody, or the holders of any of these permissions must use a second factor. */
    public record MfaPolicy(@NotNull Boolean requireAll, @NotNull @Size(max = 50) List<@NotBlank @Size(max = 100) String> requiredPermissions) {
    }
}
