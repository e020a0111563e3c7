package dev.gatehouse.sso;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The table sso_break_glass: the members who may still sign in to the tenant with a password and a second factor
 * where it requires SSO, for when its IdP is down or misconfigured. Few on purpose (at most {@value #MAX}).
 */
@ApplicationScoped
public class BreakGlassAdmins {

    static final int MAX = 5;

    @Inject
    EntityManager em;

    @Inject
    SecurityEvents securityEvents;

    public List<UUID> list(UUID tenantId) {
        return em.createNativeQuery("select user_id from sso_break_glass where tenant_id = ?1 order by created_at, user_id",
                UUID.class).setParameter(1, tenantId).getResultList();
    }

    /** Replaces the list; each must be an active member of the tenant (404 otherwise). */
    @Transactional
    public List<UUID> replace(UUID tenantId, List<String> userIds) {
        Set<UUID> wanted = new LinkedHashSet<>();
        for (String userId : userIds) {
            UUID id = Ids.parseOrNull(userId);
            if (id == null) {
                throw ProblemException.notFound("User " + userId);
            }
            wanted.add(id);
        }
        if (wanted.size() > MAX) {
            throw ProblemException.invalidField("user_ids", "at most " + MAX);
        }
        long members = wanted.isEmpty() ? 0 : ((Number) em.createNativeQuery("""
                        select count(*) from memberships where tenant_id = ?1 and is_active and user_id in (?2)""")
                .setParameter(1, tenantId).setParameter(2, wanted).getSingleResult()).longValue();
        if (members != wanted.size()) {
            throw ProblemException.notFound("User");
        }
        em.createNativeQuery("delete from sso_break_glass where tenant_id = ?1").setParameter(1, tenantId).executeUpdate();
        for (UUID userId : wanted) {
            em.createNativeQuery("insert into sso_break_glass (tenant_id, user_id, created_at) values (?1, ?2, now())")
                    .setParameter(1, tenantId).setParameter(2, userId).executeUpdate();
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.SSO_ENFORCEMENT_CHANGED, tenantId)
                .detail("break_glass", wanted.stream().map(UUID::toString).toList()));
        return List.copyOf(wanted);
    }
}
