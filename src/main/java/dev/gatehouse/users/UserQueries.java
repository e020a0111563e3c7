package dev.gatehouse.users;

import dev.gatehouse.caller.Permissions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The reads of users. Every query of a tenant's users names the tenant in the query itself. */
@ApplicationScoped
public class UserQueries {

    @Inject
    EntityManager em;

    /** A user of this tenant, or empty: another tenant's user is as absent as one that does not exist. */
    public Optional<User> findInTenant(UUID userId, UUID tenantId) {
        return em.createQuery("select u from User u where u.id = :id and u.tenant.id = :tenant", User.class)
                .setParameter("id", userId)
                .setParameter("tenant", tenantId)
                .getResultStream().findFirst();
    }

    /** A user of this tenant to change, with the permissions their roles give (one statement). */
    public Optional<UserToChange> findToChange(UUID userId, UUID tenantId) {
        return em.createQuery("""
                        select u, (select listagg(p.name, ',') within group (order by p.name)
                                   from UserRole ur join Role r on r.id = ur.id.roleId join r.permissions p
                                   where ur.id.userId = u.id)
                        from User u where u.id = :id and u.tenant.id = :tenant""", Object[].class)
                .setParameter("id", userId)
                .setParameter("tenant", tenantId)
                .getResultStream().findFirst()
                .map(row -> new UserToChange((User) row[0], Permissions.parse((String) row[1])));
    }

    public boolean emailTaken(UUID tenantId, String email, UUID exceptUserId) {
        return !em.createQuery("""
                        select 1 from User u where u.tenant.id = :tenant and lower(u.email) = lower(:email)
                        and (:except is null or u.id <> :except)""", Integer.class)
                .setParameter("tenant", tenantId)
                .setParameter("email", email)
                .setParameter("except", exceptUserId)
                .setMaxResults(1).getResultList().isEmpty();
    }

    /** One page of a tenant's users, oldest first, with the total from the same statement (count over the window). */
    public UserListResponse page(UUID tenantId, int page, int pageSize) {
        List<UserListRow> rows = em.createQuery("""
                        select new dev.gatehouse.users.UserListRow(u.id, u.tenantId, u.email, u.fullName, u.active, u.superuser,
                               u.oauthProvider, u.createdAt, u.updatedAt, count(*) over ())
                        from User u where u.tenant.id = :tenant order by u.createdAt, u.id""", UserListRow.class)
                .setParameter("tenant", tenantId)
                .setFirstResult((page - 1) * pageSize)
                .setMaxResults(pageSize)
                .getResultList();
        long total = rows.isEmpty() ? countInTenant(tenantId) : rows.getFirst().total();
        return new UserListResponse(rows.stream().map(UserListRow::toResponse).toList(), total, page, pageSize);
    }

    /** Only for a page past the end, which has no row to carry the total. */
    private long countInTenant(UUID tenantId) {
        return em.createQuery("select count(u) from User u where u.tenant.id = :tenant", Long.class)
                .setParameter("tenant", tenantId).getSingleResult();
    }
}
