package dev.gatehouse.sessions;

import dev.gatehouse.access.Role;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sessions.AuthRecords.LoginRequest;
import dev.gatehouse.sessions.AuthRecords.TokenResponse;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.PasswordHasher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** POST /auth/login: email and password, and a new session when they match an active account. */
@ApplicationScoped
public class PasswordLogin {

    @Inject
    EntityManager em;

    @Inject
    PasswordHasher hasher;

    @Inject
    Sessions sessions;

    /**
     * Email and password, with an optional tenant (slug or id) for an email that exists in several tenants.
     * Every failure, an unknown or ambiguous email included, costs one password verification and gives the
     * same answer. Not one transaction: the lookup commits before the (slow) hash check, so no connection is
     * held while it runs; the session is written in its own transaction.
     */
    public TokenResponse login(LoginRequest request, ClientInfo client) {
        List<LoginCandidate> candidates = candidates(Emails.normalize(request.email()), request.tenant());
        if (candidates.size() != 1) {
            hasher.verifyDecoy(request.password());
            throw invalidCredentials();
        }
        LoginCandidate account = candidates.getFirst();
        boolean passwordMatches = hasher.verify(request.password(), account.passwordHash());
        if (!passwordMatches || !account.active() || !account.tenantActive()) {
            throw invalidCredentials();
        }
        String upgradedHash = hasher.needsRehash(account.passwordHash()) ? hasher.hash(request.password()) : null;
        return sessions.start(account.userId(), account.tenantId(), account.tokenVersion(), account.roles(), client,
                upgradedHash);
    }

    /**
     * At most two: one is a match, two means the email is ambiguous without a tenant. Only accounts with a
     * password: an account made by an OAuth sign-in has none, and must not make a password account's email
     * ambiguous.
     */
    private List<LoginCandidate> candidates(String email, String tenant) {
        String select = """
                select new dev.gatehouse.sessions.LoginCandidate(u.id, t.id, u.passwordHash, u.tokenVersion,
                       %s, u.active, t.active)
                from User u join u.tenant t where lower(u.email) = :email and u.passwordHash is not null"""
                .formatted(Role.NAMES_OF_USER_U);
        if (tenant == null || tenant.isBlank()) {
            return em.createQuery(select, LoginCandidate.class)
                    .setParameter("email", email).setMaxResults(2).getResultList();
        }
        UUID tenantId = Ids.parseOrNull(tenant);
        return tenantId != null
                ? em.createQuery(select + " and t.id = :tenant", LoginCandidate.class)
                    .setParameter("email", email).setParameter("tenant", tenantId).setMaxResults(2).getResultList()
                : em.createQuery(select + " and t.slug = :tenant", LoginCandidate.class)
                    .setParameter("email", email).setParameter("tenant", tenant.strip().toLowerCase(Locale.ROOT))
                    .setMaxResults(2).getResultList();
    }


    private static ProblemException invalidCredentials() {
        return new ProblemException(Status.UNAUTHORIZED, "invalid-credentials", "Incorrect email or password.");
    }
}
