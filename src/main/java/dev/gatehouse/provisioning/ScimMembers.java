package dev.gatehouse.provisioning;

import dev.gatehouse.platform.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * The table scim_members, and the tenant's members as SCIM users: each membership with its account and what
 * the directory keeps of it, one statement for a user or a page (its total from the same statement). A member
 * the directory deleted is not a SCIM user until the directory creates it again.
 */
@ApplicationScoped
public class ScimMembers {

    /** meta.lastModified: the latest change to the account, the membership or the directory's row. */
    static final String LAST_MODIFIED = "greatest(u.updated_at, m.updated_at, s.updated_at)";

    private static final String USERS = """
            select u.id, u.email, u.full_name, m.is_active, m.created_at, %s as last_modified,
                   s.external_id, s.given_name, s.family_name, s.employee_number, s.cost_center, s.organization,
                   s.division, s.department, s.manager_id, count(*) over () as total
            from memberships m join users u on u.id = m.user_id
            left join scim_members s on s.tenant_id = m.tenant_id and s.user_id = m.user_id
            where m.tenant_id = ?1 and s.deleted_at is null""".formatted(LAST_MODIFIED);

    /** One page of SCIM users: how many match in all, and this page's. */
    record Page(long total, List<ScimUser> users) {
    }

    @Inject
    EntityManager em;

    Optional<ScimUser> find(UUID tenantId, UUID userId) {
        List<Tuple> rows = em.createNativeQuery(USERS + " and u.id = ?2", Tuple.class)
                .setParameter(1, tenantId).setParameter(2, userId).getResultList();
        return rows.stream().findFirst().map(ScimMembers::user);
    }

    /**
     * The users the filter matches (all when none), in sortBy's order then oldest membership first, from the
     * 1-based startIndex. A page past the end, or of count 0, still needs the total: a second statement then,
     * only then.
     */
    Page page(UUID tenantId, ScimListRequest request) {
        ScimFilter filter = request.filter();
        int startIndex = request.startIndex();
        int count = request.count();
        ScimFilterSql.Sql where = filter == null ? null : ScimFilterSql.toSql(filter, ScimFilterSql.USERS, 4);
        String sql = USERS + (where == null ? "" : " and " + where.where())
                + ScimFilterSql.orderBy(request.sortBy(), request.descending(), ScimFilterSql.USERS, "m.created_at, u.id")
                + " offset ?2 limit ?3";
        Query query = em.createNativeQuery(sql, Tuple.class)
                .setParameter(1, tenantId).setParameter(2, startIndex - 1).setParameter(3, count);
        if (where != null) {
            for (int i = 0; i < where.parameters().size(); i++) {
                query.setParameter(4 + i, where.parameters().get(i));
            }
        }
        @SuppressWarnings("unchecked")
        List<Tuple> rows = query.getResultList();
        if (!rows.isEmpty()) {
            return new Page(rows.getFirst().get("total", Number.class).longValue(), rows.stream().map(ScimMembers::user).toList());
        }
        return new Page(startIndex == 1 && count > 0 ? 0 : total(tenantId, filter), List.of());
    }

    private long total(UUID tenantId, ScimFilter filter) {
        ScimFilterSql.Sql where = filter == null ? null : ScimFilterSql.toSql(filter, ScimFilterSql.USERS, 2); // ordinals without a gap
        Query query = em.createNativeQuery("select count(*) from (" + USERS + (where == null ? "" : " and " + where.where()) + ") matched")
                .setParameter(1, tenantId);
        if (where != null) {
            for (int i = 0; i < where.parameters().size(); i++) {
                query.setParameter(2 + i, where.parameters().get(i));
            }
        }
        return ((Number) query.getSingleResult()).longValue();
    }

    /** Whether another member of the tenant has this externalId. */
    boolean externalIdTaken(UUID tenantId, String externalId, UUID exceptUserId) {
        return !em.createNativeQuery("""
                        select 1 from scim_members where tenant_id = ?1 and external_id = ?2 and user_id <> ?3""")
                .setParameter(1, tenantId).setParameter(2, externalId).setParameter(3, exceptUserId)
                .setMaxResults(1).getResultList().isEmpty();
    }

    /** Whether the directory deleted this member (the membership is still there, inactive). */
    boolean deleted(UUID tenantId, UUID userId) {
        return !em.createNativeQuery("""
                        select 1 from scim_members where tenant_id = ?1 and user_id = ?2 and deleted_at is not null""")
                .setParameter(1, tenantId).setParameter(2, userId).getResultList().isEmpty();
    }

    /** Writes what the directory keeps of the member; a deleted member is one again. */
    void save(UUID tenantId, ScimUser user) {
        ScimEnterpriseUser enterprise = user.enterprise();
        em.createNativeQuery("""
                        insert into scim_members (tenant_id, user_id, external_id, given_name, family_name, updated_at,
                            employee_number, cost_center, organization, division, department, manager_id)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                        on conflict (tenant_id, user_id) do update set external_id = excluded.external_id,
                            given_name = excluded.given_name, family_name = excluded.family_name, deleted_at = null,
                            updated_at = excluded.updated_at, employee_number = excluded.employee_number,
                            cost_center = excluded.cost_center, organization = excluded.organization,
                            division = excluded.division, department = excluded.department, manager_id = excluded.manager_id""")
                .setParameter(1, tenantId).setParameter(2, user.id())
                .setParameter(3, text(user.externalId())).setParameter(4, text(user.givenName()))
                .setParameter(5, text(user.familyName())).setParameter(6, Timestamps.now())
                .setParameter(7, text(enterprise.employeeNumber())).setParameter(8, text(enterprise.costCenter()))
                .setParameter(9, text(enterprise.organization())).setParameter(10, text(enterprise.division()))
                .setParameter(11, text(enterprise.department()))
                .setParameter(12, new TypedParameterValue<>(StandardBasicTypes.UUID, enterprise.manager()))
                .executeUpdate();
    }

    /** The directory deleted the member: SCIM answers 404 for it from now on. */
    void markDeleted(UUID tenantId, UUID userId) {
        em.createNativeQuery("""
                        insert into scim_members (tenant_id, user_id, deleted_at, updated_at) values (?1, ?2, ?3, ?3)
                        on conflict (tenant_id, user_id) do update set deleted_at = excluded.deleted_at,
                            updated_at = excluded.updated_at""")
                .setParameter(1, tenantId).setParameter(2, userId).setParameter(3, Timestamps.now())
                .executeUpdate();
    }

    private static TypedParameterValue<String> text(String value) {
        return new TypedParameterValue<>(StandardBasicTypes.STRING, value);
    }

    private static ScimUser user(Tuple row) {
        return new ScimUser(row.get("id", UUID.class), row.get("email", String.class), row.get("external_id", String.class),
                row.get("full_name", String.class), row.get("given_name", String.class), row.get("family_name", String.class),
                row.get("is_active", Boolean.class), new ScimEnterpriseUser(row.get("employee_number", String.class),
                row.get("cost_center", String.class), row.get("organization", String.class), row.get("division", String.class),
                row.get("department", String.class), row.get("manager_id", UUID.class)), Timestamps.instant(row.get("created_at")),
                Timestamps.instant(row.get("last_modified")));
    }
}
