package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.platform.persistence.DatabaseMigrations;
import dev.gatehouse.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Flyway ran at deployment, applies everything to an empty database and nothing on a second start; a
 * failed migration fails the deployment and keeps readiness DOWN; V8 turns users into accounts and
 * memberships, and stops on an email with users in several tenants until the merge of docs/operations.md, "Merging duplicate accounts", has run.
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
        TestDatabase.withScratchDatabase("migration_check", empty -> {
            assertEquals(migrationFiles(), DatabaseMigrations.migrate(empty).migrationsExecuted);
            assertEquals(0, DatabaseMigrations.migrate(empty).migrationsExecuted, "a restart applies nothing");
        });
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

    private static void migrateTo(PGSimpleDataSource db, String version) {
        Flyway.configure(MigrationChecks.class.getClassLoader()).dataSource(db).locations("classpath:db/migration")
                .target(version).load().migrate();
    }

    private static void execute(PGSimpleDataSource db, String sql) throws Exception {
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> rows(PGSimpleDataSource db, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(String.valueOf(rs.getObject(i)));
                }
                rows.add(String.join(" ", row));
            }
        }
        return rows;
    }

    /** The users of a V5 database: two tenants, and one email with a user (roles, a session) in each. */
    private record V5Users(UUID acme, UUID beta, UUID older, UUID newer, UUID solo) {
        static V5Users seed(PGSimpleDataSource db) throws Exception {
            V5Users u = new V5Users(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
            execute(db, """
                    insert into tenants (id, name, slug, created_at, updated_at) values
                        ('%1$s', 'Acme', 'acme', now(), now()), ('%2$s', 'Beta', 'beta', now(), now());
                    insert into roles (id, tenant_id, name, is_system, created_at, updated_at) values
                        ('%1$s', '%1$s', 'admin', true, now(), now()), ('%2$s', '%2$s', 'viewer', true, now(), now());
                    insert into users (id, tenant_id, email, password_hash, full_name, is_active, is_superuser,
                                       token_version, created_at, updated_at) values
                        ('%3$s', '%1$s', 'ada@example.com', 'older-hash', 'Ada', true, true, 0, now() - interval '2 days', now()),
                        ('%4$s', '%2$s', 'ADA@example.com', 'newer-hash', 'Ada B', false, false, 0, now() - interval '1 day', now()),
                        ('%5$s', '%2$s', 'solo@example.com', 'solo-hash', 'Solo', true, true, 0, now(), now());
                    insert into user_roles (user_id, role_id) values ('%3$s', '%1$s'), ('%4$s', '%2$s');
                    insert into refresh_tokens (id, user_id, token_hash, family_id, expires_at, created_at, token_version,
                                                session_started_at) values
                        (gen_random_uuid(), '%3$s', 'a'::bytea, gen_random_uuid(), now() + interval '1 day', now(), 0, now()),
                        (gen_random_uuid(), '%4$s', 'b'::bytea, gen_random_uuid(), now() + interval '1 day', now(), 0, now());
                    """.formatted(u.acme, u.beta, u.older, u.newer, u.solo));
            return u;
        }
    }

    @Test
    void v8MakesEachUserAnAccountWithOneMembership() throws Exception {
        TestDatabase.withScratchDatabase("accounts", db -> {
            migrateTo(db, "5");
            UUID acme = UUID.randomUUID();
            UUID ada = UUID.randomUUID();
            UUID bob = UUID.randomUUID();
            execute(db, """
                    insert into tenants (id, name, slug, created_at, updated_at) values ('%1$s', 'Acme', 'acme', now(), now());
                    insert into users (id, tenant_id, email, password_hash, full_name, is_active, is_superuser,
                                       token_version, created_at, updated_at) values
                        ('%2$s', '%1$s', 'ada@example.com', 'h', 'Ada', true, true, 0, now(), now()),
                        ('%3$s', '%1$s', 'bob@example.com', 'h', 'Bob', false, false, 0, now(), now());
                    insert into refresh_tokens (id, user_id, token_hash, family_id, expires_at, created_at, token_version,
                                                session_started_at) values
                        (gen_random_uuid(), '%2$s', 'a'::bytea, gen_random_uuid(), now() + interval '1 day', now(), 0, now());
                    """.formatted(acme, ada, bob));

            DatabaseMigrations.migrate(db);

            assertEquals(List.of(ada + " " + acme + " true true", bob + " " + acme + " false false"),
                    rows(db, "select user_id, tenant_id, is_active, is_superuser from memberships order by user_id = '" + bob + "'"));
            assertEquals(List.of("true", "true"), rows(db, "select is_active from users"), "a deactivated user was a deactivated membership");
            assertEquals(List.of(acme.toString()), rows(db, "select tenant_id from refresh_tokens"));
        });
    }

    @Test
    void anEmailWithUsersInSeveralTenantsStopsV8UntilTheReadmeMergeHasRun() throws Exception {
        TestDatabase.withScratchDatabase("duplicates", db -> {
            migrateTo(db, "5");
            V5Users u = V5Users.seed(db);

            RuntimeException failure = assertThrows(RuntimeException.class, () -> DatabaseMigrations.migrate(db));
            StringBuilder messages = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            for (String expected : List.of("ada@example.com", "user " + u.older + " in tenant " + u.acme,
                    "user " + u.newer + " in tenant " + u.beta, "Merging duplicate accounts")) {
                assertTrue(messages.toString().contains(expected), "the message names " + expected + ": " + messages);
            }
            assertTrue(!messages.toString().contains("solo@example.com"), "only the duplicates are listed");
            assertEquals(List.of("0"), rows(db, "select count(*) from flyway_schema_history where version = '8' and success"),
                    "nothing of V8 was applied");
            assertEquals(List.of("0"), rows(db, "select count(*) from information_schema.tables where table_name = 'memberships'"),
                    "V8 rolled back whole");
            assertEquals(List.of("3"), rows(db, "select count(*) from users"), "nobody lost");

            execute(db, readmeMergeSql());
            DatabaseMigrations.migrate(db);

            assertEquals(List.of(u.older + " older-hash"), rows(db, "select id, password_hash from users where lower(email) = 'ada@example.com'"));
            assertEquals(List.of(u.acme + " true true", u.beta + " false false"), rows(db,
                    "select tenant_id, is_active, is_superuser from memberships where user_id = '" + u.older + "' order by tenant_id = '" + u.beta + "'"));
            assertEquals(List.of(u.acme + " admin", u.beta + " viewer"), rows(db, "select r.tenant_id, r.name from user_roles ur"
                    + " join roles r on r.id = ur.role_id where ur.user_id = '" + u.older + "' order by r.name"));
            assertEquals(List.of(u.solo + " " + u.beta), rows(db, "select user_id, tenant_id from memberships where user_id = '" + u.solo + "'"));
            assertEquals(List.of(u.older + " " + u.acme), rows(db, "select user_id, tenant_id from refresh_tokens"),
                    "the kept account's session, for its tenant; the merged user's ended");
            assertEquals(List.of("0"), rows(db, "select count(*) from information_schema.tables where table_name = 'account_merge_memberships'"));
        });
    }

    /** The SQL block of docs/operations.md, "Merging duplicate accounts", as an operator would copy it. */
    private static String readmeMergeSql() throws IOException {
        String readme = Files.readString(Path.of("docs/operations.md"));
        int section = readme.indexOf("### Merging duplicate accounts");
        int start = readme.indexOf("```sql\n", section) + "```sql\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }
}
