package dev.gatehouse.caller;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.persistence.DatabaseMigrations;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Keeps one pooled connection LISTENing on the channel the V4 triggers notify, and evicts what each
 * notification names from the {@link CallerCache}; the V20 trigger's notification reloads the
 * {@link VerificationKeys}. While the connection is down (database restart, network)
 * the cache serves nothing it holds unless the database cannot be reached at all, and it starts empty when
 * the connection is back, so a missed notification can never leave a stale caller behind.
 */
@Startup
@Singleton
@DependsOn("DatabaseMigrations")
@TransactionManagement(TransactionManagementType.BEAN)
public class CallerChangeListener {

    private static final String LISTEN = "LISTEN gatehouse_callers";
    /** How long to wait for notifications before checking that the connection is still alive. */
    private static final int LIVENESS_CHECK_MILLIS = 1000;
    /** A check unanswered for this long means a dead network path (no reset ever arrives): reconnect. */
    private static final int NETWORK_TIMEOUT_MILLIS = 10_000;
    private static final long RECONNECT_DELAY_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(CallerChangeListener.class.getName());

    @Resource(lookup = DatabaseMigrations.DATASOURCE)
    DataSource dataSource;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    CallerCache cache;

    @Inject
    VerificationKeys signingKeys;

    private volatile boolean running = true;
    private Thread listener;

    @PostConstruct
    void start() {
        listener = threads.newThread(this::listen);
        listener.setName("gatehouse-caller-changes");
        listener.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        listener.interrupt();
    }

    private void listen() {
        boolean lost = false;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                listenOn(connection, lost);
            } catch (SQLException | RuntimeException e) {
                cache.stopCaching();
                if (!lost && running) {
                    LOG.warning("Caller cache off until the database is reachable again: " + e.getMessage());
                }
                lost = true;
                pause();
            }
        }
        cache.stopCaching();
    }

    /** Caches while this connection listens; returns when stopped, throws when the connection fails. */
    private void listenOn(Connection connection, boolean again) throws SQLException {
        PGConnection notifications = connection.unwrap(PGConnection.class);
        connection.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
        try (Statement statement = connection.createStatement()) {
            statement.execute(LISTEN);
            if (again) {
                signingKeys.reload(); // a rotation or revocation while the connection was down
            }
            cache.startCaching();
            LOG.info(again ? "Caller cache on again: listening for changes" : "Caller cache on: listening for changes");
            while (running) {
                PGNotification[] received = notifications.getNotifications(LIVENESS_CHECK_MILLIS);
                if (received != null && received.length > 0) {
                    for (PGNotification notification : received) {
                        evict(notification.getParameter());
                    }
                } else {
                    statement.execute(LISTEN); // a no-op round trip that proves the connection alive
                }
            }
            cache.stopCaching();
            statement.execute("UNLISTEN *"); // the connection goes back to the pool
        } finally {
            connection.setNetworkTimeout(Runnable::run, 0);
        }
    }

    /**
     * Applies one notification: signing-keys (V20) reloads the signing keys; user:<id>, tenant:<id>, or anything
     * else (all) empties the cache.
     */
    private void evict(String payload) {
        if (payload.equals("signing-keys")) {
            signingKeys.reload();
            return;
        }
        int colon = payload.indexOf(':');
        UUID id = colon < 0 ? null : Ids.parseOrNull(payload.substring(colon + 1));
        String kind = colon < 0 ? payload : payload.substring(0, colon);
        if (id != null && kind.equals("user")) {
            cache.evictUser(id);
        } else if (id != null && kind.equals("tenant")) {
            cache.evictTenant(id);
        } else {
            cache.evictAll();
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_DELAY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
