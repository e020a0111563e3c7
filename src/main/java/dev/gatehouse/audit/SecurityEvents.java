package dev.gatehouse.audit;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.persistence.AfterCommit;
import dev.gatehouse.platform.requestlog.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Writes security events: a row in the transaction of the change it records (so a rolled-back change leaves
 * no event), and, once that transaction commits, one JSON line on the logger {@code gatehouse.security}
 * for log shippers.
 */
@ApplicationScoped
public class SecurityEvents {

    private static final Logger LOG = Logger.getLogger("gatehouse.security");

    @Inject
    EntityManager em;

    @Inject
    RequestContext request;

    @Inject
    AfterCommit afterCommit;

    /** Joins the caller's transaction; an event on its own (a failed login) gets one. */
    @Transactional
    public void record(SecurityEvent event) {
        event.complete(Ids.newId(), Timestamps.now(), request.userId(), request.clientAddress(),
                request.userAgent(), request.requestId());
        em.persist(event);
        afterCommit.run(() -> LOG.info(event.toJson().build().toString()));
    }

    /**
     * Deletes up to {@code batch} events older than {@code cutoff} and answers how many. Instances that run
     * this at once skip each other's rows.
     */
    @Transactional
    public int purgeOlderThan(Instant cutoff, int batch) {
        return em.createNativeQuery("""
                        delete from security_events where id in (
                            select id from security_events where occurred_at < ?1 limit ?2 for update skip locked)""")
                .setParameter(1, cutoff)
                .setParameter(2, batch)
                .executeUpdate();
    }
}
