package dev.gatehouse.openid;

import dev.gatehouse.platform.Housekeeping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The outbox of back-channel logout (table logout_notifications, V23): the database writes a row at the commit
 * that ends a client's session (its trigger), {@link BackChannelLogout} claims and delivers them. Each method is
 * its own transaction.
 */
@ApplicationScoped
public class LogoutNotifications {

    /** How long a claimed row stays with its sender before another may take it: longer than any POST's timeout. */
    private static final int LEASE_SECONDS = 120;
    /** Delivered rows stay a day (what was sent, for an operator), given-up ones a week (what failed). */
    private static final int DELIVERED_DAYS = 1;
    private static final int GIVEN_UP_DAYS = 7;

    @Inject
    EntityManager em;

    @Inject
    @ConfigProperty(name = "gatehouse.backchannel-logout.max-attempts")
    int maxAttempts;

    /** One notification that is due, claimed by this instance, with where it goes. */
    record Claimed(UUID id, UUID clientId, String uri, UUID userId, UUID tenantId, UUID sid, int attempts) {
    }

    /**
     * Up to {@code batch} due notifications, claimed for {@link #LEASE_SECONDS}: another instance skips the rows
     * while this statement holds them and sees them as not due afterwards. A client that dropped its URI since
     * gets nothing: its rows stay until purged.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    List<Claimed> claimDue(int batch) {
        List<Tuple> rows = em.createNativeQuery("""
                        update logout_notifications n set attempts = n.attempts + 1,
                               next_attempt_at = now() + make_interval(secs => ?1)
                        from oauth_clients c
                        where c.id = n.client_id and c.backchannel_logout_uri is not null
                          and n.id in (select d.id from logout_notifications d join oauth_clients dc on dc.id = d.client_id
                                       where d.delivered_at is null and d.next_attempt_at <= now() and d.attempts < ?2
                                         and dc.backchannel_logout_uri is not null
                                       order by d.next_attempt_at limit ?3 for update of d skip locked)
                        returning n.id, n.client_id, c.backchannel_logout_uri, n.user_id, n.tenant_id, n.sid, n.attempts""",
                        Tuple.class)
                .setParameter(1, LEASE_SECONDS).setParameter(2, maxAttempts).setParameter(3, batch)
                .getResultList();
        return rows.stream().map(r -> new Claimed(r.get("id", UUID.class), r.get("client_id", UUID.class),
                r.get("backchannel_logout_uri", String.class), r.get("user_id", UUID.class), r.get("tenant_id", UUID.class),
                r.get("sid", UUID.class), r.get("attempts", Number.class).intValue())).toList();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void delivered(UUID id) {
        em.createNativeQuery("update logout_notifications set delivered_at = now(), last_error = null where id = ?1")
                .setParameter(1, id).executeUpdate();
    }

    /** Not delivered: tried again after the backoff, doubling from {@code retrySeconds} up to an hour. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void failed(UUID id, int attempts, long retrySeconds, String error) {
        long backoff = Math.min(3600, retrySeconds << Math.min(attempts - 1, 20));
        em.createNativeQuery("""
                        update logout_notifications set last_error = ?2, next_attempt_at = now() + make_interval(secs => ?3)
                        where id = ?1""")
                .setParameter(1, id).setParameter(2, error.length() > 1000 ? error.substring(0, 1000) : error)
                .setParameter(3, backoff).executeUpdate();
    }

    void purges(@Observes Housekeeping.Purges purges, LogoutNotifications notifications) {
        purges.retention("delivered or given-up logout notification(s)", notifications::purgeDone);
    }

    /**
     * Deletes up to {@code batch} notifications delivered a day ago or given up (every attempt failed) a week ago,
     * and answers how many. Instances running this at once skip each other's rows.
     */
    @Transactional
    public int purgeDone(int batch) {
        return em.createNativeQuery("""
                        delete from logout_notifications where id in (
                            select id from logout_notifications
                            where delivered_at < now() - make_interval(days => ?1)
                               or (delivered_at is null and attempts >= ?2 and created_at < now() - make_interval(days => ?3))
                            limit ?4 for update skip locked)""")
                .setParameter(1, DELIVERED_DAYS).setParameter(2, maxAttempts).setParameter(3, GIVEN_UP_DAYS)
                .setParameter(4, batch).executeUpdate();
    }
}
