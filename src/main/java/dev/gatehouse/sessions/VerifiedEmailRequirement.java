package dev.gatehouse.sessions;

import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * gatehouse.login.require-verified-email: when on, no way into an account gives a session while its email is
 * unverified: password login (fails like a wrong password, signin/PasswordLogin), registration (answers
 * without tokens), OAuth sign-in, switch-tenant, and refresh (a session started before the setting was turned
 * on ends at its next rotation). A person whose verification mail was lost uses forgot-password: a reset
 * proves the address too.
 */
@ApplicationScoped
public class VerifiedEmailRequirement {

    @Inject
    @ConfigProperty(name = "gatehouse.login.require-verified-email")
    boolean required;

    public boolean on() {
        return required;
    }

    /** Whether an account with this verification state may have a session now. */
    public boolean allows(boolean emailVerified) {
        return !required || emailVerified;
    }

    /** 403 email-not-verified unless {@link #allows}: for callers who proved who they are already. */
    public void check(boolean emailVerified) {
        if (!allows(emailVerified)) {
            throw new ProblemException(ProblemType.EMAIL_NOT_VERIFIED, "This service requires a verified email"
                    + " address: follow the link mailed to it (POST /api/v1/auth/forgot-password sends one), or verify it"
                    + " with your identity provider and sign in again.");
        }
    }
}
