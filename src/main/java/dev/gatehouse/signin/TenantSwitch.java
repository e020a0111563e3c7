package dev.gatehouse.signin;

import dev.gatehouse.caller.CallerView;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.sessions.VerifiedEmailRequirement;
import dev.gatehouse.signin.AuthRecords.LoginResponse;
import dev.gatehouse.tenants.SsoRequirement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/**
 * POST /auth/switch-tenant: a signed-in person gets a new session for another of their memberships. A tenant
 * they are not an active member of is 404, whether it exists or not.
 */
@ApplicationScoped
public class TenantSwitch {

    @Inject
    AccountMemberships memberships;

    @Inject
    Sessions sessions;

    @Inject
    MfaSignIn mfaSignIn;

    @Inject
    VerifiedEmailRequirement verifiedEmail;

    /**
     * {@code amr} and {@code authenticatedAt}: the current session's methods and sign-in time, which the new one keeps. A tenant that requires a second
     * factor of this member is not entered from a session without one: 403, sign in to it instead.
     */
    public LoginResponse switchTo(CallerView caller, String tenant, ClientInfo client, String amr, Instant authenticatedAt) {
        List<LoginCandidate> all = memberships.ofAccount(caller.id());
        LoginCandidate target = AccountMemberships.choose(all, tenant).filter(LoginCandidate::usable)
                .orElseThrow(() -> ProblemException.notFound("Tenant"));
        verifiedEmail.check(target.emailVerified());
        if (target.sso() == SsoRequirement.Verdict.REQUIRED) {
            throw new ProblemException(ProblemType.SSO_REQUIRED, "This tenant signs its people in through its identity"
                    + " provider: sign in to it with single sign-on.");
        }
        boolean secondFactorDue = target.mfaEnrolled() || mfaSignIn.requiredOf(target)
                || target.sso() == SsoRequirement.Verdict.BREAK_GLASS;
        if (secondFactorDue && !List.of(amr.split(" ")).contains("mfa")) {
            throw new ProblemException(ProblemType.MFA_REQUIRED, "This tenant requires a second factor:"
                    + " sign in to it with POST /api/v1/auth/login and the tenant named.");
        }
        TokenResponse tokens = sessions.startSwitched(caller.id(), target.tenant().id(), target.tokenVersion(),
                target.roles(), client, amr, authenticatedAt);
        return new LoginResponse(tokens, target.tenant(), AccountMemberships.usableTenants(all));
    }
}
