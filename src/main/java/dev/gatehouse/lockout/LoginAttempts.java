package dev.gatehouse.lockout;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.http.RetryLater;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.platform.requestlog.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Brute-force protection for every check of a secret (a login's password, a current password presented again,
 * an invitation accepted with a password, an MFA code): attempts counted in PostgreSQL, so every instance sees
 * one count, per (normalised) email and client address. From gatehouse.login.lockout.threshold attempts on,
 * that pair waits before its next one: gatehouse.login.lockout.first-delay-seconds, doubling with each further
 * attempt up to gatehouse.login.lockout.max-delay-seconds. Counts older than gatehouse.login.lockout.reset-hours
 * are forgotten; a success forgets its pair's, a password reset or an admin the email's.
 * <p>
 * Per address, so that a stranger's guesses make the stranger wait, never the owner at another address. Against
 * guesses spread over many addresses, once the email's attempts over all addresses reach
 * gatehouse.login.lockout.account-threshold, every address waits after each attempt: the guesses an attacker
 * gets grow with the addresses they hold, while the owner still gets one attempt per wait from theirs.
 * Counted by email, not by tenant: the password belongs to the account, which may be a member of several
 * tenants, so a count per tenant would multiply an attacker's budget by the tenants they name.
 * <p>
 * An attempt is claimed before the secret is checked ({@link #claim}): of parallel attempts at the threshold,
 * one gets the check and the others wait, and a check that fails, times out or crashes has counted already.
 */
@ApplicationScoped
public class LoginAttempts {

    /**
     * One claimed attempt of an email from an address: {@code number} counts it among the pair's attempts since
     * its last success; {@code waitSeconds} is positive when it was refused (the pair must wait first).
     */
    public record Attempt(String email, String address, int number, long waitSeconds) {

        public boolean throttled() {
            return waitSeconds > 0;
        }

        /**
         * 429 with Retry-After when the attempt was refused, the same whatever the secret and whether an account
         * has the email; nothing otherwise.
         */
        public void requireAllowed() {
            if (throttled()) {
                throw new RetryLater(ProblemType.LOGIN_THROTTLED,
                        "Too many failed attempts with this email. Try again later.", waitSeconds);
            }
        }
    }

    /** An email's attempts over all addresses, as an admin sees them; {@code lockedUntil} null when none waits. */
    public record Failures(int count, Instant lastFailedAt, Instant lockedUntil) {

        public boolean recorded() {
            return count > 0;
        }
    }

    @Inject
    EntityManager em;

    @Inject
    SecurityEvents events;

    @Inject
    RequestContext request;

    @Inject
    @ConfigProperty(name = "gatehouse.login.lockout.threshold")
    int threshold;

    @Inject
    @ConfigProperty(name = "gatehouse.login.lockout.account-threshold")
    int accountThreshold;

    @Inject
    @ConfigProperty(name = "gatehouse.login.lockout.first-delay-seconds")
    long firstDelaySeconds;

    @Inject
    @ConfigProperty(name = "gatehouse.login.lockout.max-delay-seconds")
    long maxDelaySeconds;

    @Inject
    @ConfigProperty(name = "gatehouse.login.lockout.reset-hours")
    long resetHours;

    /**
     * Claims an attempt of this email from the request's client address, before its secret is checked. Joins
     * the caller's transaction if there is one (which must then commit when the check fails), else commits at
     * once, before the check runs. The row lock the claim takes makes parallel attempts of one pair serial:
     * the one that reaches the threshold sets the wait the others then meet.
     */
    @Transactional
    public Attempt claim(String email) {
        String address = request.clientAddress() == null ? "" : request.clientAddress();
        List<Tuple> rows = em.createNativeQuery("""
                        insert into login_failures as f (email, client_address, failures, last_failed_at)
                        values (?1, ?2, 1, now())
                        on conflict (email, client_address) do update set
                            failures = case when f.last_failed_at < now() - make_interval(hours => ?3)
                                            then 1 else f.failures + 1 end,
                            last_failed_at = now(), locked_until = null
                        where f.locked_until is null or f.locked_until <= clock_timestamp()
                        returning failures,
                                  (select coalesce(sum(g.failures), 0) from login_failures g
                                   where g.email = ?1 and g.last_failed_at >= now() - make_interval(hours => ?3))
                                  as email_failures""", Tuple.class)
                .setParameter(1, email).setParameter(2, address).setParameter(3, (int) resetHours)
                .getResultList();
        if (rows.isEmpty()) { // the update's condition refused it: the pair is waiting
            return new Attempt(email, address, 0, waitSeconds(email, address));
        }
        Tuple row = rows.getFirst();
        int number = row.get("failures", Number.class).intValue();
        long emailAttempts = row.get("email_failures", Number.class).longValue() + 1;
        if (number >= threshold || emailAttempts >= accountThreshold) {
            em.createNativeQuery("""
                            update login_failures set locked_until = now() + make_interval(secs => ?3)
                            where email = ?1 and client_address = ?2""")
                    .setParameter(1, email).setParameter(2, address)
                    .setParameter(3, (double) delaySeconds(Math.max(number, threshold)))
                    .executeUpdate();
        }
        return new Attempt(email, address, number, 0);
    }

    private long waitSeconds(String email, String address) {
        List<?> rows = em.createNativeQuery("""
                        select greatest(1, ceil(extract(epoch from locked_until - clock_timestamp())))::bigint
                        from login_failures where email = ?1 and client_address = ?2""")
                .setParameter(1, email).setParameter(2, address).getResultList();
        return rows.isEmpty() ? 1 : ((Number) rows.getFirst()).longValue();
    }

    /** The wait after the n-th attempt: the first delay at the threshold, doubling, at most the max delay. */
    long delaySeconds(int attempts) {
        int doublings = Math.min(attempts - threshold, 40);
        return Math.min(maxDelaySeconds, firstDelaySeconds << doublings);
    }

    /**
     * Runs the claimed attempt's check. One that could not run (503 busy: no password-hashing slot came free)
     * is released, so that a busy server counts nobody's attempts: only checks count. Transactional for the
     * release (a call within this bean passes no interceptor); the check itself touches no connection.
     */
    @Transactional(dontRollbackOn = RetryLater.class)
    public boolean check(Attempt attempt, BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RetryLater notRun) {
            release(attempt);
            throw notRun;
        }
    }

    /** The claimed attempt's check failed: its event, with the pair's count. It was counted when claimed. */
    @Transactional
    public void failed(Attempt attempt, SecurityEvent event) {
        events.record(event.detail("failures", attempt.number()));
    }

    /**
     * The claimed attempt's check passed, but only as the first of two steps (a password, with the second
     * factor still due): it is not counted, and the pair's count is not forgotten either, so knowing the
     * password buys no extra guesses at the code. One statement, in a transaction of its own if none is open.
     * The wait it may have set goes too: a claim was allowed only while no other wait was due.
     */
    @Transactional
    public void release(Attempt attempt) {
        em.createNativeQuery("""
                        update login_failures set failures = greatest(failures - 1, 0), locked_until = null
                        where email = ?1 and client_address = ?2""")
                .setParameter(1, attempt.email()).setParameter(2, attempt.address()).executeUpdate();
    }

    /** The claimed attempt's check passed: its pair's count is forgotten, in the caller's transaction if any. */
    @Transactional
    public void succeeded(Attempt attempt) {
        em.createNativeQuery("delete from login_failures where email = ?1 and client_address = ?2")
                .setParameter(1, attempt.email()).setParameter(2, attempt.address()).executeUpdate();
    }

    /**
     * Starts the session of a successful sign-in, forgets its pair's count (unless {@code attempt} is null: a
     * check before forgot it) and records the event, all in one transaction: a session never exists without
     * its event.
     */
    @Transactional
    public <T> T succeeded(Attempt attempt, SecurityEvent event, Supplier<T> startSession) {
        T session = startSession.get();
        if (attempt != null) {
            succeeded(attempt);
        }
        events.record(event);
        return session;
    }

    /** The email's attempts over every address, within the reset window: one statement. */
    public Failures of(String email) {
        Tuple row = (Tuple) em.createNativeQuery("""
                        select coalesce(sum(failures), 0) as failures, max(last_failed_at) as last_failed_at,
                               max(locked_until) filter (where locked_until > clock_timestamp()) as locked_until
                        from login_failures
                        where email = ?1 and last_failed_at >= now() - make_interval(hours => ?2)""", Tuple.class)
                .setParameter(1, email)
                .setParameter(2, (int) resetHours)
                .getSingleResult();
        return new Failures(row.get("failures", Number.class).intValue(), Timestamps.instant(row.get("last_failed_at")),
                Timestamps.instant(row.get("locked_until")));
    }

    /** An admin clears an account's count at every address: false when there was none. */
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

    /**
     * Forgets the email's count at every address, in the caller's transaction: a password reset proved the
     * mailbox and replaced the password that was being guessed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(String email) {
        em.createNativeQuery("delete from login_failures where email = ?1").setParameter(1, email).executeUpdate();
    }

    void purges(@Observes Housekeeping.Purges purges, LoginAttempts attempts) {
        purges.retention("forgotten failed-login count(s)", attempts::purgeForgotten);
    }

    /** Deletes up to {@code batch} rows whose counts are forgotten anyway; instances skip each other's rows. */
    @Transactional
    public int purgeForgotten(int batch) {
        return em.createNativeQuery("""
                        delete from login_failures where (email, client_address) in (
                            select email, client_address from login_failures
                            where last_failed_at < now() - make_interval(hours => ?1)
                            limit ?2 for update skip locked)""")
                .setParameter(1, (int) resetHours)
                .setParameter(2, batch)
                .executeUpdate();
    }
}
