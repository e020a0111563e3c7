package dev.gatehouse.tokens;

import dev.gatehouse.caller.VerificationKeys;
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
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the first signing keys at startup (before any request is served) and rotates on schedule: every
 * instance checks every gatehouse.jwt.signing-key.check-seconds (ten minutes), and the one that gets the lock rotates once the current key has signed for
 * gatehouse.jwt.signing-key.rotation-days and the next one has been published for
 * gatehouse.jwt.signing-key.next-publish-hours; the others reload from the notification, as after an on-demand
 * rotation.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigrations")
public class SigningKeyRotation {

    private static final Logger LOG = Logger.getLogger(SigningKeyRotation.class.getName());

    @Resource
    TimerService timers;

    @Inject
    SigningKeyStore store;

    @Inject
    VerificationKeys verificationKeys;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.signing-key.rotation-days")
    long rotationDays;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.signing-key.next-publish-hours")
    long nextPublishHours;

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.signing-key.check-seconds")
    long checkSeconds;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void start() {
        store.ensureKeys();
        verificationKeys.reload();
        // refuses to start when the keys cannot be opened (another gatehouse.jwt.key-encryption-key)
        store.signingKey(verificationKeys.currentKid());
        long millis = Duration.ofSeconds(checkSeconds).toMillis();
        timers.createIntervalTimer(millis, millis, new TimerConfig("signing-key rotation", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void rotateIfDue() {
        try {
            if (store.rotateIfDue(Duration.ofDays(rotationDays), Duration.ofHours(nextPublishHours))) {
                LOG.info("Signing keys rotated on schedule");
                verificationKeys.reload();
            }
        } catch (RuntimeException e) {
            LOG.warning("Scheduled signing-key rotation failed; trying again at the next check: " + e);
        }
    }
}
