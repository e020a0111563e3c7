package dev.gatehouse.openid;

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
 * Every gatehouse.backchannel-logout.poll-seconds, on every instance: delivers the due logout notifications and
 * the retries. The rows are written by the database at commit, so there is no request to send them after: this
 * timer is the only sender.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigrations")
public class BackChannelLogoutJob {

    @Resource
    TimerService timers;

    @Inject
    BackChannelLogout sender;

    @Inject
    @ConfigProperty(name = "gatehouse.backchannel-logout.poll-seconds")
    long pollSeconds;

    @PostConstruct
    void schedule() {
        long millis = pollSeconds * 1000;
        timers.createIntervalTimer(millis, millis, new TimerConfig("backchannel-logout", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void run() {
        sender.sendDue();
    }
}
