package dev.gatehouse.sessions;

import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.mail.MailOutbox;
import dev.gatehouse.mail.RecipientLimits;
import dev.gatehouse.users.AccountTokens;
import dev.gatehouse.mfa.MfaTickets;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Deletes what nothing needs any more, every gatehouse.retention.interval-seconds: security events older
 * than gatehouse.audit.retention-days, refresh tokens and the tokens of mails past their expiry,
 * failed-login counts older than gatehouse.login.lockout.reset-hours, expired MFA tickets, mails the
 * outbox gave up on a week ago, and the per-recipient mail budgets whose window ended. A non-persistent EJB timer on
 * every instance, with no coordination: each deletion is a batch whose rows another instance's batch skips
 * (FOR UPDATE SKIP LOCKED), repeated until a batch comes back short.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigrations")
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());
    /** Small enough that a batch holds its locks briefly, large enough that a backlog goes in few rounds. */
    private static final int BATCH = 5_000;

    @Resource
    TimerService timers;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    LoginAttempts loginAttempts;

    @Inject
    AccountTokens accountTokens;

    @Inject
    MfaTickets mfaTickets;

    @Inject
    MailOutbox mailOutbox;

    @Inject
    RecipientLimits recipientLimits;

    @Inject
    @ConfigProperty(name = "gatehouse.mail.max-attempts")
    int mailMaxAttempts;

    @Inject
    @ConfigProperty(name = "gatehouse.retention.interval-seconds")
    long intervalSeconds;

    @Inject
    @ConfigProperty(name = "gatehouse.audit.retention-days")
    int eventRetentionDays;

    @PostConstruct
    void schedule() {
        long millis = intervalSeconds * 1000;
        timers.createIntervalTimer(millis, millis, new TimerConfig("retention", false));
    }

    /** Each batch is its own transaction; a failure is logged and the next run tries again. */
    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void purge() {
        try {
            Instant eventCutoff = Instant.now().minus(Duration.ofDays(eventRetentionDays));
            int events = drain(() -> securityEvents.purgeOlderThan(eventCutoff, BATCH));
            int tokens = drain(() -> refreshTokens.purgeExpired(BATCH));
            int failures = drain(() -> loginAttempts.purgeForgotten(BATCH));
            int mailTokens = drain(() -> accountTokens.purgeExpired(BATCH));
            int tickets = mfaTickets.purgeExpired();
            int mails = drain(() -> mailOutbox.purgeGivenUp(mailMaxAttempts, BATCH));
            int mailBudgets = drain(() -> recipientLimits.purgeEnded(BATCH));
            if (events + tokens + failures + mailTokens + tickets + mails + mailBudgets > 0) {
                LOG.info(() -> "Retention: deleted " + events + " security event(s), " + tokens
                        + " expired refresh token(s), " + failures + " forgotten failed-login count(s), "
                        + mailTokens + " expired token(s) of mails, " + tickets + " expired MFA ticket(s) and "
                        + mails + " given-up mail(s), " + mailBudgets + " ended mail budget(s)");
            }
        } catch (RuntimeException e) {
            // no stack trace: while the database is away this repeats at every run
            LOG.warning("Retention run failed; trying again at the next run: " + e);
        }
    }

    private static int drain(IntSupplier batch) {
        int total = 0;
        int deleted;
        do {
            deleted = batch.getAsInt();
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
