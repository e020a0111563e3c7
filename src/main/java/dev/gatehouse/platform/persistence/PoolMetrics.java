package dev.gatehouse.platform.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The JDBC pool's figures as gauges in /metrics (application scope): gatehouse_pool_in_use, _free,
 * _wait_queue and _wait_time_ms. They are the figures of Payara's own monitoring of gatehouse-pool, which
 * `asadmin get -m` shows, read from its monitoring MBean on the platform MBean server. That MBean exists once
 * AMX is booted; the first read boots it, in this process, as the admin console does. Payara's own
 * connection_pool_* metrics stay 0 (docs/operations.md, "Deploy to Payara Server", "Pool figures").
 * <p>
 * Where Payara's monitoring does not run (Payara Micro 7.2025.1 on JDK 25: its probe agent fails to attach,
 * NCLS-MON-00504) the MBean reports zeros only, even with the caller cache's connection held for good. A pool
 * that has created no connection while Gatehouse runs is such a case: the gauges answer NaN then, not a false 0.
 */
@ApplicationScoped
public class PoolMetrics {

    private static final Logger LOG = Logger.getLogger(PoolMetrics.class.getName());
    private static final ObjectName POOL_MONITOR = objectName("amx:type=jdbc-connection-pool-mon,name=resources/gatehouse-pool,*");
    private static final ObjectName AMX_BOOT = objectName("amx-support:type=boot-amx");

    @Inject
    MetricRegistry metrics;

    private volatile boolean amxBootTried;

    void register(@Observes @Initialized(ApplicationScoped.class) Object started) {
        gauge("gatehouse.pool.in_use", "Connections of gatehouse-pool in use now", "numconnused", "current");
        gauge("gatehouse.pool.free", "Idle connections of gatehouse-pool now", "numconnfree", "current");
        gauge("gatehouse.pool.wait_queue", "Requests waiting for a connection of gatehouse-pool now", "waitqueuelength", "count");
        gauge("gatehouse.pool.wait_time_ms", "Milliseconds the latest connection request of gatehouse-pool waited",
                "connrequestwaittime", "current");
    }

    private void gauge(String name, String description, String attribute, String item) {
        metrics.gauge(Metadata.builder().withName(name).withDescription(description).build(), () -> read(attribute, item));
    }

    private Double read(String attribute, String item) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName pool = poolMonitor(server);
            if (pool == null || value(server, pool, "numconncreated", "count") == 0) {
                return Double.NaN;
            }
            return value(server, pool, attribute, item);
        } catch (JMException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private ObjectName poolMonitor(MBeanServer server) throws JMException {
        Set<ObjectName> found = server.queryNames(POOL_MONITOR, null);
        if (found.isEmpty() && !amxBootTried) {
            amxBootTried = true;
            if (server.isRegistered(AMX_BOOT)) {
                server.invoke(AMX_BOOT, "bootAMX", null, null);
                found = server.queryNames(POOL_MONITOR, null);
            }
            if (found.isEmpty()) {
                LOG.info("No monitoring MBean of gatehouse-pool: the gatehouse_pool_* metrics answer NaN");
            }
        }
        return found.isEmpty() ? null : found.iterator().next();
    }

    private static double value(MBeanServer server, ObjectName pool, String attribute, String item) throws JMException {
        return ((Number) ((CompositeData) server.getAttribute(pool, attribute)).get(item)).doubleValue();
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}
