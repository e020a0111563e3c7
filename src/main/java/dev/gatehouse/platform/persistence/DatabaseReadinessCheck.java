package dev.gatehouse.platform.persistence;

import dev.gatehouse.platform.shutdown.GracefulShutdown;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the database answers and the instance is not shutting down: /health/ready turns 503
 * otherwise. From SIGTERM on it is DOWN without asking the database, so a load balancer stops sending
 * requests while this instance still serves them ({@link GracefulShutdown}).
 */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

    private static final int TIMEOUT_SECONDS = 2;

    @Resource(lookup = DatabaseMigrations.DATASOURCE)
    DataSource dataSource;

    @Inject
    GracefulShutdown shutdown;

    @Override
    public HealthCheckResponse call() {
        if (shutdown.draining()) {
            return HealthCheckResponse.named("shutdown").down().build();
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean valid = connection.isValid(TIMEOUT_SECONDS);
            return HealthCheckResponse.named("database").status(valid).build();
        } catch (SQLException e) {
            return HealthCheckResponse.named("database").down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
