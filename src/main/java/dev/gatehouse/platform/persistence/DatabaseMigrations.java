package dev.gatehouse.platform.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema up to date with Flyway when the application starts, before it serves a request.
 * A failed migration throws, which fails the deployment: the application then has no readiness check
 * and Payara answers /health/ready with DOWN (mp.health.default.readiness.empty.response, server-config/).
 * Bean-managed transactions: Flyway manages its own.
 */
@Startup
@Singleton
@TransactionManagement(TransactionManagementType.BEAN)
public class DatabaseMigrations {

    public static final String DATASOURCE = "jdbc/gatehouse";
    private static final Logger LOG = Logger.getLogger(DatabaseMigrations.class.getName());

    @Resource(lookup = DATASOURCE)
    DataSource dataSource;

    @PostConstruct
    void migrate() {
        try {
            MigrateResult result = migrate(dataSource);
            // Flyway leaves the target version null when nothing was pending: the schema stayed where it was
            String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
            LOG.info(() -> "Database schema at version " + version + ", " + result.migrationsExecuted
                    + " migration(s) applied now");
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "DATABASE MIGRATION FAILED, Gatehouse will not start: " + e.getMessage(), e);
            throw e;
        }
    }

    /** Applies the pending migrations from db/migration to the given database. */
    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure(DatabaseMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
