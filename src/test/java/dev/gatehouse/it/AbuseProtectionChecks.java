package dev.gatehouse.it;

import static dev.gatehouse.it.AccessChecks.userWith;
import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Brute-force protection per account (counted in PostgreSQL, shared by instances), rate limits per client
 * address, and the client address behind trusted proxies. The main test server runs the lockout's default
 * threshold (5 failures) with a first wait of 30 s instead of 1 s, so that a slow machine still sees it, and
 * rate limits raised out of the suite's way (pom.xml); the rate limits and a trusted proxy are exercised on a
 * second server with small ones.
 */
abstract class AbuseProtectionChecks {

    private static final String LOGIN = "/api/v1/auth/login";
    private static final String THROTTLED = "urn:gatehouse:problem:login-throttled";
    private static final int THRESHOLD = 5;
    /** pom.xml's, for the main test server and the second one: long enough to see on a busy machine. */
    private static final long FIRST_DELAY_SECONDS = 30;

    private static Response login(RequestSpecification base, String email, String password) {
        return base.contentType(ContentType.JSON).body(Map.of("email", email, "password", password)).post(LOGIN);
    }

    private static Response login(String email, String password) {
        return login(given(), email, password);
    }

    /** The failures up to the threshold: each a 401 after a hash. */
    private static void failUpToThreshold(String email) {
        for (int i = 0; i < THRESHOLD; i++) {
            login(email, "not the password").then().statusCode(401);
        }
    }

    private static long retryAfter(Response response) {
        String header = response.header("Retry-After");
        assertNotNull(header, "Retry-After");
        return Long.parseLong(header);
    }

    @Test
    void afterTheThresholdALoginWaitsWith429AndRetryAfterEvenWithTheRightPassword() {
        Api.Account account = Api.register("Lockout Co");
        String email = account.email().toLowerCase();
        failUpToThreshold(account.email());
        assertEquals(FIRST_DELAY_SECONDS, lockSeconds(email), "the first wait");

        Response throttled = login(account.email(), PASSWORD);
        throttled.then().statusCode(429).contentType("application/problem+json").body("type", equalTo(THROTTLED))
                .body("status", equalTo(429));
        long wait = retryAfter(throttled);
        assertTrue(wait >= 1 && wait <= FIRST_DELAY_SECONDS, "Retry-After within the first wait: " + wait);

        // the wait over (ended in the database rather than waited out), another failure doubles it
        endWait(email);
        login(account.email(), "not the password").then().statusCode(401);
        assertEquals(2 * FIRST_DELAY_SECONDS, lockSeconds(email), "the wait doubles");
        Response again = login(account.email(), PASSWORD);
        again.then().statusCode(429);
        assertTrue(retryAfter(again) > FIRST_DELAY_SECONDS, "Retry-After: " + retryAfter(again));

        // the wait over, the right password signs in and the count is gone
        endWait(email);
        login(account.email(), PASSWORD).then().statusCode(200);
        assertEquals(0, TestDatabase.queryLong("select count(*) from login_failures where email = ?", email));
    }

    /** The wait the last failure set, in seconds: both times are the failure's transaction's now(). */
    private static long lockSeconds(String email) {
        return TestDatabase.queryLong(
                "select extract(epoch from locked_until - last_failed_at)::bigint from login_failures where email = ?", email);
    }

    private static void endWait(String email) {
        assertEquals(1, TestDatabase.update(
                "update login_failures set locked_until = now() - interval '1 millisecond' where email = ?", email));
    }

    /**
     * A throttled attempt runs no hash: its server-side duration (the request log's) is compared with that of
     * attempts that hash, on this machine, not with a fixed time.
     */
    @Test
    void noPasswordHashRunsWhileAnAccountWaits() {
        Api.Account account = Api.register("No Hash Co");
        failUpToThreshold(account.email());
        // keep it waiting for the whole measurement, however slow the machine
        TestDatabase.update("update login_failures set locked_until = now() + interval '10 minutes' where email = ?",
                account.email().toLowerCase());

        List<Long> hashing = new ArrayList<>();
        List<Long> throttled = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            hashing.add(serverMillis(Api.uniqueEmail("hash-" + i), "not the password", 401));
            throttled.add(serverMillis(account.email(), PASSWORD, 429));
        }
        long hashMedian = median(hashing);
        long throttledMedian = median(throttled);
        assertTrue(throttledMedian * 2 < hashMedian,
                "a throttled login (median " + throttledMedian + " ms of " + throttled + ") costs less than half of one"
                        + " that hashes (median " + hashMedian + " ms of " + hashing + ")");
    }

    private static long serverMillis(String email, String password, int expectedStatus) {
        String requestId = TestServer.newRequestId();
        login(given().header("X-Request-ID", requestId), email, password).then().statusCode(expectedStatus);
        return TestServer.logLineOf(requestId).getJsonNumber("duration_ms").longValue();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void anEmailNoAccountHasIsThrottledTheSameWay() {
        Api.Account account = Api.register("Unknown Email Co");
        String unknown = Api.uniqueEmail("nobody");
        failUpToThreshold(account.email());
        failUpToThreshold(unknown);

        Response known = login(account.email(), "not the password");
        Response nobody = login(unknown, "not the password");
        assertEquals(429, known.statusCode());
        assertEquals(429, nobody.statusCode());
        assertEquals(withoutRequestId(known), withoutRequestId(nobody));
        assertEquals(known.contentType(), nobody.contentType());
        // the waits began a few seconds apart: each is within the first wait
        for (Response throttled : List.of(known, nobody)) {
            assertTrue(retryAfter(throttled) >= 1 && retryAfter(throttled) <= FIRST_DELAY_SECONDS,
                    "Retry-After: " + retryAfter(throttled));
        }
        assertEquals(headerNames(known), headerNames(nobody));
    }

    private static Map<String, Object> withoutRequestId(Response response) {
        Map<String, Object> body = new HashMap<>(response.jsonPath().getMap(""));
        body.remove("request_id");
        return body;
    }

    private static List<String> headerNames(Response response) {
        return response.headers().asList().stream().map(h -> h.getName().toLowerCase())
                .filter(name -> !name.equals("date") && !name.equals("x-request-id")).sorted().toList();
    }

    @Test
    void anAdminSeesAndClearsAMembersLockout() {
        Api.Account admin = Api.register("Lockout Admin Co");
        Api.Account member = Api.addUser(admin, false);
        failUpToThreshold(member.email());
        login(member.email(), PASSWORD).then().statusCode(429);

        admin.as().get("/api/v1/users/" + member.userId() + "/lockout").then().statusCode(200)
                .body("user_id", equalTo(member.userId()))
                .body("failures", equalTo(THRESHOLD))
                .body("last_failed_at", notNullValue());

        admin.as().delete("/api/v1/users/" + member.userId() + "/lockout").then().statusCode(204);
        login(member.email(), PASSWORD).then().statusCode(200);
        admin.as().get("/api/v1/users/" + member.userId() + "/lockout").then().statusCode(200)
                .body("failures", equalTo(0)).body("locked_until", nullValue());

        // another tenant's admin does not see the member; a plain member may not look
        Api.Account stranger = Api.register("Lockout Stranger Co");
        stranger.as().get("/api/v1/users/" + member.userId() + "/lockout").then().statusCode(404);
        stranger.as().delete("/api/v1/users/" + member.userId() + "/lockout").then().statusCode(404);
        member.as().get("/api/v1/users/" + admin.userId() + "/lockout").then().statusCode(403);
    }

    @Test
    void aHelpdeskCannotClearTheLockoutOfASuperuser() {
        Api.Account owner = Api.register("Lockout Escalation Co");
        Api.Account helpdesk = userWith(owner, List.of("users:read", "users:write"));
        failUpToThreshold(owner.email());

        helpdesk.as().delete("/api/v1/users/" + owner.userId() + "/lockout").then().statusCode(403)
                .body("type", equalTo("urn:gatehouse:problem:privilege-escalation"));
        login(owner.email(), PASSWORD).then().statusCode(429);
    }

    @Test
    void loginsWriteTheirSecurityEvents() {
        Api.Account admin = Api.register("Login Events Co");
        Api.Account member = Api.addUser(admin, false); // one login.succeeded
        failUpToThreshold(member.email()); // five login.failed
        login(member.email(), PASSWORD).then().statusCode(429); // one login.throttled
        admin.as().delete("/api/v1/users/" + member.userId() + "/lockout").then().statusCode(204); // lockout.cleared

        UUID tenant = UUID.fromString(admin.tenantId());
        UUID subject = UUID.fromString(member.userId());
        String count = "select count(*) from security_events where tenant_id = ? and subject_user_id = ? and type = ? and outcome = ?";
        assertEquals(1, TestDatabase.queryLong(count, tenant, subject, "login.succeeded", "success"));
        assertEquals(THRESHOLD, TestDatabase.queryLong(count, tenant, subject, "login.failed", "failure"));
        assertEquals(1, TestDatabase.queryLong(count, tenant, subject, "login.throttled", "failure"));
        assertEquals(1, TestDatabase.queryLong(count, tenant, subject, "lockout.cleared", "success"));
        assertEquals("wrong_password", TestDatabase.queryValue("""
                select details->>'reason' from security_events
                where subject_user_id = ? and type = 'login.failed' order by id desc limit 1""", subject));
        assertEquals(UUID.fromString(admin.userId()), TestDatabase.queryValue(
                "select actor_user_id from security_events where subject_user_id = ? and type = 'lockout.cleared'", subject));
        assertEquals(subject, TestDatabase.queryValue(
                "select actor_user_id from security_events where subject_user_id = ? and type = 'login.succeeded'", subject));
        admin.as().queryParam("type", "login.failed").queryParam("user_id", member.userId())
                .get("/api/v1/audit-events").then().statusCode(200).body("total", equalTo(THRESHOLD));
    }

    @Test
    void forwardedHeadersAreIgnoredFromAPeerThatIsNoTrustedProxy() {
        String email = Api.uniqueEmail("spoofer");
        String requestId = TestServer.newRequestId();
        login(given().header("X-Request-ID", requestId).header("X-Forwarded-For", "203.0.113.66")
                .header("Forwarded", "for=203.0.113.67"), email, "not the password").then().statusCode(401);
        String address = (String) TestDatabase.queryValue(
                "select actor_address from security_events where request_id = ?", requestId);
        assertNotEquals("203.0.113.66", address);
        assertNotEquals("203.0.113.67", address);
        assertTrue(address.equals("127.0.0.1") || address.contains(":"), "the peer's address: " + address);
    }

    /**
     * A second instance on the same database, trusting this machine as its proxy and allowing 3 logins a
     * minute per address: one account's failures from one address count across both instances, and make only
     * that address wait, never the owner at another; an address over its budget gets 429 with Retry-After and
     * RateLimit headers while another address does not; the address it records is the forwarded one. /scim/v2
     * has a budget per address too, before any token is looked up.
     */
    @Test
    void aSecondInstanceSharesTheCountAndLimitsEachForwardedAddress() throws Exception {
        try (SecondServer second = SecondServer.start(Map.of(
                "GATEHOUSE_HTTP_TRUSTED_PROXIES", "127.0.0.1, ::1",
                "GATEHOUSE_RATE_LIMIT_LOGIN_PER_MINUTE", "3",
                "GATEHOUSE_RATE_LIMIT_SCIM_ADDRESS_PER_MINUTE", "3"))) {
            Api.Account account = Api.register("Two Instances Co");
            for (int i = 0; i < THRESHOLD - 2; i++) {
                login(account.email(), "not the password").then().statusCode(401);
            }
            for (int i = 0; i < 2; i++) { // no forwarded header: the client is this machine, as on the first
                login(given().port(second.port), account.email(), "not the password").then().statusCode(401);
            }
            login(account.email(), PASSWORD).then().statusCode(429).body("type", equalTo(THROTTLED));
            login(given().port(second.port), account.email(), PASSWORD).then().statusCode(429)
                    .body("type", equalTo(THROTTLED));
            // the owner at another address is not kept out by a stranger's guesses
            login(onSecond(second, "198.51.100.20"), account.email(), PASSWORD).then().statusCode(200);

            String address = "198.51.100.30";
            String email = Api.uniqueEmail("limited");
            for (int i = 0; i < 3; i++) {
                Response allowed = login(onSecond(second, address), email, "not the password");
                allowed.then().statusCode(401)
                        .header("RateLimit-Policy", equalTo("\"login\";q=3;w=60"));
                assertEquals(2 - i, remaining(allowed.header("RateLimit")));
            }
            Response limited = login(onSecond(second, address), email, "not the password");
            limited.then().statusCode(429).contentType("application/problem+json")
                    .body("type", equalTo("urn:gatehouse:problem:rate-limited"))
                    .header("RateLimit-Policy", equalTo("\"login\";q=3;w=60"));
            assertEquals(0, remaining(limited.header("RateLimit")));
            long wait = retryAfter(limited);
            assertTrue(wait >= 1 && wait <= 20, "a token comes back within 20 s: " + wait);

            // another address has its own bucket, and is the address the events record
            String requestId = TestServer.newRequestId();
            login(onSecond(second, "198.51.100.31").header("X-Request-ID", requestId), email, "not the password")
                    .then().statusCode(401);
            assertEquals("198.51.100.31", TestDatabase.queryValue(
                    "select actor_address from security_events where request_id = ?", requestId));
            // only the header the proxies write (X-Forwarded-For by default) is read: a Forwarded header the client
            // sent itself, which a proxy appending to X-Forwarded-For passes through, never wins (issue 28)
            String forwardedId = TestServer.newRequestId();
            login(given().port(second.port).header("X-Request-ID", forwardedId)
                            .header("Forwarded", "for=203.0.113.5, for=\"[2001:db8::7]:4711\"")
                            .header("X-Forwarded-For", "198.51.100.99"),
                    Api.uniqueEmail("forwarded"), "not the password").then().statusCode(401);
            assertEquals("198.51.100.99", TestDatabase.queryValue(
                    "select actor_address from security_events where request_id = ?", forwardedId));

            // SCIM: made-up tokens are one bucket each, so the address's own budget is what stops a flood of them
            for (int i = 0; i < 3; i++) {
                ScimChecks.scimError(onSecond(second, "198.51.100.40").header("Authorization", "Bearer made-up-" + i)
                        .get("/scim/v2/Users").then().header("RateLimit-Policy", equalTo("\"scim-address\";q=3;w=60")), 401, null);
            }
            Response scimLimited = onSecond(second, "198.51.100.40").header("Authorization", "Bearer made-up-4").get("/scim/v2/Users");
            ScimChecks.scimError(scimLimited.then(), 429, null);
            assertTrue(retryAfter(scimLimited) >= 1);
            ScimChecks.scimError(onSecond(second, "198.51.100.41").header("Authorization", "Bearer made-up-5")
                    .get("/scim/v2/Users").then(), 401, null);
        }
    }

    private static RequestSpecification onSecond(SecondServer second, String forwardedFor) {
        return given().port(second.port).header("X-Forwarded-For", forwardedFor);
    }

    private static long remaining(String rateLimit) {
        assertNotNull(rateLimit, "RateLimit header");
        Matcher r = Pattern.compile(";r=(\\d+)").matcher(rateLimit);
        assertTrue(r.find(), rateLimit);
        return Long.parseLong(r.group(1));
    }
}
