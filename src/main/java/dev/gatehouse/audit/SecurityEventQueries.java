package dev.gatehouse.audit;

import dev.gatehouse.audit.AuditRecords.AuditEventPage;
import dev.gatehouse.audit.AuditRecords.SecurityEventFilter;
import dev.gatehouse.platform.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class SecurityEventQueries {

    @Inject
    EntityManager em;

    /**
     * One page of a tenant's events, newest first (ids are time-ordered), with the total from the same
     * statement. Only the filters given become conditions, so each combination gets a plan that uses its index.
     */
    public AuditEventPage page(UUID tenantId, SecurityEventFilter filter, PageRequest page) {
        List<Tuple> rows = bind(em.createQuery("select e as event, count(*) over () as total from SecurityEvent e"
                + where(filter) + " order by e.id desc", Tuple.class), tenantId, filter)
                .setFirstResult(page.firstResult())
                .setMaxResults(page.pageSize())
                .getResultList();
        List<JsonObject> items = rows.stream().map(row -> row.get("event", SecurityEvent.class).toJson().build()).toList();
        long total = rows.isEmpty() ? count(tenantId, filter, page) : rows.getFirst().get("total", Number.class).longValue();
        return new AuditEventPage(items, total, page.page(), page.pageSize());
    }

    /** Only for a page past the end, which has no row to carry the total. */
    private long count(UUID tenantId, SecurityEventFilter filter, PageRequest page) {
        return page.page() == 1 ? 0
                : bind(em.createQuery("select count(e) from SecurityEvent e" + where(filter), Long.class), tenantId, filter)
                .getSingleResult();
    }

    private static String where(SecurityEventFilter filter) {
        StringBuilder where = new StringBuilder(" where e.tenantId = :tenant");
        if (filter.type() != null) {
            where.append(" and e.type = :type");
        }
        if (filter.userId() != null) {
            where.append(" and (e.subjectUserId = :user or e.actorUserId = :user)");
        }
        if (filter.from() != null) {
            where.append(" and e.occurredAt >= :from");
        }
        if (filter.to() != null) {
            where.append(" and e.occurredAt < :to");
        }
        return where.toString();
    }

    private static <T> TypedQuery<T> bind(TypedQuery<T> query, UUID tenantId, SecurityEventFilter filter) {
        query.setParameter("tenant", tenantId);
        if (filter.type() != null) {
            query.setParameter("type", filter.type());
        }
        if (filter.userId() != null) {
            query.setParameter("user", filter.userId());
        }
        if (filter.from() != null) {
            query.setParameter("from", filter.from());
        }
        if (filter.to() != null) {
            query.setParameter("to", filter.to());
        }
        return query;
    }
}
