package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Registration, login, token rotation and revocation, over real HTTP against the real database. */
abstract class AuthChecks {

    @Test
    void registerCreatesTenantAndSuperuserAndReturnsTokens() {
        String email = Api.uniqueEmail("Reg");
        JsonPath body = json(Map.of("email", email, "password", PASSWORD, "full_name", " Ada Lovelace ", "tenant_name", "Analytical Engines"))
                .post("/api/v1/auth/register")
                .then().statusCode(201).contentType(ContentType.JSON)
                .body("user.email", equalTo(email.toLowerCase()))
                .body("user.full_name", equalTo("Ada Lovelace"))
                .body("user.is_active", equalTo(true))
                .body("user.is_superuser", equalTo(true))
                .body("user.oauth_provider", equalTo(null))
                .body("user.created_at", notNullValue())
                .body("token_type", equalTo("bearer"))
                .body("expires_in", equalTo(900))
                .body("tenant.name", equalTo("Analytical Engines"))
                .extract().jsonPath();
        assertTrue(body.getMap("user").containsKey("oauth_provider"), "oauth_provider is present, as null");
        assertEquals(body.getString("user.tenant_id"), body.getString("tenant.id"));
        assertEquals(List.of(body.getString("tenant.id")), body.getList("tenants.id"));

        given().header("Authorization", "Bearer " + body.getString("access_token")).get("/api/v1/auth/me")
                .then().statusCode(200).body("id", equalTo(body.getString("user.id")))
                .body("tenant_id", equalTo(body.getString("user.tenant_id")));
    }

    @Test
    void sameTenantNameGetsADistinctSlug() {
        String first = tenantSlug(Api.register("Slug Test Co").tenantId());
        String second = tenantSlug(Api.register("Slug Test Co").tenantId());
        assertNotEquals(first, second);
        assertTrue(first.startsWith("slug-test-co") && second.startsWith("slug-test-co"), first + ", " + second);
    }

    @Test
    void passwordTooShortOrTooLongIs422() {
        for (String password : List.of("eleven-char", "x".repeat(129))) {
            ProblemDetailsChecks.assertProblem(json(Map.of("email", Api.uniqueEmail("pw"), "password", password,
                            "full_name", "A", "tenant_name", "T")).post("/api/v1/auth/register").then(), 422, "/api/v1/auth/register")
                    .body("errors.field", hasItems("password"));
        }
    }

    @Test
    void aRegistrationFailingAtItsLastWriteWritesNothing() throws Exception {
        // The refresh token is registration's last insert; a test trigger fails it for this request's user agent.
        String marker = "fail-registration-" + UUID.randomUUID();
        String email = Api.uniqueEmail("nothing");
        String tenantName = "Nothing Written " + marker;
        TestDatabase.update("""
                create or replace function it_fail_marked_token() returns trigger language plpgsql as $$
                begin
                  if new.user_agent like 'fail-registration-%' then raise exception 'test failure'; end if;
                  return new;
                end $$""");
        TestDatabase.update("create trigger it_fail_marked_token before insert on refresh_tokens"
                + " for each row execute function it_fail_marked_token()");
        try {
            json(Map.of("email", email, "password", PASSWORD, "full_name", "A", "tenant_name", tenantName))
                    .header("User-Agent", marker).post("/api/v1/auth/register").then().statusCode(500);
        } finally {
            TestDatabase.update("drop trigger it_fail_marked_token on refresh_tokens");
        }
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L), writesOfRegistration(email, tenantName));
        // the same request without the failure writes them (and its one mail)
        json(Map.of("email", email, "password", PASSWORD, "full_name", "A", "tenant_name", tenantName))
                .header("User-Agent", "ordinary").post("/api/v1/auth/register").then().statusCode(201);
        List<Long> written = writesOfRegistration(email, tenantName);
        assertEquals(List.of(1L, 1L, 1L), written.subList(0, 3), written.toString());
        assertTrue(written.get(3) >= 2, "user.created and tenant.created at least: " + written);
        MailServer.awaitMail(email, "Confirm your email address");
        // a verification mail written by the failed request would have gone out no later than this one: none did
        assertEquals(1, MailServer.mailsTo(email).size());
    }

    /**
     * What a registration writes, counted by its email and tenant name: users, tenants, account tokens (the
     * verification link), security events, mails waiting in the outbox (sent ones are read from the mailbox).
     */
    private static List<Long> writesOfRegistration(String email, String tenantName) {
        String address = email.toLowerCase();
        return List.of(
                TestDatabase.queryLong("select count(*) from users where email = ?", address),
                TestDatabase.queryLong("select count(*) from tenants where name = ?", tenantName),
                TestDatabase.queryLong("select count(*) from account_tokens where email = ?", address),
                TestDatabase.queryLong("select count(*) from security_events where details->>'email' = ?"
                        + " or tenant_id in (select id from tenants where name = ?)", address, tenantName),
                TestDatabase.queryLong("select count(*) from mail_outbox where recipient = ?", address));
    }

    @Test
    void passwordsOf12And128CharactersAreAccepted() {
        for (String password : List.of("twelve-chars", "y".repeat(128))) {
            String email = Api.uniqueEmail("pw");
            json(Map.of("email", email, "password", password, "full_name", "A", "tenant_name", "Password Bounds Co"))
                    .post("/api/v1/auth/register").then().statusCode(201);
            Api.login(email, password, null);
        }
    }

    @Test
    void anExpiredRefreshTokenIsRefused() {
        Api.Account account = Api.register("Expired Refresh Co");
        assertEquals(1, TestDatabase.update("""
                update refresh_tokens set created_at = created_at - interval '31 days',
                  session_started_at = session_started_at - interval '31 days', expires_at = now() - interval '1 second'
                where token_hash = sha256(convert_to(?, 'UTF8'))""", account.refreshToken()));
        ProblemDetailsChecks.assertProblem(json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then(),
                401, "/api/v1/auth/refresh");
    }

    @Test
    void reuseEndsOnlyItsOwnFamily() {
        Api.Account account = Api.register("Two Families Co");
        JsonPath otherFamily = Api.login(account.email(), PASSWORD, null);
        String rotated = json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().path("refresh_token");
        afterReuseInterval(account.refreshToken());
        json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401); // replay
        json(refreshBody(rotated)).post("/api/v1/auth/refresh").then().statusCode(401);                // its family ended

        given().header("Authorization", "Bearer " + otherFamily.getString("access_token")).get("/api/v1/users/me")
                .then().statusCode(200);
        json(refreshBody(otherFamily.getString("refresh_token"))).post("/api/v1/auth/refresh").then().statusCode(200);
    }

    @Test
    void loginIsCaseInsensitiveOnEmail() {
        Api.Account account = Api.register("Login Co");
        JsonPath tokens = Api.login(account.email().toUpperCase(), PASSWORD, null);
        assertEquals("bearer", tokens.getString("token_type"));
        assertEquals(900, tokens.getInt("expires_in"));
    }

    @Test
    void unknownEmailAndWrongPasswordGiveIdenticalAnswers() {
        Api.Account account = Api.register("Enumeration Co");
        Response wrongPassword = json(Map.of("email", account.email(), "password", "not the right password")).post("/api/v1/auth/login");
        Response unknownEmail = json(Map.of("email", Api.uniqueEmail("nobody"), "password", "not the right password")).post("/api/v1/auth/login");

        assertEquals(401, wrongPassword.statusCode());
        assertEquals(401, unknownEmail.statusCode());
        assertEquals(withoutRequestId(wrongPassword), withoutRequestId(unknownEmail));
        assertEquals(wrongPassword.contentType(), unknownEmail.contentType());
    }

    /** The right password of a deactivated member, or of a switched-off account, gets a wrong password's 401. */
    @Test
    void anInactiveAccountWithItsRightPasswordGetsTheWrongPasswordAnswer() {
        Api.Account admin = Api.register("Inactive Login Co");
        Api.Account deactivated = Api.addUser(admin, false);
        admin.as().post("/api/v1/users/" + deactivated.userId() + "/deactivate").then().statusCode(200);
        Api.Account switchedOff = Api.addUser(admin, false);
        TestDatabase.update("update users set is_active = false where id = ?::uuid", switchedOff.userId());
        Response wrongPassword = json(Map.of("email", admin.email(), "password", "not the right password")).post("/api/v1/auth/login");

        for (Api.Account inactive : List.of(deactivated, switchedOff)) {
            Response refused = json(Map.of("email", inactive.email(), "password", PASSWORD)).post("/api/v1/auth/login");
            assertEquals(401, refused.statusCode());
            assertEquals(withoutRequestId(wrongPassword), withoutRequestId(refused));
            assertEquals(wrongPassword.contentType(), refused.contentType());
        }
    }

    private static Map<String, Object> withoutRequestId(Response response) {
        Map<String, Object> body = new java.util.HashMap<>(response.jsonPath().getMap(""));
        body.remove("request_id");
        return body;
    }

    static String tenantSlug(String tenantId) {
        return (String) TestDatabase.queryValue("select slug from tenants where id = ?::uuid", tenantId);
    }

    @Test
    void refreshRotatesAndTheOldTokenDies() {
        Api.Account account = Api.register("Rotation Co");
        JsonPath rotated = json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh")
                .then().statusCode(200).body("token_type", equalTo("bearer")).extract().jsonPath();
        assertNotEquals(account.refreshToken(), rotated.getString("refresh_token"));
        given().header("Authorization", "Bearer " + rotated.getString("access_token")).get("/api/v1/users/me").then().statusCode(200);

        afterReuseInterval(account.refreshToken());
        ProblemDetailsChecks.assertProblem(json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then(),
                401, "/api/v1/auth/refresh");
    }

    /** Moves the rotation of this token back past the reuse interval (10 s): presenting it again is a reuse. */
    static void afterReuseInterval(String rotatedOut) {
        assertEquals(1, TestDatabase.update("""
                update refresh_tokens set revoked_at = revoked_at - interval '1 minute'
                where token_hash = sha256(convert_to(?, 'UTF8'))""", rotatedOut));
    }

    /**
     * A retry of a refresh whose answer was lost (the reuse interval): the same successor refresh token and an
     * access token of the same session, as often as it is retried, until the successor is used; from then on
     * the old token is a reuse and ends the family.
     */
    @Test
    void aRetryWithinTheReuseIntervalGetsTheSameSuccessorUntilItIsUsed() {
        Api.Account account = Api.register("Retry Co");
        JsonPath first = json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().jsonPath();
        for (int retry = 0; retry < 2; retry++) {
            JsonPath again = json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(first.getString("refresh_token"), again.getString("refresh_token"));
            assertEquals(TestTokens.claimsOf(first.getString("access_token")).getString("sid"),
                    TestTokens.claimsOf(again.getString("access_token")).getString("sid"));
            given().header("Authorization", "Bearer " + again.getString("access_token")).get("/api/v1/users/me")
                    .then().statusCode(200);
        }
        String third = json(refreshBody(first.getString("refresh_token"))).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().path("refresh_token");

        ProblemDetailsChecks.assertProblem(json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then(),
                401, "/api/v1/auth/refresh");                                          // the successor was used: reuse
        json(refreshBody(third)).post("/api/v1/auth/refresh").then().statusCode(401); // the family ended
    }

    /** A retry after every session was ended gets nothing, though it is within the interval. */
    @Test
    void aRetryAfterLogoutAllIsRefused() {
        Api.Account account = Api.register("Retry Logout Co");
        json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(200);
        account.as().post("/api/v1/auth/logout-all").then().statusCode(204);
        json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401);
    }

    /** The successor is kept for the retry only encrypted: the database holds no live refresh token. */
    @Test
    void theSuccessorIsNotStoredInPlainText() {
        Api.Account account = Api.register("Sealed Co");
        String successor = json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().path("refresh_token");
        byte[] sealed = (byte[]) TestDatabase.queryValue("""
                select successor_ciphertext from refresh_tokens where token_hash = sha256(convert_to(?, 'UTF8'))""",
                account.refreshToken());
        String asText = new String(sealed, StandardCharsets.ISO_8859_1);
        assertFalse(asText.contains(successor));
        assertFalse(asText.contains(new String(Base64.getUrlDecoder().decode(successor),
                StandardCharsets.ISO_8859_1)));
        assertEquals(1L, TestDatabase.queryLong("""
                select count(*) from refresh_tokens p join refresh_tokens s on s.id = p.successor_id
                where p.token_hash = sha256(convert_to(?, 'UTF8')) and s.token_hash = sha256(convert_to(?, 'UTF8'))""",
                account.refreshToken(), successor));
    }

    @Test
    void reuseOfARotatedTokenRevokesTheWholeFamily() {
        Api.Account account = Api.register("Reuse Co");
        String second = json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().path("refresh_token");
        String third = json(refreshBody(second)).post("/api/v1/auth/refresh")
                .then().statusCode(200).extract().path("refresh_token");

        json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401); // replay
        json(refreshBody(third)).post("/api/v1/auth/refresh").then().statusCode(401);              // family is dead
    }

    @Test
    void twoConcurrentRefreshesOfOneTokenGetTheSameSuccessor() throws Exception {
        Api.Account account = Api.register("Race Co");
        Callable<Response> refresh = () -> json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Response> a;
            Future<Response> b;
            // the test holds the token's row: both rotations wait inside the statement that decides
            try (TestDatabase.HeldLock row = TestDatabase.hold("select 1 from refresh_tokens"
                    + " where token_hash = sha256(convert_to(?, 'UTF8')) for update", account.refreshToken())) {
                a = pool.submit(refresh);
                b = pool.submit(refresh);
                row.awaitServerWaiters(2);
            }
            // exactly one rotates; the other, within the reuse interval, gets its successor (docs/concepts.md, "Tokens")
            Response first = a.get();
            Response second = b.get();
            assertEquals(List.of(200, 200), List.of(first.statusCode(), second.statusCode()));
            String successor = first.jsonPath().getString("refresh_token");
            assertEquals(successor, second.jsonPath().getString("refresh_token"));
            json(refreshBody(successor)).post("/api/v1/auth/refresh").then().statusCode(200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void logoutEndsThatSessionOnly() {
        Api.Account account = Api.register("Logout Co");
        String otherSession = Api.login(account.email(), PASSWORD, null).getString("refresh_token");

        json(refreshBody(account.refreshToken())).post("/api/v1/auth/logout").then().statusCode(204);
        json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401);
        json(refreshBody(otherSession)).post("/api/v1/auth/refresh").then().statusCode(200);
    }

    @Test
    void logoutOfAnUnknownTokenIsStill204() {
        json(refreshBody("no-such-token-" + UUID.randomUUID())).post("/api/v1/auth/logout").then().statusCode(204);
    }

    @Test
    void logoutAllRefusesExistingAccessTokensAndSessions() {
        Api.Account account = Api.register("Logout All Co");
        JsonPath second = Api.login(account.email(), PASSWORD, null);

        account.as().post("/api/v1/auth/logout-all").then().statusCode(204);

        for (String accessToken : List.of(account.accessToken(), second.getString("access_token"))) {
            ProblemDetailsChecks.assertProblem(given().header("Authorization", "Bearer " + accessToken)
                    .get("/api/v1/users/me").then(), 401, "/api/v1/users/me");
        }
        for (String refreshToken : List.of(account.refreshToken(), second.getString("refresh_token"))) {
            json(refreshBody(refreshToken)).post("/api/v1/auth/refresh").then().statusCode(401);
        }
        String fresh = Api.login(account.email(), PASSWORD, null).getString("access_token");
        given().header("Authorization", "Bearer " + fresh).get("/api/v1/users/me").then().statusCode(200);
    }

    @Test
    void passwordChangeEndsEverySessionAndTheNewPasswordWorks() {
        Api.Account account = Api.register("Password Co");
        String newPassword = "a brand new passphrase";
        account.as().contentType(ContentType.JSON)
                .body(Map.of("current_password", "wrong current pw", "new_password", newPassword))
                .post("/api/v1/users/me/password").then().statusCode(400);
        account.as().contentType(ContentType.JSON)
                .body(Map.of("current_password", PASSWORD, "new_password", newPassword))
                .post("/api/v1/users/me/password").then().statusCode(204);

        account.as().get("/api/v1/users/me").then().statusCode(401);
        json(refreshBody(account.refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401);
        json(Map.of("email", account.email(), "password", PASSWORD)).post("/api/v1/auth/login").then().statusCode(401);
        Api.login(account.email(), newPassword, null);
    }

    @Test
    void patchMeChangesNameAndEmail() {
        Api.Account account = Api.register("Patch Me Co");
        String newEmail = Api.uniqueEmail("renamed");
        // a new email needs the current password and waits for its confirmation (EmailChangeChecks)
        account.as().contentType(ContentType.JSON).body(Map.of("full_name", "New Name", "email", newEmail))
                .patch("/api/v1/users/me").then().statusCode(422);
        account.as().contentType(ContentType.JSON)
                .body(Map.of("full_name", "New Name", "email", newEmail, "current_password", Api.PASSWORD))
                .patch("/api/v1/users/me").then().statusCode(200)
                .body("full_name", equalTo("New Name")).body("email", equalTo(account.email()));
        account.as().get("/api/v1/auth/me").then().body("full_name", equalTo("New Name"));

        account.as().contentType(ContentType.JSON).body(Map.of("full_name", "   "))
                .patch("/api/v1/users/me").then().statusCode(422);
        account.as().contentType(ContentType.JSON).body(Map.of("email", "not-an-email"))
                .patch("/api/v1/users/me").then().statusCode(422);
    }

    @Test
    void jwksVerifiesTheIssuedTokens() throws Exception {
        Api.Account account = Api.register("Jwks Co");
        JsonPath jwks = given().get("/.well-known/jwks.json").then().statusCode(200)
                .contentType("application/json").header("Cache-Control", containsString("max-age=3600")) // cacheable, unlike the rest
                .extract().jsonPath();
        String[] parts = account.accessToken().split("\\.");
        Base64.Decoder b64 = Base64.getUrlDecoder();
        String kid = TestTokens.claimsOf(parts[1] + "." + parts[0]).getString("kid"); // the header, as a payload
        String published = "keys.find { it.kid == '" + kid + "' }";
        assertEquals("RS256", jwks.getString(published + ".alg"));
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, b64.decode(jwks.getString(published + ".n"))), new BigInteger(1, b64.decode(jwks.getString(published + ".e")))));

        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(key);
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rsa.verify(b64.decode(parts[2])));
    }

    @Test
    void refreshTokensAreStoredHashedWithTheirClient() throws Exception {
        Api.Account account = Api.register("Hash Co");
        try (Connection db = TestDatabase.connection();
             PreparedStatement query = db.prepareStatement(
                     "select token_hash, created_by_ip, user_agent from refresh_tokens where user_id = ?::uuid")) {
            query.setString(1, account.userId());
            ResultSet rs = query.executeQuery();
            assertTrue(rs.next());
            byte[] stored = rs.getBytes(1);
            assertEquals(32, stored.length);
            assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(account.refreshToken().getBytes(StandardCharsets.UTF_8)), stored);
            assertEquals("127.0.0.1", rs.getString(2));
            assertTrue(rs.getString(3) != null && !rs.getString(3).isBlank());
        }
    }

    @Test
    void aHashWithWeakerParametersIsUpgradedAtTheNextLogin() {
        Api.Account account = Api.register("Rehash Co");
        byte[] salt = "sixteen byte slt".getBytes(StandardCharsets.US_ASCII);
        org.bouncycastle.crypto.generators.Argon2BytesGenerator argon2 = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        argon2.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(4096).withIterations(1).withParallelism(1).build());
        byte[] hash = new byte[32];
        argon2.generateBytes(PASSWORD.getBytes(StandardCharsets.UTF_8), hash);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String weak = "$argon2id$v=19$m=4096,t=1,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        assertEquals(1, TestDatabase.update("update users set password_hash = ? where id = ?::uuid", weak, account.userId()));

        Api.login(account.email(), PASSWORD, null);

        String upgraded = (String) TestDatabase.queryValue("select password_hash from users where id = ?::uuid", account.userId());
        assertTrue(upgraded.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), upgraded);
        Api.login(account.email(), PASSWORD, null);
    }
}
