package dev.gatehouse.it;

import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import dev.gatehouse.v1import.ImportReport;
import dev.gatehouse.v1import.V1Import;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The v1 import (docs/upgrading-from-v1.md) from a v1 database built here from the v1 schema
 * (src/test/resources/v1/schema.sql) into the suite's database, then the people signing in over HTTP. The
 * bcrypt hashes are fixtures made by libxcrypt's crypt(3) ($2b$, cost 12, as passlib writes them), not by the
 * code under test; their passwords are beside them. In order: a dry run, the run, sign-ins, sessions, re-runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class V1ImportChecks {

    static final String RUN = Long.toString(System.nanoTime(), 36);
    static final String V1_DATABASE = "v1_core_" + RUN;
    static final UUID ALPHA = UUID.randomUUID();
    static final UUID BETA = UUID.randomUUID();
    static final UUID ADA = UUID.randomUUID();
    static final UUID BO_ALPHA = UUID.randomUUID();
    static final UUID BO_BETA = UUID.randomUUID();
    static final UUID CY_ALPHA = UUID.randomUUID();
    static final UUID CY_BETA = UUID.randomUUID();
    static final UUID DEE = UUID.randomUUID();
    static final UUID EVE = UUID.randomUUID();
    static final UUID AUDITOR = UUID.randomUUID();
    static final String LIVE_TOKEN = "v1-live-refresh-token-" + RUN;
    static final String REVOKED_TOKEN = "v1-revoked-refresh-token-" + RUN;
    static final AtomicInteger USERS_WRITTEN = new AtomicInteger();
    static final List<String> TABLES = List.of("tenants", "users", "memberships", "roles", "role_permissions",
            "user_roles", "refresh_tokens", "legacy_password_hashes", "v1_import_ids", "security_events");

    static String email(String name) {
        return name + "-" + RUN + "@v1.example.com";
    }

    @Test
    @Order(1)
    void aDryRunWritesNothingAndReportsWhatItWould() throws Exception {
        createV1Database();
        Map<String, Long> before = rowCounts();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImportReport report = V1Import.run(v1Url(), gatehouseUrl(), "test-operator", true, false,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(before, rowCounts(), "a dry run writes nothing");
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed); // the report docs/upgrading-from-v1.md shows
        assertTrue(printed.contains("DRY RUN"), printed);
        assertEquals(2, report.get("tenants created"), printed);
        assertEquals(5, report.get("accounts created"), printed);
        assertEquals(7, report.get("memberships created"), printed);
        assertEquals(2, report.get("extra passwords (several tenants)"), printed);
        assertEquals(1, report.get("refresh tokens carried over"), printed);
        assertTrue(printed.contains("reports:export in alpha-" + RUN + "/auditor"), printed);
        assertTrue(printed.contains(email("bo") + ": 2 tenants, 2 distinct passwords"), printed);
        assertTrue(printed.contains("weird_v1_action: 1"), printed);
        assertEquals(List.of(), report.conflicts(), printed);
    }

    @Test
    @Order(2)
    void theRunBringsTenantsPeopleRolesAndTheAuditLog() throws Exception {
        ImportReport report = V1Import.run(v1Url(), gatehouseUrl(), "test-operator", false, false, quiet());
        assertEquals(5, report.get("accounts created"));
        UUID bo = account("bo");
        assertEquals(2, TestDatabase.queryLong("select count(*) from memberships where user_id = ?", bo));
        assertEquals(1, TestDatabase.queryLong("select count(*) from legacy_password_hashes where user_id = ?", bo));
        assertEquals(ADA, account("ada"), "a v1 id is kept where it is free");
        assertEquals(true, TestDatabase.queryValue("select is_superuser from memberships where user_id = ?", ADA));
        assertEquals(false, TestDatabase.queryValue("select is_active from memberships where user_id = ?", account("dee")));
        assertEquals("google:eve-subject-" + RUN, TestDatabase.queryValue(
                "select oauth_provider || ':' || oauth_subject from users where id = ?", account("eve")));
        assertEquals("users:read", TestDatabase.queryValue(
                "select string_agg(permission_name, ',') from role_permissions where role_id = ?", AUDITOR),
                "the permission that maps, and not the one that does not");
        assertEquals(1, TestDatabase.queryLong("select count(*) from user_roles where user_id = ? and role_id = ?",
                account("cy"), AUDITOR));
        assertEquals("test-operator", TestDatabase.queryValue("""
                select details->>'operator' from security_events where type = 'v1.imported'
                order by occurred_at desc limit 1"""));
        assertEquals(1, TestDatabase.queryLong("""
                select count(*) from security_events where type = 'login.succeeded' and actor_user_id = ?
                and details->>'imported_from' = 'v1'""", ADA));
    }

    @Test
    @Order(3)
    void eachSignsInWithTheirV1PasswordWhichBecomesArgon2id() {
        Api.login(email("ada"), "v1 password of Ada", null);
        assertTrue(hashOf(ADA).startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hashOf(ADA));
        assertEquals("bcrypt", TestDatabase.queryValue(
                "select details->>'from' from security_events where type = 'password.upgraded' and subject_user_id = ?", ADA));
        Api.login(email("ada"), "v1 password of Ada", null); // and again, now against the Argon2id hash
        assertEquals(401, loginStatus("ada", "v1 password of ada"));
    }

    /** Either password until the first sign-in settles it; the other is gone then. */
    @Test
    @Order(4)
    void aPersonOfTwoTenantsSignsInWithEitherPasswordUntilTheFirstSignIn() {
        Api.login(email("bo"), "bo in the alpha tenant", "alpha-" + RUN);
        assertTrue(hashOf(account("bo")).startsWith("$argon2id$"));
        assertEquals(0, TestDatabase.queryLong("select count(*) from legacy_password_hashes where user_id = ?", account("bo")));
        assertEquals(401, loginStatus("bo", "bo in the beta tenant"));
        Api.login(email("bo"), "bo in the alpha tenant", "beta-" + RUN); // one password, every membership

        Api.login(email("cy"), "cy in the beta tenant", null); // the second tenant's password (a legacy row)
        assertTrue(hashOf(account("cy")).startsWith("$argon2id$"));
        assertEquals(401, loginStatus("cy", "cy in the alpha tenant"));
        Api.login(email("cy"), "cy in the beta tenant", "alpha-" + RUN);
    }

    @Test
    @Order(5)
    void theInactiveAndThePasswordlessDoNotSignIn() {
        assertEquals(401, loginStatus("dee", "dee was deactivated"));
        assertEquals(401, loginStatus("eve", "anything at all, eve"));
        assertFalse(hashOf(account("dee")).startsWith("$argon2id$"), "a refused sign-in upgrades nothing");
    }

    @Test
    @Order(6)
    void aLiveV1RefreshTokenRotatesOnceAndComingBackIsReuse() {
        String successor = json(refreshBody(LIVE_TOKEN)).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().path("refresh_token");
        assertNotEquals(LIVE_TOKEN, successor);
        String next = json(refreshBody(successor)).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().path("refresh_token");
        json(refreshBody(LIVE_TOKEN)).post("/api/v1/auth/refresh").then().statusCode(401);
        json(refreshBody(next)).post("/api/v1/auth/refresh").then().statusCode(401); // its session ended
        json(refreshBody(REVOKED_TOKEN)).post("/api/v1/auth/refresh").then().statusCode(401);
    }

    @Test
    @Order(7)
    void aSecondRunChangesNothingAndAThirdBringsWhatChanged() throws Exception {
        Map<String, Long> before = rowCounts();
        ImportReport second = V1Import.run(v1Url(), gatehouseUrl(), "test-operator", false, false, quiet());
        Map<String, Long> after = rowCounts();
        assertEquals(before.get("security_events") + 1, after.get("security_events"), "the run's own event only");
        after.put("security_events", before.get("security_events"));
        assertEquals(before, after);
        assertEquals(0, second.get("accounts created") + second.get("memberships updated") + second.get("passwords updated"));

        try (Connection v1 = v1Connection(); Statement sql = v1.createStatement()) {
            sql.execute("update users set is_active = false where id = '" + CY_BETA + "'");
            sql.execute("delete from user_roles where user_id = '" + CY_ALPHA + "'");
        }
        insertUser(UUID.randomUUID(), BETA, "fay", "$2b$12$HFNAquRaOMx.KePrmu3k8uR62JcVkoqrvKj820Va42szB.SiyIfJm",
                false, null);
        ImportReport third = V1Import.run(v1Url(), gatehouseUrl(), "test-operator", false, false, quiet());
        assertEquals(1, third.get("accounts created"));
        assertEquals(1, third.get("memberships updated"));
        assertEquals(1, third.get("role assignments removed"));
        assertEquals(0, TestDatabase.queryLong("select count(*) from legacy_password_hashes where user_id = ?", account("bo")),
                "a settled password stays settled");
        Api.login(email("fay"), "v1 password of Ada", null);
    }

    private static UUID account(String name) {
        return (UUID) TestDatabase.queryValue("select id from users where email = ?", email(name));
    }

    private static String hashOf(UUID account) {
        return (String) TestDatabase.queryValue("select password_hash from users where id = ?", account);
    }

    private static int loginStatus(String name, String password) {
        return json(Map.of("email", email(name), "password", password)).post("/api/v1/auth/login").statusCode();
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, TestDatabase.queryLong("select count(*) from " + table));
        }
        return counts;
    }

    private static String gatehouseUrl() {
        return TestDatabase.url("postgres") + "?user=postgres&password=postgres";
    }

    private static String v1Url() {
        return TestDatabase.url(V1_DATABASE) + "?user=postgres&password=postgres";
    }

    private static Connection v1Connection() throws Exception {
        return DriverManager.getConnection(TestDatabase.url(V1_DATABASE), "postgres", "postgres");
    }

    /** The v1 deployment: two tenants, five people (one in both), a custom role, two refresh tokens, two log entries. */
    private static void createV1Database() throws Exception {
        try (Connection db = TestDatabase.connection(); Statement sql = db.createStatement()) {
            sql.execute("create database " + V1_DATABASE);
        }
        try (Connection v1 = v1Connection(); Statement sql = v1.createStatement();
             InputStream schema = V1ImportChecks.class.getResourceAsStream("/v1/schema.sql")) {
            sql.execute(new String(schema.readAllBytes(), StandardCharsets.UTF_8));
            sql.execute("insert into tenants (id, name, slug, created_at) values ('" + ALPHA + "', 'Alpha v1', 'alpha-" + RUN
                    + "', now() - interval '2 years'), ('" + BETA + "', 'Beta v1', 'beta-" + RUN + "', now() - interval '1 year')");
        }
        insertUser(ADA, ALPHA, "ada", "$2b$12$HFNAquRaOMx.KePrmu3k8uR62JcVkoqrvKj820Va42szB.SiyIfJm", true, null);
        insertUser(BO_ALPHA, ALPHA, "bo", "$2b$12$M27XvvH2eUMYGCOiWN/9Te/OcZjdwStKmqE5H9zzA5suOmVri8/Ly", false, null);
        insertUser(BO_BETA, BETA, "bo", "$2b$12$.t.vvPkUXfHOQiK653/CbONM39tLrZGoxpiidOe.PsqkXksWmoAKG", false, null);
        insertUser(CY_ALPHA, ALPHA, "cy", "$2b$12$RDC2Mu5KR/XSnHoiUY8BEe6kyXpN9h8.is7mBzWIJnm71WVOLoqkC", false, null);
        insertUser(CY_BETA, BETA, "cy", "$2b$12$jaYbqoD6FQH4uFoKdr2RCeEFzGhXEwPnnrIZTcdv1CF9r7KHhQcq6", false, null);
        insertUser(DEE, ALPHA, "dee", "$2b$12$mVXv6hjqT8B.J4tZhW9Gje.aop9W1EOxoJmbkVHMbiv3GDqGbw07u", false, null);
        insertUser(EVE, BETA, "eve", null, false, "eve-subject-" + RUN);
        UUID usersRead = UUID.randomUUID();
        UUID reportsExport = UUID.randomUUID();
        try (Connection v1 = v1Connection(); Statement sql = v1.createStatement()) {
            sql.execute("update users set is_active = false where id = '" + DEE + "'");
            sql.execute("insert into permissions (id, resource, action) values ('" + usersRead + "', 'users', 'read'), ('"
                    + reportsExport + "', 'reports', 'export')");
            sql.execute("insert into roles (id, tenant_id, name, description) values ('" + AUDITOR + "', '" + ALPHA
                    + "', 'auditor', 'Reads users, exports reports')");
            sql.execute("insert into role_permissions values ('" + AUDITOR + "', '" + usersRead + "'), ('" + AUDITOR
                    + "', '" + reportsExport + "')");
            sql.execute("insert into user_roles values ('" + CY_ALPHA + "', '" + AUDITOR + "')");
            sql.execute("insert into revoked_tokens (id, jti, expires_at) values ('" + UUID.randomUUID()
                    + "', 'some-jti', now() + interval '10 minutes')");
            sql.execute("insert into audit_logs (id, tenant_id, user_id, action, ip_address, created_at) values ('"
                    + UUID.randomUUID() + "', '" + ALPHA + "', '" + ADA + "', 'login', '192.0.2.7', now() - interval '1 day'), ('"
                    + UUID.randomUUID() + "', '" + ALPHA + "', '" + ADA + "', 'weird_v1_action', null, now())");
        }
        insertRefreshToken(LIVE_TOKEN, false);
        insertRefreshToken(REVOKED_TOKEN, true);
    }

    private static void insertUser(UUID id, UUID tenant, String name, String hash, boolean superuser, String oauthId)
            throws Exception {
        try (Connection v1 = v1Connection(); PreparedStatement insert = v1.prepareStatement("""
                insert into users (id, tenant_id, email, password_hash, full_name, is_superuser, is_verified,
                                   oauth_provider, oauth_id, created_at)
                values (?, ?, ?, ?, ?, ?, true, ?, ?, ?)""")) {
            insert.setObject(1, id);
            insert.setObject(2, tenant);
            insert.setString(3, email(name));
            insert.setString(4, hash);
            insert.setString(5, name.toUpperCase() + " of v1");
            insert.setBoolean(6, superuser);
            insert.setString(7, oauthId == null ? null : "google");
            insert.setString(8, oauthId);
            insert.setObject(9, OffsetDateTime.now().minusDays(30).plusSeconds(USERS_WRITTEN.incrementAndGet())); // oldest first
            insert.executeUpdate();
        }
    }

    private static void insertRefreshToken(String token, boolean revoked) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        try (Connection v1 = v1Connection(); PreparedStatement insert = v1.prepareStatement("""
                insert into refresh_tokens (id, user_id, token_hash, expires_at, revoked, created_at)
                values (?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, ADA);
            insert.setString(3, hex);
            insert.setObject(4, OffsetDateTime.now().plusDays(20));
            insert.setBoolean(5, revoked);
            insert.setObject(6, OffsetDateTime.now().minusDays(1));
            insert.executeUpdate();
        }
    }
}
