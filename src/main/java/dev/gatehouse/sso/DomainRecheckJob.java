package dev.gatehouse.sso;

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
 * Every gatehouse.sso.domain-recheck-minutes, on every instance: looks at the proved domains' TXT records again,
 * the least recently checked first. A record gone ends the proof (a security event); a failed look-up changes
 * nothing. Instances running at once look at the same domains twice at worst, which is harmless.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigrations")
public class DomainRecheckJob {

    private static final Logger LOG = Logger.getLogger(DomainRecheckJob.class.getName());
    /** Enough for every domain of a large deployment per round; the rest wait for the next one. */
    private static final int PER_ROUND = 500;

    @Resource
    TimerService timers;

    @Inject
    TenantDomains domains;

    @Inject
    DomainProofs proofs;

    @Inject
    @ConfigProperty(name = "gatehouse.sso.domain-recheck-seconds")
    long recheckSeconds;

    @PostConstruct
    void schedule() {
        long millis = recheckSeconds * 1000;
        timers.createIntervalTimer(millis, millis, new TimerConfig("domain-recheck", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void run() {
        try {
            for (TenantDomains.Proved domain : domains.dueForCheck(PER_ROUND)) {
                DomainProofs.Outcome outcome = proofs.look(domain.domain(), domain.proof());
                if (outcome != DomainProofs.Outcome.UNKNOWN) {
                    domains.recordRecheck(domain, outcome == DomainProofs.Outcome.FOUND);
                }
            }
        } catch (RuntimeException e) {
            LOG.warning("Domain re-check failed; trying again at the next run: " + e);
        }
    }
}
