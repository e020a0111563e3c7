package dev.gatehouse.signin;

import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.tenants.TenantSummary;
import dev.gatehouse.users.PasswordPolicy;
import dev.gatehouse.users.UserResponse;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The bodies of the auth endpoints, as in the old core's contract (snake_case on the wire). */
public final class AuthRecords {

    private AuthRecords() {
    }

    public record RegisterRequest(
            @NotBlank @Email @Size(max = 320) String email,
            @NotNull @Size(min = PasswordPolicy.MIN_LENGTH, max = PasswordPolicy.MAX_LENGTH) String password,
            @NotBlank @Size(max = 255) String fullName,
            @NotBlank @Size(max = 255) String tenantName) {
    }

    /**
     * {@code tenant}, a slug or id, picks the membership when the account has several; without it, the last
     * used one.
     */
    public record LoginRequest(
            @NotBlank @Email @Size(max = 320) String email,
            @NotNull @Size(max = PasswordPolicy.MAX_PRESENTED_LENGTH) String password,
            @Size(max = 80) String tenant) {
    }

    /**
     * A sign-in whose password (or OAuth) step passed and whose second factor is due: no tokens yet, a ticket
     * to POST with a code to /auth/mfa/verify, or, when the tenant requires MFA of an account without it, to
     * enrol with (/auth/mfa/totp, then /auth/mfa/totp/confirm).
     */
    @JsonbPropertyOrder({"mfaRequired", "mfaTicket", "mfaEnrolmentRequired", "expiresIn"})
    public record MfaChallenge(boolean mfaRequired, String mfaTicket, boolean mfaEnrolmentRequired, long expiresIn)
            implements SignInResult {
    }

    public record MfaVerifyRequest(@NotBlank @Size(max = 200) String mfaTicket, @Size(max = 16) String code,
                                   @Size(max = 40) String recoveryCode) {
    }

    public record MfaTicketRequest(@NotBlank @Size(max = 200) String mfaTicket) {
    }

    public record MfaConfirmRequest(@NotBlank @Size(max = 200) String mfaTicket, @NotBlank @Size(max = 16) String code) {
    }

    /** Enrolment at sign-in, confirmed: the recovery codes (shown once) and the session. */
    @JsonbPropertyOrder({"recoveryCodes", "accessToken", "refreshToken", "tokenType", "expiresIn", "tenant", "tenants"})
    public record MfaEnrolledResponse(List<String> recoveryCodes, String accessToken, String refreshToken, String tokenType,
                                      long expiresIn, TenantSummary tenant, List<TenantSummary> tenants) {
        MfaEnrolledResponse(List<String> recoveryCodes, LoginResponse login) {
            this(recoveryCodes, login.accessToken(), login.refreshToken(), login.tokenType(), login.expiresIn(),
                    login.tenant(), login.tenants());
        }
    }

    public record RefreshTokenRequest(@NotBlank @Size(max = 200) String refreshToken) {
    }

    /** The tenant to sign in to instead: slug or id. */
    public record SwitchTenantRequest(@NotBlank @Size(max = 80) String tenant) {
    }

    /**
     * The token pair of login and switch-tenant, with the tenant it is for and every tenant the account may
     * sign in to (its active memberships, this one included).
     */
    @JsonbPropertyOrder({"accessToken", "refreshToken", "tokenType", "expiresIn", "tenant", "tenants"})
    public record LoginResponse(String accessToken, String refreshToken, String tokenType, long expiresIn,
                                TenantSummary tenant, List<TenantSummary> tenants) implements SignInResult {
        LoginResponse(TokenResponse tokens, TenantSummary tenant, List<TenantSummary> tenants) {
            this(tokens.accessToken(), tokens.refreshToken(), tokens.tokenType(), tokens.expiresIn(), tenant, tenants);
        }
    }

    /** Without the token fields (null, left out of the JSON) when a verified email is required first. */
    @JsonbPropertyOrder({"user", "accessToken", "refreshToken", "tokenType", "expiresIn", "tenant", "tenants"})
    public record RegisterResponse(UserResponse user, String accessToken, String refreshToken, String tokenType,
                                   Long expiresIn, TenantSummary tenant, List<TenantSummary> tenants) {
        RegisterResponse(UserResponse user, TokenResponse tokens, TenantSummary tenant) {
            this(user, tokens == null ? null : tokens.accessToken(), tokens == null ? null : tokens.refreshToken(),
                    tokens == null ? null : tokens.tokenType(), tokens == null ? null : tokens.expiresIn(), tenant,
                    List.of(tenant));
        }
    }
}
