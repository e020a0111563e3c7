package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import dev.gatehouse.testing.TestJwts;
import dev.gatehouse.tokens.SigningKeyStore;
import io.restassured.response.Response;
import java.io.IOException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Signing keys in the database: the key file of an earlier version is the first key, the JWKS publishes next
 * and current, a rotation by a key administrator (a superuser of the tenant gatehouse.jwt.key-admin-tenant names,
 * "key-admins" in the test run) keeps earlier tokens valid and signs with the key published before it, and a
 * revoked key's tokens are refused at once here and, from the notification, on a second instance. Tokens are
 * checked against the JWKS with nimbus-jose-jwt, not with code of ours.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SigningKeyChecks {

    private Api.Account keyAdmin;

    private SecondServer second;

    @BeforeAll
    void startSecondInstanceAndRegisterTheKeyAdmins() throws IOException {
        second = SecondServer.start(Map.of());
        keyAdmin = OpenIdProviderChecks.deploymentAdmin(); // registered here, or by OpenIdProviderChecks if it ran first
        assertEquals("key-admins", TestDatabase.queryValue("select slug from tenants where id = ?::uuid", keyAdmin.tenantId()));
    }

    @AfterAll
    void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    @Order(1)
    void theKeyFileOfAnEarlierVersionIsTheFirstKey() throws Exception {
        RSAPrivateCrtKey file = (RSAPrivateCrtKey) TestJwts.readPkcs8Pem(TestServer.DATA_DIR.resolve("jwt/private-key.pem"));
        RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(file.getModulus(), file.getPublicExponent()));
        String thumbprint = new RSAKey.Builder(publicKey).build().computeThumbprint().toString();
        assertEquals(thumbprint, TestDatabase.queryValue("select kid from signing_keys order by created_at, activated_at limit 1"));
    }

    @Test
    @Order(2)
    void theJwksListsTheNextAndTheCurrentKeyWithCacheControl() throws Exception {
        Response response = given().get("/.well-known/jwks.json");
        response.then().statusCode(200).header("Cache-Control", "public, max-age=3600");
        JWKSet jwks = JWKSet.parse(response.asString());
        assertTrue(jwks.getKeyByKeyId(kidIn("current")) != null, "current key published");
        assertTrue(jwks.getKeyByKeyId(kidIn("next")) != null, "next key published before it signs");
    }

    @Test
    @Order(3)
    void aRotationKeepsEarlierTokensAndSignsWithTheKeyPublishedBeforeIt() throws Exception {
        Api.Account before = Api.register("Before Rotation Co");
        String next = kidIn("next");
        assertEquals(kidIn("current"), kidOf(before.accessToken()));
        assertNotEquals(next, kidOf(before.accessToken()), "the next key signs nothing before the rotation");

        keyAdmin.as().post("/api/v1/admin/signing-keys/rotate").then().statusCode(200);

        assertEquals(next, kidIn("current"));
        before.as().get("/api/v1/users/me").then().statusCode(200); // its key is previous now, still published
        String after = Api.login(before.email(), PASSWORD, before.tenantId()).getString("access_token");
        assertEquals(next, kidOf(after));
        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json").asString());
        assertTrue(verifiedByJwks(jwks, after), "the new token verifies against the JWKS");
        assertTrue(verifiedByJwks(jwks, before.accessToken()), "the previous key stays published");
        assertEquals(3, jwks.getKeys().size(), "previous, current and a new next key");
        keyAdmin.as().get("/api/v1/admin/signing-keys").then().statusCode(200)
                .body("keys.find { it.kid == '" + kidOf(before.accessToken()) + "' }.state", org.hamcrest.Matchers.equalTo("previous"));
        StatementBudgetChecks.awaitCached(before); // a cached caller's request stays at 0 statements with the new key set
    }

    @Test
    @Order(4)
    void aRevokedKeysTokensAreRefusedAtOnceOnEveryInstance() throws Exception {
        Api.Account account = Api.register("Compromised Key Co");
        String kid = kidOf(account.accessToken());
        for (int i = 0; i < 2; i++) { // verified, then from the verified-token cache
            account.as().get("/api/v1/users/me").then().statusCode(200);
            given().port(second.port).header("Authorization", "Bearer " + account.accessToken()).get("/api/v1/users/me")
                    .then().statusCode(200);
        }

        keyAdmin.as().post("/api/v1/admin/signing-keys/" + kid + "/revoke").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("revoked"));

        account.as().get("/api/v1/users/me").then().statusCode(401);
        Polling.awaitTrue(Duration.ofSeconds(5), "the second instance refuses the revoked key's token", () ->
                given().port(second.port).header("Authorization", "Bearer " + account.accessToken())
                        .get("/api/v1/users/me").statusCode() == 401);
        assertFalse(given().get("/.well-known/jwks.json").asString().contains(kid), "dropped from the JWKS");
        String fresh = Api.login(account.email(), PASSWORD, account.tenantId()).getString("access_token");
        assertNotEquals(kid, kidOf(fresh));
        given().port(second.port).header("Authorization", "Bearer " + fresh).get("/api/v1/users/me").then().statusCode(200);
    }

    /**
     * The schedule (checked every 2 s in the test run, GATEHOUSE_JWT_SIGNING_KEY_CHECK_SECONDS): with the current
     * key backdated past the rotation interval and the next key past its publication, one instance rotates and
     * the other, checking too, finds it done: one scheduled event; both then sign with the former next key.
     */
    @Test
    @Order(5)
    void theScheduledRotationRunsOnceOnOneInstanceWhenDue() throws Exception {
        String next = kidIn("next");
        long scheduledBefore = scheduledRotations();
        TestDatabase.update("update signing_keys set activated_at = now() - interval '31 days' where state = 'current'");
        TestDatabase.update("update signing_keys set created_at = now() - interval '25 hours' where state = 'next'");

        Polling.awaitTrue(Duration.ofSeconds(20), "the schedule rotates", () -> next.equals(
                TestDatabase.queryValue("select max(kid) from signing_keys where state = 'current'")));
        Thread.sleep(5000); // both instances check again: neither rotates a second time
        assertEquals(next, kidIn("current"));
        assertEquals(scheduledBefore + 1, scheduledRotations());
        Api.Account account = Api.register("Scheduled Rotation Co");
        assertEquals(next, kidOf(account.accessToken()));
        given().port(second.port).header("Authorization", "Bearer " + account.accessToken()).get("/api/v1/users/me")
                .then().statusCode(200);
        String onSecond = given().port(second.port).contentType("application/json")
                .body(Map.of("email", account.email(), "password", PASSWORD, "tenant", account.tenantId()))
                .post("/api/v1/auth/login").then().statusCode(200).extract().path("access_token");
        assertEquals(next, kidOf(onSecond), "the other instance signs with the new key too");
    }

    private static long scheduledRotations() {
        return TestDatabase.queryLong("select count(*) from security_events where type = 'signing_key.rotated'"
                + " and details ->> 'scheduled' = 'true'");
    }

    @Test
    void onlyASuperuserOfTheKeyAdminTenantManagesSigningKeys() {
        Api.Account member = Api.addUser(keyAdmin, false);
        member.as().get("/api/v1/admin/signing-keys").then().statusCode(403);
        member.as().post("/api/v1/admin/signing-keys/rotate").then().statusCode(403);
        Api.Account otherSuperuser = Api.register("Not Key Admins");
        otherSuperuser.as().post("/api/v1/admin/signing-keys/rotate").then().statusCode(403);
        given().post("/api/v1/admin/signing-keys/rotate").then().statusCode(401);
    }

    @Test
    void anUnknownKidIs404Problem() {
        keyAdmin.as().post("/api/v1/admin/signing-keys/no-such-kid/revoke").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("signing-key-not-found"));
    }

    /**
     * Two instances first started at once on an empty key store both insert a current key: the unique index
     * makes the second wait for the first and insert nothing, so there is one key that both then read.
     */
    @Test
    void twoInstancesCreatingTheFirstKeyAtOnceEndWithOne() throws Exception {
        TestDatabase.withScratchDatabase("first_key_race", scratch -> {
            org.flywaydb.core.Flyway.configure(getClass().getClassLoader()).dataSource(scratch)
                    .locations("classpath:db/migration").load().migrate();
            try (Connection first = scratch.getConnection(); Connection secondInstance = scratch.getConnection()) {
                first.setAutoCommit(false);
                secondInstance.setAutoCommit(false);
                assertEquals(1, insertCurrent(first, "kid-of-the-first"));
                CompletableFuture<Integer> racing = CompletableFuture.supplyAsync(() -> insertCurrent(secondInstance, "kid-of-the-second"));
                Thread.sleep(300);
                assertFalse(racing.isDone(), "the second insert waits for the first transaction");
                first.commit();
                assertEquals(0, racing.get(10, TimeUnit.SECONDS), "and then inserts nothing");
                secondInstance.commit();
            }
            try (Connection db = scratch.getConnection(); Statement sql = db.createStatement();
                 var rows = sql.executeQuery("select kid from signing_keys")) {
                assertTrue(rows.next());
                assertEquals("kid-of-the-first", rows.getString(1));
                assertFalse(rows.next());
            }
        });
    }

    private static int insertCurrent(Connection db, String kid) {
        try (PreparedStatement insert = db.prepareStatement(SigningKeyStore.INSERT_CURRENT)) {
            insert.setString(1, kid);
            insert.setString(2, "RS256");
            insert.setBytes(3, new byte[] {1});
            insert.setBytes(4, new byte[] {2});
            return insert.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kidIn(String state) {
        return (String) TestDatabase.queryValue("select kid from signing_keys where state = ?", state);
    }

    private static String kidOf(String token) throws Exception {
        return JWSObject.parse(token).getHeader().getKeyID();
    }

    private static boolean verifiedByJwks(JWKSet jwks, String token) throws Exception {
        JWSObject jws = JWSObject.parse(token);
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jws.getHeader().getKeyID());
        return key != null && jws.verify(new RSASSAVerifier(key));
    }
}
