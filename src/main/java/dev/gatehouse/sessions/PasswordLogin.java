package dev.gatehouse.sessions;

import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sessions.AuthRecords.LoginRequest;
import dev.gatehouse.sessions.AuthRecords.LoginResponse;
import dev.gatehouse.sessions.AuthRecords.MfaChallenge;
import dev.gatehouse.sessions.AuthRecords.SignInResult;
import dev.gatehouse.sessions.AuthRecords.TokenResponse;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.PasswordHasher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;

/** POST /auth/login: email and password, and a new session for one membership of the account. */
@ApplicationScoped
public class PasswordLogin {

    @Inject
    PasswordHasher hasher;

    @Inject
    AccountMemberships memberships;

    @Inject
    Sessions sessions;

    @Inject
    MfaSignIn mfaSignIn;

    /**
     * Email and password, with an optional tenant (slug or id); without it, the membership is the account's
     * only one or its last used ({@link AccountMemberships#choose}). Every failure (unknown email, an account
     * without a password, a wrong password, a tenant the account is not an active member of, an inactive
     * account) costs one password verification and gives the same answer. Not one transaction: the lookup
     * commits before the (slow) hash check, so no connection is held while it runs; the session is written in
     * its own transaction.
     */
    public SignInResult login(LoginRequest request, ClientInfo client) {
        List<LoginCandidate> candidates = memberships.ofEmail(Emails.normalize(request.email()));
        String passwordHash = candidates.isEmpty() ? null : candidates.getFirst().passwordHash();
        if (passwordHash == null) { // no account, or one made by an OAuth sign-in, which has no password
            hasher.verifyDecoy(request.password());
            throw invalidCredentials();
        }
        boolean passwordMatches = hasher.verify(request.password(), passwordHash);
        LoginCandidate membership = AccountMemberships.choose(candidates, request.tenant()).orElse(null);
        if (!passwordMatches || membership == null || !membership.usable()) {
            throw invalidCredentials();
        }
        MfaChallenge challenge = mfaSignIn.challengeFor(membership, "pwd");
        if (challenge != null) {
            return challenge;
        }
        String upgradedHash = hasher.needsRehash(passwordHash) ? hasher.hash(request.password()) : null;
        TokenResponse tokens = sessions.start(membership.userId(), membership.tenant().id(), membership.tokenVersion(),
                membership.roles(), client, upgradedHash, "pwd");
        return new LoginResponse(tokens, membership.tenant(), AccountMemberships.usableTenants(candidates));
    }

    private static ProblemException invalidCredentials() {
        return new ProblemException(Status.UNAUTHORIZED, "invalid-credentials", "Incorrect email or password.");
    }
}
