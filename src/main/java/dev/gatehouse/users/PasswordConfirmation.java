package dev.gatehouse.users;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The caller's current password, presented again for a sensitive change (email, password, turning MFA off or
 * on). Counted like a login's ({@link LoginAttempts}: per email and client address, 429 while that pair waits),
 * so a stolen session guesses the password no faster than a stranger; run before the change's transaction,
 * so no connection waits on the hash.
 */
@ApplicationScoped
public class PasswordConfirmation {

    @Inject
    UserQueries queries;

    @Inject
    PasswordHasher hasher;

    @Inject
    LoginAttempts attempts;

    /**
     * 400 invalid-current-password when it is not the account's password; 409 password-not-set for an account
     * made by an OAuth sign-in, which sets one through the reset mail first (which also proves its address).
     */
    public void require(CallerView caller, String currentPassword) {
        String passwordHash = queries.passwordHashOf(caller.id());
        if (passwordHash == null) {
            throw new ProblemException(ProblemType.PASSWORD_NOT_SET, "This account signs in with an identity"
                    + " provider and has no password. Set one with POST /api/v1/auth/forgot-password, then try again.");
        }
        LoginAttempts.Attempt attempt = attempts.claim(Emails.normalize(caller.email()));
        attempt.requireAllowed();
        if (currentPassword == null || !attempts.check(attempt, () -> hasher.verify(currentPassword, passwordHash))) {
            attempts.failed(attempt, SecurityEvent.of(SecurityEventType.PASSWORD_CHECK_FAILED, caller.tenantId())
                    .subjectUser(caller.id()).failed());
            throw new ProblemException(ProblemType.INVALID_CURRENT_PASSWORD, "The current password is not correct.");
        }
        attempts.succeeded(attempt);
    }
}
