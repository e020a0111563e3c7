package dev.gatehouse.caller;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Optional;
import java.util.UUID;

/**
 * The caller lookup, made when the caller cache misses: one statement, a projection, no entity. The
 * permissions of all the caller's roles and the ids of the live sessions come along as aggregated columns,
 * so neither a permission check nor the session check needs a query of its own.
 */
@ApplicationScoped
public class CallerQuery {

    @Inject
    EntityManager em;

    public Optional<CallerView> find(UUID userId) {
        return em.createQuery("""
                        select new dev.gatehouse.caller.CallerView(u.id, t.id, u.email, u.fullName, u.active, t.active,
                               u.superuser, u.oauthProvider, u.tokenVersion, u.createdAt, u.updatedAt,
                               (select listagg(p.name, ',') within group (order by p.name)
                                from UserRole ur join Role r on r.id = ur.id.roleId join r.permissions p
                                where ur.id.userId = u.id),
                               (select listagg(cast(rt.familyId as String), ',') within group (order by rt.familyId)
                                from RefreshToken rt
                                where rt.user.id = u.id and rt.revokedAt is null and rt.expiresAt > current_timestamp))
                        from User u join u.tenant t where u.id = :id""", CallerView.class)
                .setParameter("id", userId)
                .getResultStream().findFirst();
    }
}
