package dev.gatehouse.lockout;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.platform.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Brute-force protection per account: failed logins counted per (normalised) email in PostgreSQL, so every
 * instance sees one count. From gatehouse.login.lockout.threshold failures on, each failure makes the email
 * wait before its next attempt: gatehouse.login.lockout.first-delay-seconds, doubling with each further
 * failure up to gatehouse.login.lockout.max-delay-seconds. Failures older than
 * gatehouse.login.lockout.reset-hours are forgotten; a successful login or an admin clears them.
 * <p>
 * Counted by email, not by tenant and email: the password belongs to the account, which may be a member of
 * several tenants, so a count per tenant would multiply an attacker's budget by the tenants they name.
 */
@ApplicationScoped
public class LoginAttempts {

    /** The failures recorded for an email; {@link #NONE} when there are none (or they are forgotten). */
    public record Failures(int count, Instant lastFailedAt, Instant lockedUntil, long waitSeconds) {

        static final Failures NONE = new Failures(0, null, null, 0);

        /** Whether a row exists, which a successful login deletes. */
        public boolean recorded() {
            return count > 0;
        }

        public boolean locked() {
            return waitSeconds > 0;
        }
    }

    @Inject
    EntityManager em;

    @Inject
    SecurityEvents events;

    @Inject
    @ConfigProperty(name = "gatehouse.login.lockout.threshold")
    int threshold;

    @Inject
    @ConfigProperty(name = "gatehouse.login.lockout.first-delay-seconds")
    long firstDelaySeconds;

    @Inject
    @ConfigProperty(name = "gatehouse.login.lockout.max-delay-seconds")
    long maxDelaySeconds;

    @Inject
    @ConfigProperty(name = "gatehouse.login.lockout.reset-hours")
    long resetHours;

    /** One statement; the wait is computed by the database's clock, the one every instance shares. */
    public Failures of(String email) {
        List<?> rows = em.createNativeQuery("""
                        select failures, last_failed_at, locked_until,
                               greatest(0, ceil(extract(epoch from locked_until - clock_timestamp())))::bigint
                        from login_failures
                        where email = ?1 and last_failed_at >= now() - make_interval(hours => ?2)""")
                .setParameter(1, email)
                .setParameter(2, (int) resetHours)
                .getResultList();
        if (rows.isEmpty()) {
            return Failures.NONE;
        }
        Object[] row = (Object[]) rows.getFirst();
        return new Failures(((Number) row[0]).intValue(), Timestamps.instant(row[1]), Timestamps.instant(row[2]),
                row[3] == null ? 0 : ((Number) row[3]).longValue());
    }

    /**
     * Counts a failed login of this email and records its event (given the count), in a transaction of its
     * own: the caller answers 401 by throwing, which must not undo the count.
     */
    @Transactional
    public void failed(String email, SecurityEvent event) {
        int failures = ((Number) em.createNativeQuery("""
                        insert into login_failures as f (email, failures, last_failed_at) values (?1, 1, now())
                        on conflict (email) do update set
                            failures = case when f.last_failed_at < now() - make_interval(hours => ?2)
                                            then 1 else f.failures + 1 end,
                            last_failed_at = now()
                        returning failures""")
                .setParameter(1, email)
                .setParameter(2, (int) resetHours)
                .getSingleResult()).intValue();
        if (failures >= threshold) {
            em.createNativeQuery("update login_failures set locked_until = now() + make_interval(secs => ?2) where email = ?1")
                    .setParameter(1, email)
                    .setParameter(2, (double) delaySeconds(failures))
                    .executeUpdate();
        }
        events.record(event.detail("failures", failures));
    }

    /** The wait after the n-th failure: the first delay at the threshold, doubling, at most the max delay. */
    long delaySeconds(int failures) {
        int doublings = Math.min(failures - threshold, 40);
        return Math.min(maxDelaySeconds, firstDelaySeconds << doublings);
    }

    /**
     * Starts the session of a successful login, forgets the email's failures and records the event, all in one
     * transaction: a session never exists without its event.
     */
    @Transactional
    public <T> T succeeded(String email, Failures failures, SecurityEvent event, Supplier<T> startSession) {
        T session = startSession.get();
        if (failures.recorded()) {
            forget(email);
        }
        events.record(event);
        return session;
    }

    /** An admin clears an account's failures: false when there were none. */
    @Transactional
    public boolean clear(String email, SecurityEvent event) {
        Failures failures = of(email);
        if (!failures.recorded()) {
            return false;
        }
        forget(email);
        events.record(event.detail("failures", failures.count()));
        return true;
    }

    /** Deletes up to {@code batch} rows whose failures are forgotten anyway; instances skip each other's rows. */
    @Transactional
    public int purgeForgotten(int batch) {
        return em.createNativeQuery("""
                        delete from login_failures where email in (
                            select email from login_failures where last_failed_at < now() - make_interval(hours => ?1)
                            limit ?2 for update skip locked)""")
                .setParameter(1, (int) resetHours)
                .setParameter(2, batch)
                .executeUpdate();
    }

    private void forget(String email) {
        em.createNativeQuery("delete from login_failures where email = ?1").setParameter(1, email).executeUpdate();
    }
}
