package dev.gatehouse.auth;

import dev.gatehouse.access.Role;
import dev.gatehouse.auth.AuthRecords.LoginRequest;
import dev.gatehouse.auth.AuthRecords.RegisterRequest;
import dev.gatehouse.auth.AuthRecords.RegisterResponse;
import dev.gatehouse.auth.AuthRecords.TokenResponse;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.tenants.TenantRegistration;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Registration and password login. */
@ApplicationScoped
public class AuthService {

    @Inject
    EntityManager em;

    @Inject
    PasswordHasher hasher;

    @Inject
    TenantRegistration tenants;

    @Inject
    Sessions sessions;

    /** A new tenant with its default roles and its first user, its superuser and admin. */
    @Transactional
    public RegisterResponse register(RegisterRequest request, ClientInfo client) {
        String passwordHash = hasher.hash(request.password()); // before the first statement: no connection held meanwhile
        User user = tenants.createWithOwner(request.tenantName(), tenant ->
                new User(tenant, normalizeEmail(request.email()), passwordHash, request.fullName().strip(), true));
        TokenResponse tokens = sessions.start(user.id(), user.tenantId(), user.tokenVersion(), List.of(Role.ADMIN), client, null);
        return new RegisterResponse(user.toResponse(), tokens);
    }

    /**
     * Email and password, with an optional tenant (slug or id) for an email that exists in several tenants.
     * Every failure, an unknown or ambiguous email included, costs one password verification and gives the
     * same answer. Not one transaction: the lookup commits before the (slow) hash check, so no connection is
     * held while it runs; the session is written in its own transaction.
     */
    public TokenResponse login(LoginRequest request, ClientInfo client) {
        List<LoginCandidate> candidates = candidates(normalizeEmail(request.email()), request.tenant());
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

    /** At most two: one is a match, two means the email is ambiguous without a tenant. */
    private List<LoginCandidate> candidates(String email, String tenant) {
        String select = """
                select new dev.gatehouse.auth.LoginCandidate(u.id, t.id, u.passwordHash, u.tokenVersion,
                       %s, u.active, t.active)
                from User u join u.tenant t where lower(u.email) = :email""".formatted(Role.NAMES_OF_USER_U);
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

    public static String normalizeEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    private static ProblemException invalidCredentials() {
        return new ProblemException(Status.UNAUTHORIZED, "invalid-credentials", "Incorrect email or password.");
    }
}
