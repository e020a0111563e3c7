package dev.gatehouse.mail;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every gatehouse.mail.poll-seconds, on every instance: sends what is due, the retries and the mails of a
 * commit whose own send did not run (the instance stopped, say). A non-persistent EJB timer of its own, not a
 * platform/Housekeeping purge: it sends rather than deletes, and its first run is at boot.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigrations")
public class MailSenderJob {

    @Resource
    TimerService timers;

    @Inject
    MailSender sender;

    @Inject
    @ConfigProperty(name = "gatehouse.mail.poll-seconds")
    long pollSeconds;

    /** The first run at once: a misconfigured mail resource is reported at boot ({@link MailSender#sendDue}). */
    @PostConstruct
    void schedule() {
        long millis = pollSeconds * 1000;
        timers.createIntervalTimer(0, millis, new TimerConfig("mail-sender", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void run() {
        sender.sendDue();
    }
}
