package dev.gatehouse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.platform.persistence.DatabaseMigrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Flyway ran at deployment, applies everything to an empty database and nothing on a second start. */
abstract class MigrationChecks {

    private static long migrationFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        }
    }

    @Test
    void deploymentAppliedEveryMigration() throws Exception {
        try (Connection db = TestServer.database(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select count(*), bool_and(success) from flyway_schema_history where version is not null")) {
            rs.next();
            assertEquals(migrationFiles(), rs.getLong(1));
            assertTrue(rs.getBoolean(2));
        }
    }

    @Test
    void emptyDatabaseIsMigratedAndASecondRunChangesNothing() throws Exception {
        String name = "migration_check_" + System.nanoTime();
        try (Connection db = TestServer.database(); Statement sql = db.createStatement()) {
            sql.execute("create database " + name);
        }
        try {
            PGSimpleDataSource empty = new PGSimpleDataSource();
            empty.setURL("jdbc:postgresql://localhost:" + TestServer.DB_PORT + "/" + name);
            empty.setUser("postgres");

            assertEquals(migrationFiles(), DatabaseMigrations.migrate(empty).migrationsExecuted);
            assertEquals(0, DatabaseMigrations.migrate(empty).migrationsExecuted, "a restart applies nothing");
        } finally {
            try (Connection db = TestServer.database(); Statement sql = db.createStatement()) {
                sql.execute("drop database " + name + " with (force)");
            }
        }
    }
}
