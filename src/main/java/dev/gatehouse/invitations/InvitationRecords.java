package dev.gatehouse.invitations;

import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.signin.AuthRecords.MfaChallenge;
import dev.gatehouse.tenants.TenantSummary;
import dev.gatehouse.users.PasswordPolicy;
import dev.gatehouse.users.UserResponse;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The request and response bodies of the invitation endpoints. */
public final class InvitationRecords {

    private InvitationRecords() {
    }

    /** POST /invitations: the address to invite and the roles it gets in the tenant on accepting. */
    public record NewInvitation(
            @NotBlank @Email @Size(max = 320) String email,
            @Size(max = 50) List<@NotNull @Size(max = 64) String> roleIds) {
    }

    /**
     * POST /invitations/accept. A new account takes the password and name given; an existing account signs
     * in with its own password (the name is ignored).
     */
    public record Acceptance(
            @NotNull @Size(max = 200) String token,
            @NotNull @Size(max = PasswordPolicy.MAX_PRESENTED_LENGTH) String password,
            @Size(max = 255) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String fullName) {
    }

    /** A pending invitation as admins see it (never its token). */
    @JsonbPropertyOrder({"id", "tenantId", "email", "roleIds", "invitedBy", "createdAt", "expiresAt"})
    public record InvitationResponse(UUID id, UUID tenantId, String email, List<UUID> roleIds,
                                     @JsonbNillable UUID invitedBy, Instant createdAt, Instant expiresAt) {
    }

    public record InvitationList(List<InvitationResponse> items) {
    }

    /**
     * The answer to an accepted invitation: the account as the tenant sees it, and a session in that tenant;
     * or, when a second factor is due first (the account's own, or the tenant's policy), no tokens but the
     * MFA ticket, as POST /auth/login answers it. The fields of the other case are null, left out of the JSON.
     */
    @JsonbPropertyOrder({"user", "accessToken", "refreshToken", "tokenType", "expiresIn", "tenant", "mfaRequired",
            "mfaTicket", "mfaEnrolmentRequired"})
    public record Accepted(UserResponse user, String accessToken, String refreshToken, String tokenType, Long expiresIn,
                           TenantSummary tenant, Boolean mfaRequired, String mfaTicket, Boolean mfaEnrolmentRequired) {

        static Accepted signedIn(UserResponse user, TokenResponse tokens, TenantSummary tenant) {
            return new Accepted(user, tokens.accessToken(), tokens.refreshToken(), tokens.tokenType(), tokens.expiresIn(),
                    tenant, null, null, null);
        }

        static Accepted challenged(UserResponse user, MfaChallenge challenge, TenantSummary tenant) {
            return new Accepted(user, null, null, null, challenge.expiresIn(), tenant, true, challenge.mfaTicket(),
                    challenge.mfaEnrolmentRequired());
        }
    }
}
