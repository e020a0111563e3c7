package dev.gatehouse.it;

import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One more instance on the same database, booted once for these tests: a session ended through the suite's
 * server is refused on it (the caller cache's NOTIFY); its bounded hashing, one hash at a time; its rate
 * limits, 2 a minute for every limited endpoint but login's (AbuseProtectionChecks has login's); and last,
 * its graceful drain at SIGTERM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SecondInstanceChecks {

    private static final int LIMIT = 2;
    private static final String RATE_LIMITED = "urn:gatehouse:problem:rate-limited";
    private static final Pattern REMAINING = Pattern.compile(";r=(\\d+)");

    private SecondServer second;

    @BeforeAll
    void startSecondInstance() throws IOException {
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "GATEHOUSE_RATE_LIMIT_REGISTER_PER_MINUTE", String.valueOf(LIMIT),
                "GATEHOUSE_RATE_LIMIT_REFRESH_PER_MINUTE", String.valueOf(LIMIT),
                "GATEHOUSE_RATE_LIMIT_OAUTH_PER_MINUTE", String.valueOf(LIMIT),
                "GATEHOUSE_RATE_LIMIT_ACCOUNT_MAIL_PER_MINUTE", String.valueOf(LIMIT),
                "GATEHOUSE_RATE_LIMIT_MFA_PER_MINUTE", String.valueOf(LIMIT),
                "GATEHOUSE_RATE_LIMIT_TOKEN_PER_MINUTE", String.valueOf(LIMIT),
                // one password hash at a time, and no wait for the slot: logins at once find it taken
                "GATEHOUSE_PASSWORD_HASH_MAX_CONCURRENT", "1",
                "GATEHOUSE_PASSWORD_HASH_SLOT_WAIT_MS", "0",
                // long enough for the drain test's steps on a busy machine; the in-flight wait longer still
                "GATEHOUSE_SHUTDOWN_DRAIN_SECONDS", "8",
                "GATEHOUSE_SHUTDOWN_IN_FLIGHT_SECONDS", "30"));
        environment.put("GATEHOUSE_RATE_LIMIT_SCIM_PER_MINUTE", String.valueOf(LIMIT));
        second = SecondServer.start(environment);
    }

    @AfterAll
    void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    private RequestSpecification onSecond() {
        return given().port(second.port);
    }

    /**
     * The access token of a session ended on the suite's server is refused on the second instance, which had
     * its caller cached: only the NOTIFY of the session's end (migration V5's trigger) evicts it there, within
     * milliseconds; without it the entry would live for minutes.
     */
    @Test
    void aLogoutOnOneInstanceEndsTheSessionOnTheOther() {
        Api.Account account = Api.register("Two Instances Logout Co");
        for (int i = 0; i < 2; i++) { // the first reads the caller, the second takes it from the cache
            onSecond().header("Authorization", "Bearer " + account.accessToken()).get("/api/v1/users/me")
                    .then().statusCode(200);
        }
        json(refreshBody(account.refreshToken())).post("/api/v1/auth/logout").then().statusCode(204);
        Polling.awaitTrue(Duration.ofSeconds(5), "the second instance refuses the ended session", () -> onSecond()
                .header("Authorization", "Bearer " + account.accessToken()).get("/api/v1/users/me").statusCode() == 401);
    }

    /**
     * Introspection on the second instance, which had the person's caller cached, says inactive once the session
     * ended through the suite's server: it decides as a request does, so the same NOTIFY reaches it.
     */
    @Test
    void introspectionOnTheOtherInstanceSeesALogoutAtOnce() {
        ServiceAccountChecks.Machine resourceServer = ServiceAccountChecks.machine("Two Instances Introspection Co");
        Api.Account account = resourceServer.admin();
        for (int i = 0; i < 2; i++) { // the first reads the caller, the second takes it from the cache
            introspectOnSecond(resourceServer, account.accessToken()).then().statusCode(200).body("active", equalTo(true));
        }
        json(refreshBody(account.refreshToken())).post("/api/v1/auth/logout").then().statusCode(204);
        Polling.awaitTrue(Duration.ofSeconds(5), "the second instance's introspection sees the ended session",
                () -> !introspectOnSecond(resourceServer, account.accessToken()).jsonPath().getBoolean("active"));
    }

    private Response introspectOnSecond(ServiceAccountChecks.Machine client, String token) {
        return onSecond().auth().preemptive().basic(client.id(), client.secret())
                .contentType("application/x-www-form-urlencoded").formParam("token", token)
                .post(IntrospectionChecks.INTROSPECTION_ENDPOINT);
    }

    /**
     * A service account deactivated through the suite's server is refused on the second instance, which had it
     * cached: service_accounts' trigger (migration V22) announces it as an account's change is.
     */
    @Test
    void aServiceAccountDisabledOnOneInstanceIsRefusedOnTheOther() {
        ServiceAccountChecks.Machine machine = ServiceAccountChecks.machine("Two Instances Machine Co");
        String token = machine.token();
        for (int i = 0; i < 2; i++) {
            onSecond().header("Authorization", "Bearer " + token).get("/api/v1/users").then().statusCode(200);
        }
        machine.admin().as().contentType(io.restassured.http.ContentType.JSON).body(Map.of("active", false))
                .patch("/api/v1/service-accounts/" + machine.id()).then().statusCode(200);
        Polling.awaitTrue(Duration.ofSeconds(5), "the second instance refuses the disabled service account", () -> onSecond()
                .header("Authorization", "Bearer " + token).get("/api/v1/users").statusCode() == 401);
    }

    /**
     * A member deactivated by the tenant's directory (Entra ID's PATCH) through the suite's server is refused on
     * the second instance, which had their caller cached: SCIM deactivates as an admin does, by the membership's
     * change and the end of its sessions, whose NOTIFY reaches every instance.
     */
    @Test
    void aScimDeactivationOnOneInstanceEndsTheSessionOnTheOther() {
        ScimChecks.Directory directory = ScimChecks.directory("Two Instances SCIM Co");
        Api.Account member = Api.addUser(directory.admin(), false);
        for (int i = 0; i < 2; i++) {
            onSecond().header("Authorization", "Bearer " + member.accessToken()).get("/api/v1/users/me").then().statusCode(200);
        }
        directory.scim(ScimChecks.patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]"))
                .patch("/scim/v2/Users/" + member.userId()).then().statusCode(200);
        Polling.awaitTrue(Duration.ofSeconds(5), "the second instance refuses the deprovisioned member", () -> onSecond()
                .header("Authorization", "Bearer " + member.accessToken()).get("/api/v1/users/me").statusCode() == 401);
    }

    /** Over its budget a SCIM token gets 429 in SCIM's format with Retry-After; another token has its own bucket. */
    @Test
    void aScimTokenOverItsBudgetIs429() {
        ScimChecks.Directory directory = ScimChecks.directory("Two Instances SCIM Limit Co");
        ScimChecks.Directory other = ScimChecks.directory("Two Instances SCIM Other Co");
        for (int i = 0; i < LIMIT; i++) {
            onSecond().header("Authorization", "Bearer " + directory.token()).get("/scim/v2/Users").then().statusCode(200);
        }
        ScimChecks.scimError(onSecond().header("Authorization", "Bearer " + directory.token()).get("/scim/v2/Users").then()
                .header("Retry-After", not(nullValue())), 429, null);
        onSecond().header("Authorization", "Bearer " + other.token()).get("/scim/v2/Users").then().statusCode(200);
    }

    /**
     * Bounded hashing: eight logins with the right password sent at once to an instance that runs one hash at
     * a time and lets none wait for it: those that find the slot taken answer 503 busy with Retry-After 1
     * (without the bound all eight would be 200), the others sign in. Eight accounts, so that the lockout, which
     * counts attempts of one email from one address as they begin, plays no part.
     */
    @Test
    void loginsBeyondTheHashingBoundAre503Busy() throws Exception {
        List<Api.Account> accounts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            accounts.add(Api.register("Busy Hashing Co " + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> logins = new ArrayList<>();
            for (Api.Account account : accounts) {
                logins.add(pool.submit(() -> {
                    start.await();
                    return onSecond().contentType("application/json")
                            .body(Map.of("email", account.email(), "password", Api.PASSWORD)).post("/api/v1/auth/login");
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> login : logins) {
                responses.add(login.get());
            }
            List<Integer> statuses = responses.stream().map(Response::statusCode).toList();
            List<Response> busy = responses.stream().filter(r -> r.statusCode() == 503).toList();
            assertFalse(busy.isEmpty(), statuses.toString());
            assertEquals(8, busy.size() + statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            busy.getFirst().then().contentType("application/problem+json")
                    .body("type", equalTo("urn:gatehouse:problem:busy")).header("Retry-After", equalTo("1"));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Each rate limit with every endpoint it covers; the first one is called until the budget is spent. */
    static Stream<Arguments> limitedEndpoints() {
        Function<RequestSpecification, Response> authorize = r -> r.redirects().follow(false)
                .queryParam("redirect_uri", "http://localhost:3000/oauth/callback").get("/api/v1/auth/oauth/fakeoidc/authorize");
        return Stream.of(
                Arguments.of("register", List.<Function<RequestSpecification, Response>>of(
                        r -> post(r, "/api/v1/auth/register"))),
                Arguments.of("refresh", List.<Function<RequestSpecification, Response>>of(
                        r -> post(r, "/api/v1/auth/refresh"))),
                Arguments.of("oauth", List.of(authorize,
                        r -> r.redirects().follow(false).queryParam("state", "unknown").queryParam("code", "x")
                                .get("/api/v1/auth/oauth/fakeoidc/callback"))),
                Arguments.of("mfa", List.<Function<RequestSpecification, Response>>of(
                        r -> post(r, "/api/v1/auth/mfa/verify"),
                        r -> post(r, "/api/v1/auth/mfa/totp"),
                        r -> post(r, "/api/v1/auth/mfa/totp/confirm"))),
                Arguments.of("token", List.<Function<RequestSpecification, Response>>of(
                        r -> r.contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                                .post("/api/v1/oauth/token"))),
                Arguments.of("account-mail", List.<Function<RequestSpecification, Response>>of(
                        r -> post(r, "/api/v1/auth/forgot-password"),
                        r -> post(r, "/api/v1/auth/reset-password"),
                        r -> post(r, "/api/v1/auth/verify-email"),
                        r -> post(r, "/api/v1/auth/verify-email/resend"),
                        r -> post(r, "/api/v1/invitations/accept"))));
    }

    /** An empty JSON body: refused after the limit's token is taken, so nothing is written. */
    private static Response post(RequestSpecification request, String path) {
        return request.contentType("application/json").body("{}").post(path);
    }

    /**
     * Every limited endpoint takes from its address's bucket and says so in RateLimit and RateLimit-Policy;
     * once the bucket is empty, each of them answers 429 problem+json with Retry-After.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("limitedEndpoints")
    void eachRateLimitedEndpointAnswers429WithItsHeadersOverBudget(String limit,
                                                                  List<Function<RequestSpecification, Response>> endpoints) {
        String policy = "\"" + limit + "\";q=" + LIMIT + ";w=60";
        for (int i = 0; i < LIMIT; i++) {
            Response allowed = endpoints.getFirst().apply(onSecond());
            assertNotEquals(429, allowed.statusCode(), limit + " call " + (i + 1));
            allowed.then().header("RateLimit-Policy", equalTo(policy));
            assertEquals(LIMIT - 1 - i, remaining(allowed.header("RateLimit")), allowed.header("RateLimit"));
        }
        for (Function<RequestSpecification, Response> endpoint : endpoints) {
            Response limited = endpoint.apply(onSecond());
            limited.then().statusCode(429).contentType("application/problem+json")
                    .body("type", equalTo(RATE_LIMITED))
                    .header("RateLimit-Policy", equalTo(policy));
            assertEquals(0, remaining(limited.header("RateLimit")));
            long retryAfter = Long.parseLong(limited.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        }
    }

    private static long remaining(String rateLimit) {
        Matcher r = REMAINING.matcher(String.valueOf(rateLimit));
        if (!r.find()) {
            throw new AssertionError("no remaining count in RateLimit: " + rateLimit);
        }
        return Long.parseLong(r.group(1));
    }

    /**
     * SIGTERM: readiness DOWN at once; requests still served during the drain, each with Connection: close;
     * after it, new requests 503 shutting-down with Retry-After 1 while one in flight (held by a row lock)
     * still completes; then the process exits with 143. Last: it stops the instance.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theDrainClosesConnectionsThenRefusesNewRequestsWhileOneInFlightCompletes() throws Exception {
        Api.Account account = Api.register("Drain Co");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> inFlight;
            try (TestDatabase.HeldLock row = TestDatabase.hold("select 1 from refresh_tokens"
                    + " where token_hash = sha256(convert_to(?, 'UTF8')) for update", account.refreshToken())) {
                second.terminate();
                Polling.awaitTrue(Duration.ofSeconds(3), "readiness DOWN right after SIGTERM",
                        () -> onSecond().get("/health/ready").statusCode() == 503);
                onSecond().get("/.well-known/jwks.json").then().statusCode(200).header("Connection", equalTo("close"));

                // a logout waiting at the token's row: in flight when the drain ends
                inFlight = pool.submit(() -> onSecond().contentType("application/json")
                        .body(refreshBody(account.refreshToken())).post("/api/v1/auth/logout").statusCode());
                row.awaitServerWaiters(1);
                Response refused = Polling.awaitPresent(Duration.ofSeconds(20), Duration.ofMillis(200), "503 after the drain",
                        () -> Optional.of(onSecond().get("/.well-known/jwks.json")).filter(r -> r.statusCode() == 503));
                refused.then().contentType("application/problem+json")
                        .body("type", equalTo("urn:gatehouse:problem:shutting-down")).header("Retry-After", equalTo("1"));
            }
            assertEquals(204, inFlight.get(), "the request in flight when the drain ended");
            assertEquals(143, second.awaitExit(Duration.ofSeconds(60)));
        } finally {
            pool.shutdownNow();
        }
    }
}
