package dev.gatehouse.users;

import dev.gatehouse.caller.Permissions;
import dev.gatehouse.platform.PageRequest;
import dev.gatehouse.tenants.TenantDomain;
import dev.gatehouse.tenants.Membership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The reads of accounts and members. Every query of a tenant's users goes through its memberships and names
 * the tenant in the query itself.
 */
@ApplicationScoped
public class UserQueries {

    @Inject
    EntityManager em;

    /** A member of this tenant, or empty: an account that is not a member is as absent as one that does not exist. */
    public Optional<Member> findInTenant(UUID userId, UUID tenantId) {
        return em.createQuery("""
                        select u as account, m as membership from User u join Membership m on m.id.userId = u.id
                        where u.id = :id and m.id.tenantId = :tenant""".formatted(TenantDomain.PROVED_BY_TENANT_FOR_USER_U), Tuple.class)
                .setParameter("id", userId)
                .setParameter("tenant", tenantId)
                .getResultStream().findFirst()
                .map(row -> new Member(row.get("account", User.class), row.get("membership", Membership.class)));
    }

    /**
     * A member of this tenant to change, with the permissions their roles give in it and whether the account
     * belongs to another tenant too, and whether this tenant proved its email's domain (one statement).
     */
    public Optional<UserToChange> findToChange(UUID userId, UUID tenantId) {
        return em.createQuery("""
                        select u as account, m as membership,
                               (select listagg(p.name, ',') within group (order by p.name)
                                from UserRole ur join Role r on r.id = ur.id.roleId join r.permissions p
                                where ur.id.userId = u.id and r.tenantId = :tenant) as permissions,
                               (select count(o) from Membership o where o.id.userId = u.id and o.id.tenantId <> :tenant)
                                   as other_memberships,
                               case when %s then true else false end as managed
                        from User u join Membership m on m.id.userId = u.id
                        where u.id = :id and m.id.tenantId = :tenant""".formatted(TenantDomain.PROVED_BY_TENANT_FOR_USER_U), Tuple.class)
                .setParameter("id", userId)
                .setParameter("tenant", tenantId)
                .getResultStream().findFirst()
                .map(row -> new UserToChange(new Member(row.get("account", User.class), row.get("membership", Membership.class)),
                        Permissions.parse(row.get("permissions", String.class)),
                        row.get("other_memberships", Number.class).longValue() > 0, row.get("managed", Boolean.class)));
    }

    /** The account's password hash; null when it has none (made by an OAuth sign-in) or does not exist. */
    public String passwordHashOf(UUID userId) {
        List<String> hashes = em.createQuery("select u.passwordHash from User u where u.id = :id", String.class)
                .setParameter("id", userId).getResultList();
        return hashes.isEmpty() ? null : hashes.getFirst(); // a stream would refuse the null of an OAuth account
    }

    /** The account that has this email, if any. */
    public Optional<User> findByEmail(String email) {
        return em.createQuery("select u from User u where lower(u.email) = lower(:email)", User.class)
                .setParameter("email", email).getResultStream().findFirst();
    }

    /** Whether an account other than {@code exceptUserId} has this email (emails are unique across Gatehouse). */
    public boolean emailTaken(String email, UUID exceptUserId) {
        return !em.createQuery("""
                        select 1 from User u where lower(u.email) = lower(:email)
                        and (:except is null or u.id <> :except)""", Integer.class)
                .setParameter("email", email)
                .setParameter("except", exceptUserId)
                .setMaxResults(1).getResultList().isEmpty();
    }

    /** One page of a tenant's members, oldest membership first, with the total from the same statement (count over the window). */
    public UserListResponse page(UUID tenantId, PageRequest page) {
        List<UserListRow> rows = em.createQuery("""
                        select new dev.gatehouse.users.UserListRow(u.id, m.id.tenantId, u.email, u.emailVerified, u.fullName, m.active,
                               m.superuser, u.oauthProvider, u.createdAt, u.updatedAt, count(*) over ())
                        from Membership m join User u on u.id = m.id.userId
                        where m.id.tenantId = :tenant order by m.createdAt, m.id.userId""", UserListRow.class)
                .setParameter("tenant", tenantId)
                .setFirstResult(page.firstResult())
                .setMaxResults(page.pageSize())
                .getResultList();
        long total = rows.isEmpty() ? countInTenant(tenantId) : rows.getFirst().total();
        return new UserListResponse(rows.stream().map(UserListRow::toResponse).toList(), total, page.page(), page.pageSize());
    }

    /** Only for a page past the end, which has no row to carry the total. */
    private long countInTenant(UUID tenantId) {
        return em.createQuery("select count(m) from Membership m where m.id.tenantId = :tenant", Long.class)
                .setParameter("tenant", tenantId).getSingleResult();
    }
}
