package dev.gatehouse.signin;

import dev.gatehouse.access.Role;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.tenants.SsoRequirement;
import dev.gatehouse.tenants.TenantSummary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * An account's memberships, read with one statement, and the choice of the one a login signs in to: the
 * tenant named (slug or id), else the only one, else the last used (memberships.last_used_at, set by every
 * new session; never used yet: the oldest membership).
 */
@ApplicationScoped
public class AccountMemberships {

    private static final String SELECT = """
            select new dev.gatehouse.signin.LoginCandidate(u.id, u.passwordHash, u.tokenVersion, u.active, u.emailVerified,
                   t.id, t.slug, t.name, m.active, t.active, %s, m.lastUsedAt, m.createdAt,
                   case when totp.userId is null then false else true end, coalesce(policy.requireAll, false),
                   policy.requiredPermissions, %s)
            from User u join Membership m on m.id.userId = u.id join Tenant t on t.id = m.id.tenantId
            left join TotpSecret totp on totp.userId = u.id and totp.confirmedAt is not null
            left join TenantMfaPolicy policy on policy.tenantId = t.id
            """.formatted(Role.NAMES_OF_USER_U_IN_T, SsoRequirement.VERDICT_OF_USER_U_IN_T);

    @Inject
    EntityManager em;

    /** The memberships of the account with this (normalised) email; empty when there is no such account. */
    public List<LoginCandidate> ofEmail(String email) {
        return em.createQuery(SELECT + " where lower(u.email) = :email order by m.createdAt", LoginCandidate.class)
                .setParameter("email", email).getResultList();
    }

    public List<LoginCandidate> ofAccount(UUID userId) {
        return em.createQuery(SELECT + " where u.id = :id order by m.createdAt", LoginCandidate.class)
                .setParameter("id", userId).getResultList();
    }

    /**
     * The membership named by {@code tenant} (slug or id), whatever its state; without a tenant, the last used
     * usable one. Empty when the account is no member of the tenant named, or has no usable membership.
     */
    public static Optional<LoginCandidate> choose(List<LoginCandidate> memberships, String tenant) {
        if (tenant != null && !tenant.isBlank()) {
            UUID id = Ids.parseOrNull(tenant.strip());
            String slug = tenant.strip().toLowerCase(Locale.ROOT);
            return memberships.stream()
                    .filter(m -> id != null ? m.tenant().id().equals(id) : m.tenant().slug().equals(slug))
                    .findFirst();
        }
        return memberships.stream().filter(LoginCandidate::usable)
                .max(Comparator.comparing((LoginCandidate m) -> m.lastUsedAt() == null ? Instant.MIN : m.lastUsedAt())
                        .thenComparing(LoginCandidate::joinedAt, Comparator.reverseOrder()));
    }

    /** The tenants the account may sign in to: its usable memberships, oldest first. */
    public static List<TenantSummary> usableTenants(List<LoginCandidate> memberships) {
        return memberships.stream().filter(LoginCandidate::usable).map(LoginCandidate::tenant).toList();
    }
}
