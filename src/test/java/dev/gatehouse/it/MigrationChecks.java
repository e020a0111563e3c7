package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.platform.persistence.DatabaseMigrations;
import dev.gatehouse.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Flyway ran at deployment, applies everything to an empty database and nothing on a second start; a
 * failed migration fails the deployment and keeps readiness DOWN.
 */
abstract class MigrationChecks {

    private static long migrationFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        }
    }

    @Test
    void deploymentAppliedEveryMigration() throws Exception {
        try (Connection db = TestDatabase.connection(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select count(*), bool_and(success) from flyway_schema_history where version is not null")) {
            rs.next();
            assertEquals(migrationFiles(), rs.getLong(1));
            assertTrue(rs.getBoolean(2));
        }
    }

    @Test
    void emptyDatabaseIsMigratedAndASecondRunChangesNothing() throws Exception {
        String name = "migration_check_" + System.nanoTime();
        try (Connection db = TestDatabase.connection(); Statement sql = db.createStatement()) {
            sql.execute("create database " + name);
        }
        try {
            PGSimpleDataSource empty = new PGSimpleDataSource();
            empty.setURL(TestDatabase.url(name));
            empty.setUser("postgres");

            assertEquals(migrationFiles(), DatabaseMigrations.migrate(empty).migrationsExecuted);
            assertEquals(0, DatabaseMigrations.migrate(empty).migrationsExecuted, "a restart applies nothing");
        } finally {
            try (Connection db = TestDatabase.connection(); Statement sql = db.createStatement()) {
                sql.execute("drop database " + name + " with (force)");
            }
        }
    }

    @Test
    void aFailedMigrationFailsTheDeploymentAndReadinessStaysDown() throws Exception {
        String name = "broken_migration_" + System.nanoTime();
        try (Connection db = TestDatabase.connection(); Statement sql = db.createStatement()) {
            sql.execute("create database " + name);
        }
        Path war = TestServer.DATA_DIR.resolve("broken-migration.war");
        ShrinkWrap.createFromZipFile(WebArchive.class, TestServer.WAR.toFile())
                .addAsResource(new StringAsset("select * from no_such_table;"), "db/migration/V9999__broken.sql")
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        try (SecondServer broken = SecondServer.launch(war, Map.of("GATEHOUSE_DB_NAME", name))) {
            broken.awaitBooted();
            assertTrue(broken.output().contains("DATABASE MIGRATION FAILED"), "a clear log line");
            given().port(broken.port).get("/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
            given().port(broken.port).get("/api/v1/auth/me").then().statusCode(404); // nothing is served
        } finally {
            try (Connection db = TestDatabase.connection(); Statement sql = db.createStatement()) {
                sql.execute("drop database " + name + " with (force)");
            }
        }
    }
}
