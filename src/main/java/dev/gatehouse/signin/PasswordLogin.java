package dev.gatehouse.signin;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.signin.AuthRecords.LoginRequest;
import dev.gatehouse.signin.AuthRecords.LoginResponse;
import dev.gatehouse.signin.AuthRecords.MfaChallenge;
import dev.gatehouse.tenants.SsoRequirement;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.LegacyPasswordHashes;
import dev.gatehouse.users.PasswordHasher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** POST /auth/login: email and password, and a new session for one membership of the account. */
@ApplicationScoped
public class PasswordLogin {

    @Inject
    PasswordHasher hasher;

    @Inject
    AccountMemberships memberships;

    @Inject
    LegacyPasswordHashes legacyHashes;

    @Inject
    Sessions sessions;

    @Inject
    LoginAttempts attempts;

    @Inject
    SecurityEvents events;

    @Inject
    @ConfigProperty(name = "gatehouse.login.require-verified-email")
    boolean requireVerifiedEmail;

    @Inject
    MfaSignIn mfaSignIn;

    /**
     * Email and password, with an optional tenant (slug or id); without it, the membership is the account's
     * only one or its last used ({@link AccountMemberships#choose}).
     * <p>
     * Each attempt is claimed first ({@link LoginAttempts}: per email and client address): one that must wait
     * after too many is answered 429 with Retry-After before any hash runs, whether an account has the email or
     * not. Otherwise every failure (unknown email, an
     * account without a password, a wrong password, a tenant the account is not an active member of, an
     * inactive account, an unverified email when gatehouse.login.require-verified-email is on) costs one
     * password verification, counted when it was claimed, and gives the same answer. Not one transaction: the
     * claim and the lookups commit before the (slow) hash check, so no connection is held while it runs; a
     * success's session, reset and event are written in one.
     */
    public SignInResult login(LoginRequest request, ClientInfo client) {
        String email = Emails.normalize(request.email());
        LoginAttempts.Attempt attempt = attempts.claim(email);
        List<LoginCandidate> candidates = memberships.ofEmail(email);
        LoginCandidate membership = AccountMemberships.choose(candidates, request.tenant()).orElse(null);
        if (attempt.throttled()) {
            events.record(event(SecurityEventType.LOGIN_THROTTLED, candidates, membership).failed());
            attempt.requireAllowed();
        }
        String passwordHash = candidates.isEmpty() ? null : candidates.getFirst().passwordHash();
        if (passwordHash == null) { // no account, or one made by an OAuth sign-in, which has no password
            attempts.check(attempt, () -> hasher.verifyDecoy(request.password()));
            throw failed(attempt, candidates, membership, candidates.isEmpty() ? "unknown_account" : "no_password");
        }
        UUID userId = candidates.getFirst().userId();
        List<String> hashes = legacyHashes.toCheck(userId, passwordHash);
        String[] matched = new String[1]; // the hash that matched: the account's own, or one of its legacy ones
        if (!attempts.check(attempt, () -> (matched[0] = firstMatch(request.password(), hashes)) != null)) {
            throw failed(attempt, candidates, membership, "wrong_password");
        }
        if (membership == null || !membership.usable()) {
            throw failed(attempt, candidates, membership, membership == null ? "no_usable_membership" : "inactive");
        }
        if (requireVerifiedEmail && !membership.emailVerified()) {
            throw failed(attempt, candidates, membership, "email_not_verified");
        }
        SsoRequirement.Verdict sso = membership.sso();
        if (sso == SsoRequirement.Verdict.REQUIRED || sso == SsoRequirement.Verdict.BREAK_GLASS && !membership.mfaEnrolled()) {
            attempts.release(attempt); // the password was right: nothing to count against the address
            events.record(event(SecurityEventType.LOGIN_FAILED, candidates, membership).failed().detail("reason", "sso_required"));
            throw new ProblemException(ProblemType.SSO_REQUIRED, sso == SsoRequirement.Verdict.REQUIRED
                    ? "This organisation signs its people in through its identity provider: use single sign-on."
                    : "A break-glass admin signs in with a password and a second factor: turn the second factor on first.");
        }
        MfaChallenge challenge = mfaSignIn.challengeFor(membership, "pwd");
        if (challenge != null) {
            attempts.release(attempt); // the code, not the password, is the attempt that counts now
            return challenge;
        }
        String upgradedHash = hasher.needsRehash(matched[0]) ? hasher.hash(request.password()) : null;
        TokenResponse tokens = attempts.succeeded(attempt,
                SecurityEvent.of(SecurityEventType.LOGIN_SUCCEEDED, membership.tenant().id())
                        .actor(membership.userId()).subjectUser(membership.userId()).detail("method", "password"),
                () -> {
                    if (upgradedHash != null) {
                        events.record(SecurityEvent.of(SecurityEventType.PASSWORD_UPGRADED, membership.tenant().id())
                                .actor(membership.userId()).subjectUser(membership.userId())
                                .detail("from", PasswordHasher.scheme(matched[0]))
                                .detail("candidates", hashes.size()));
                    }
                    return sessions.start(membership.userId(), membership.tenant().id(), membership.tokenVersion(),
                            membership.roles(), client, upgradedHash, "pwd");
                });
        return new LoginResponse(tokens, membership.tenant(), AccountMemberships.usableTenants(candidates));
    }

    /**
     * The first of the hashes the password matches, else null. Each check takes its own hashing slot; a wrong
     * password costs one check per hash (more than one only for a person with users in several v1 tenants who
     * has not signed in since the import: docs/security.md, "Imported password hashes").
     */
    private String firstMatch(String password, List<String> hashes) {
        for (String hash : hashes) {
            if (hasher.verify(password, hash)) {
                return hash;
            }
        }
        return null;
    }

    /** Records the failure (counted when claimed) and answers the same problem whatever the reason. */
    private ProblemException failed(LoginAttempts.Attempt attempt, List<LoginCandidate> candidates,
                                    LoginCandidate membership, String reason) {
        attempts.failed(attempt, event(SecurityEventType.LOGIN_FAILED, candidates, membership).failed()
                .detail("reason", reason));
        return new ProblemException(ProblemType.INVALID_CREDENTIALS, "Incorrect email or password.");
    }

    /**
     * An anonymous attempt on the account, in the tenant it named (else the account's first): the tenant's
     * admins see attempts on their members. No account: no tenant, no subject (the log line only).
     */
    private static SecurityEvent event(SecurityEventType type, List<LoginCandidate> candidates,
                                       LoginCandidate membership) {
        LoginCandidate subject = membership != null ? membership : candidates.isEmpty() ? null : candidates.getFirst();
        return subject == null
                ? SecurityEvent.of(type, null).actor(null)
                : SecurityEvent.of(type, subject.tenant().id()).actor(null).subjectUser(subject.userId());
    }
}
