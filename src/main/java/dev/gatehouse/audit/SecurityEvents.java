package dev.gatehouse.audit;

import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.persistence.AfterCommit;
import dev.gatehouse.platform.requestlog.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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
    @ConfigProperty(name = "gatehouse.audit.retention-days")
    int retentionDays;

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

    /** Events older than gatehouse.audit.retention-days go; {@code events} is this bean's proxy, for @Transactional. */
    void purges(@Observes Housekeeping.Purges purges, SecurityEvents events) {
        purges.retention("security event(s)",
                batch -> events.purgeOlderThan(Instant.now().minus(Duration.ofDays(retentionDays)), batch));
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
