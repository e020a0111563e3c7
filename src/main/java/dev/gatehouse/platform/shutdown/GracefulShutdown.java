package dev.gatehouse.platform.shutdown;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Stops this instance without failing a request behind a load balancer (docs/operations.md, "Running several instances").
 * <p>
 * Left alone, Payara Micro stops at SIGTERM at once: its shutdown hook stops the server, which undeploys the
 * application while the HTTP listener still accepts requests, then closes the listener with whatever is in
 * flight (Grizzly's shutdownNow). The JVM runs shutdown hooks concurrently, so another hook cannot hold that
 * back. This class takes SIGTERM itself and hands it to the JVM's own handler (which runs Payara's hook, and
 * so closes the JDBC pool) only after two phases:
 * <ol>
 *   <li>draining, for gatehouse.shutdown.drain-seconds: /health/ready answers DOWN at once, requests are
 *       served as usual, and each response closes its connection, so that the load balancer's health check
 *       takes the instance out and its clients reconnect elsewhere;</li>
 *   <li>stopping: new requests are refused with 503 and Retry-After ({@link DrainFilter}), and the requests
 *       in flight finish, for at most gatehouse.shutdown.in-flight-seconds.</li>
 * </ol>
 * SIGINT (Ctrl-C) and SIGKILL stop at once, as before.
 */
@ApplicationScoped
public class GracefulShutdown {

    enum Phase { SERVING, DRAINING, STOPPING }

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class.getName());
    private static final Signal TERM = new Signal("TERM");

    @Inject
    @ConfigProperty(name = "gatehouse.shutdown.drain-seconds")
    int drainSeconds;

    @Inject
    @ConfigProperty(name = "gatehouse.shutdown.in-flight-seconds")
    int inFlightSeconds;

    private volatile Phase phase = Phase.SERVING;
    private final AtomicInteger inFlight = new AtomicInteger();
    private SignalHandler jvmHandler;

    void install(@Observes @Initialized(ApplicationScoped.class) Object started) {
        jvmHandler = Signal.handle(TERM, this::stop);
    }

    /** An undeployment without the process ending (a redeploy) gives SIGTERM back to the JVM. */
    @PreDestroy
    void uninstall() {
        if (jvmHandler != null && phase == Phase.SERVING) {
            Signal.handle(TERM, jvmHandler);
        }
    }

    public boolean draining() {
        return phase != Phase.SERVING;
    }

    Phase phase() {
        return phase;
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestEnded() {
        inFlight.decrementAndGet();
    }

    /** Runs on the JVM's signal thread, which may block; a second SIGTERM while draining changes nothing. */
    private void stop(Signal signal) {
        synchronized (this) {
            if (phase != Phase.SERVING) {
                return;
            }
            phase = Phase.DRAINING;
        }
        LOG.info(() -> "SIGTERM: readiness DOWN, serving for " + drainSeconds + " s more while load balancers take this instance out");
        sleep(Duration.ofSeconds(drainSeconds));
        phase = Phase.STOPPING;
        LOG.info(() -> "Drained: refusing new requests, waiting at most " + inFlightSeconds + " s for "
                + inFlight.get() + " in flight");
        long deadline = System.nanoTime() + Duration.ofSeconds(inFlightSeconds).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(20));
        }
        int unfinished = inFlight.get();
        if (unfinished > 0) {
            LOG.warning(() -> "Stopping with " + unfinished + " request(s) still in flight");
        }
        LOG.info("Stopping the server");
        if (jvmHandler == SignalHandler.SIG_DFL || jvmHandler == SignalHandler.SIG_IGN) {
            System.exit(128 + signal.getNumber()); // the JVM ran without its own handler (-Xrs)
        }
        jvmHandler.handle(signal);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
