package dev.gatehouse.oauth;

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
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Removes expired OAuth flows every gatehouse.oauth.state-cleanup-seconds (default 300). A non-persistent
 * EJB timer on every instance: no coordination needed, because the removal is one idempotent statement
 * (see {@link OAuthStates#deleteExpired()}). An expired flow is refused by its callback anyway; this only
 * keeps the table small.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigrations")
public class OAuthStateCleanup {

    private static final Logger LOG = Logger.getLogger(OAuthStateCleanup.class.getName());

    @Resource
    TimerService timers;

    @Inject
    OAuthStates states;

    @Inject
    @ConfigProperty(name = "gatehouse.oauth.state-cleanup-seconds")
    long intervalSeconds;

    @PostConstruct
    void schedule() {
        long millis = intervalSeconds * 1000;
        timers.createIntervalTimer(millis, millis, new TimerConfig("oauth-state-cleanup", false));
    }

    /** Its own transaction (OAuthStates); a failure is logged and the next run tries again. */
    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void removeExpired() {
        try {
            int removed = states.deleteExpired();
            if (removed > 0) {
                LOG.fine(() -> "Removed " + removed + " expired OAuth state(s)");
            }
        } catch (RuntimeException e) {
            // no stack trace: while the database is away this repeats at every run
            LOG.warning("Removing expired OAuth states failed; trying again at the next run: " + e);
        }
    }
}
