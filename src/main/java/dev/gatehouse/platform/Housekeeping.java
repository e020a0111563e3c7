package dev.gatehouse.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Deletes what nothing needs any more, for the packages that own those rows. At startup each owner observes a
 * {@link Purges} and adds its purges; one non-persistent EJB timer per interval then runs them, on every instance
 * with no coordination: each batch deletes rows another instance's batch skips (FOR UPDATE SKIP LOCKED), repeated
 * until a batch comes back short. Most purges run every gatehouse.retention.interval-seconds.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigrations")
// the purges are fixed once scheduled: timers of different intervals need not wait for each other
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());
    /** Small enough that a batch holds its locks briefly, large enough that a backlog goes in few rounds. */
    public static final int BATCH = 5_000;

    @Resource
    TimerService timers;

    @Inject
    Event<Purges> owners;

    @Inject
    @ConfigProperty(name = "gatehouse.retention.interval-seconds")
    long retentionSeconds;

    private Map<Long, List<Purge>> byInterval;

    @PostConstruct
    void schedule() {
        Purges purges = new Purges(retentionSeconds);
        owners.fire(purges);
        byInterval = Map.copyOf(purges.byInterval);
        for (long seconds : byInterval.keySet()) {
            long millis = seconds * 1000;
            timers.createIntervalTimer(millis, millis, new TimerConfig(seconds, false));
        }
    }

    /** Each batch is its own transaction (the owner's); a failure is logged and the next run tries again. */
    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void run(Timer timer) {
        try {
            for (Purge purge : byInterval.get((Long) timer.getInfo())) {
                int deleted = drain(purge.deleteBatch());
                if (deleted > 0) {
                    LOG.info(() -> "Retention: deleted " + deleted + " " + purge.rows());
                }
            }
        } catch (RuntimeException e) {
            // no stack trace: while the database is away this repeats at every run
            LOG.warning("Retention run failed; trying again at the next run: " + e);
        }
    }

    private static int drain(IntUnaryOperator deleteBatch) {
        int total = 0;
        int deleted;
        do {
            deleted = deleteBatch.applyAsInt(BATCH);
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }

    /**
     * The startup event an owner of rows to delete observes, to add its purges: each deletes up to the batch size
     * it is given, in its own transaction, and answers how many it deleted. Owners call their own bean through
     * its proxy (an observer parameter), so that its @Transactional applies.
     */
    public static final class Purges {

        private final long retentionSeconds;
        private final Map<Long, List<Purge>> byInterval = new TreeMap<>();

        private Purges(long retentionSeconds) {
            this.retentionSeconds = retentionSeconds;
        }

        /** A purge every gatehouse.retention.interval-seconds; {@code rows} names them in the log line. */
        public void retention(String rows, IntUnaryOperator deleteBatch) {
            every(retentionSeconds, rows, deleteBatch);
        }

        public void every(long seconds, String rows, IntUnaryOperator deleteBatch) {
            byInterval.computeIfAbsent(seconds, s -> new ArrayList<>()).add(new Purge(rows, deleteBatch));
        }
    }

    private record Purge(String rows, IntUnaryOperator deleteBatch) {
    }
}
