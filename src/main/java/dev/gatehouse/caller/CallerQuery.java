package dev.gatehouse.caller;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Optional;
import java.util.UUID;

/**
 * The caller lookup, made when the caller cache misses: one statement, a projection, no entity, for one
 * membership (account and tenant). The permissions of the caller's roles in that tenant and the ids of the
 * membership's live sessions come along as aggregated columns,
 * so neither a permission check nor the session check needs a query of its own.
 */
@ApplicationScoped
public class CallerQuery {

    private static final String JPQL = """
            select new dev.gatehouse.caller.CallerView(u.id, t.id, u.email, u.emailVerified, u.fullName, u.active, m.active,
                   t.active, m.superuser, u.oauthProvider, u.tokenVersion, u.createdAt, u.updatedAt,
                   (select listagg(p.name, ',') within group (order by p.name)
                    from UserRole ur join Role r on r.id = ur.id.roleId join r.permissions p
                    where ur.id.userId = u.id and r.tenantId = t.id),
                   (select listagg(cast(rt.familyId as String), ',') within group (order by rt.familyId)
                    from RefreshToken rt
                    where rt.user.id = u.id and rt.tenantId = t.id and rt.revokedAt is null
                      and rt.expiresAt > current_timestamp))
            from User u join Membership m on m.id.userId = u.id join Tenant t on t.id = m.id.tenantId
            where u.id = :id and t.id = :tenant""";

    /** A service account of the tenant: its roles' permissions and its live credentials' ids (the tokens' sid). */
    private static final String SERVICE_ACCOUNT_JPQL = """
            select new dev.gatehouse.caller.CallerView(s.id, t.id, s.name, s.active, t.active, s.createdAt, s.updatedAt,
                   (select listagg(p.name, ',') within group (order by p.name)
                    from ServiceAccountRole sr join Role r on r.id = sr.id.roleId join r.permissions p
                    where sr.id.serviceAccountId = s.id and r.tenantId = t.id),
                   (select listagg(cast(c.id as String), ',') within group (order by c.id)
                    from ServiceAccountCredential c
                    where c.serviceAccountId = s.id and c.revokedAt is null
                      and (c.expiresAt is null or c.expiresAt > current_timestamp)))
            from ServiceAccount s join Tenant t on t.id = s.tenantId
            where s.id = :id and t.id = :tenant""";

    private static final String NAME = "CallerQuery.find";
    private static final String SERVICE_ACCOUNT_NAME = "CallerQuery.findServiceAccount";

    @Inject
    EntityManager em;

    /**
     * Parses the query once, at boot, under a name. Parsed on first use instead, every worker thread that meets
     * an uncached caller at once parses it side by side: after a start under load (10,000 connections, 100
     * users) 200 threads sat in Hibernate's HQL parser for minutes (bench/journal/2026-12-06-issue-17.md, "10,000 connections at ~2,000 req/s: what gave way").
     */
    void prepare(@Observes @Initialized(ApplicationScoped.class) Object started) {
        em.getEntityManagerFactory().addNamedQuery(NAME, em.createQuery(JPQL, CallerView.class));
        em.getEntityManagerFactory().addNamedQuery(SERVICE_ACCOUNT_NAME, em.createQuery(SERVICE_ACCOUNT_JPQL, CallerView.class));
    }

    /** The account in this tenant; empty when it is not a member. */
    public Optional<CallerView> find(UUID userId, UUID tenantId) {
        return em.createNamedQuery(NAME, CallerView.class)
                .setParameter("id", userId)
                .setParameter("tenant", tenantId)
                .getResultStream().findFirst();
    }

    /** The service account of this tenant; empty when there is none. */
    public Optional<CallerView> findServiceAccount(UUID serviceAccountId, UUID tenantId) {
        return em.createNamedQuery(SERVICE_ACCOUNT_NAME, CallerView.class)
                .setParameter("id", serviceAccountId)
                .setParameter("tenant", tenantId)
                .getResultStream().findFirst();
    }
}
