package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OAuth 2 / OpenID Connect sign-in against {@link FakeIdentityProvider}: the whole flow, the state kept in the
 * database (and so usable from another instance), and every refusal, each with nothing written.
 */
abstract class OAuthChecks {

    static final String REDIRECT_URI = "http://localhost:3000/oauth/callback";
    static final String BINDING_HEADER = "X-OAuth-Binding";
    static final String BINDING_COOKIE = "gatehouse_oauth_binding";
    private static final HttpClient BROWSER = HttpClient.newHttpClient(); // follows no redirects

    /** A started flow: what authorize answered, its binding in the body and the Set-Cookie header that carried it too. */
    record Flow(String provider, String state, String url, String binding, String setCookie) {
        Map<String, String> query() {
            return FakeIdentityProvider.queryOf(url);
        }
    }

    /** The user as the fake provider will describe them. */
    record Person(String subject, String email, boolean emailVerified) {
        static Person fresh(boolean emailVerified) {
            return new Person("sub-" + UUID.randomUUID(), Api.uniqueEmail("oauth"), emailVerified);
        }
    }

    // --- providers and authorize ---

    @Test
    void providersListsTheConfiguredOnes() {
        given().get("/api/v1/auth/oauth/providers").then().statusCode(200)
                .body("providers", hasItems("fakeoidc", "fakeplain", "github"))
                .body("providers", not(hasItem("google")))   // preset without a client id: not offered
                .body("providers", not(hasItem("microsoft")));
    }

    @Test
    void authorizeStoresTheFlowAndSendsOnlyTheChallenge() throws Exception {
        Flow flow = authorize(given(), "fakeoidc");
        Map<String, String> query = flow.query();
        assertTrue(flow.url().startsWith(FakeIdentityProvider.BASE + "/authorize?"), flow.url());
        assertEquals("code", query.get("response_type"));
        assertEquals(FakeIdentityProvider.CLIENT_ID, query.get("client_id"));
        assertEquals(REDIRECT_URI, query.get("redirect_uri"));
        assertEquals("openid email profile", query.get("scope"));
        assertEquals(flow.state(), query.get("state"));
        assertEquals("S256", query.get("code_challenge_method"));
        assertTrue(flow.state().length() >= 43, "at least 256 bits, base64url");
        assertTrue(flow.binding().length() >= 43, "the binding: at least 256 bits, base64url");
        assertFalse(flow.url().contains(flow.binding()), "the binding never goes to the provider");
        try (Connection db = TestDatabase.connection();
             PreparedStatement select = db.prepareStatement("""
                     select provider, code_verifier, nonce, redirect_uri, extract(epoch from expires_at - created_at), binding_hash
                     from oauth_states where state = ?""")) {
            select.setString(1, flow.state());
            ResultSet row = select.executeQuery();
            assertTrue(row.next());
            assertEquals("fakeoidc", row.getString(1));
            assertEquals(FakeIdentityProvider.s256(row.getString(2)), query.get("code_challenge"));
            assertFalse(flow.url().contains(row.getString(2)), "the verifier never leaves the server");
            assertEquals(row.getString(3), query.get("nonce"));
            assertEquals(REDIRECT_URI, row.getString(4));
            assertEquals(600, row.getInt(5));
            assertArrayEquals(sha256(flow.binding()), row.getBytes(6), "only the binding's SHA-256 is stored");
        }
    }

    @Test
    void presetProviderNeedsOnlyAClientId() {
        Flow flow = authorize(given(), "github");
        assertTrue(flow.url().startsWith("https://github.com/login/oauth/authorize?"), flow.url());
        assertEquals("it-github-client", flow.query().get("client_id"));
        assertEquals("read:user user:email", flow.query().get("scope"));
        assertNull(flow.query().get("nonce"), "GitHub is OAuth 2 without OpenID Connect");
    }

    @Test
    void unknownProviderIs404() {
        given().queryParam("redirect_uri", REDIRECT_URI).get("/api/v1/auth/oauth/google/authorize")
                .then().statusCode(404).contentType("application/problem+json");
        given().queryParam("code", "x").queryParam("state", "y").get("/api/v1/auth/oauth/nope/callback")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void redirectUriOffTheAllowListIs400() throws Exception {
        long[] before = rowCounts();
        for (String uri : List.of("https://evil.example/oauth/callback", REDIRECT_URI + "/more", "")) {
            given().queryParam("redirect_uri", uri).get("/api/v1/auth/oauth/fakeoidc/authorize")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:gatehouse:problem:invalid-redirect-uri"));
        }
        given().get("/api/v1/auth/oauth/fakeoidc/authorize").then().statusCode(400);
        assertArrayEquals(before, rowCounts());
    }

    // --- the whole flow ---

    @Test
    void firstSignInCreatesTenantAndUserThenSignsInWithoutWritingAnythingElse() throws Exception {
        Person person = Person.fresh(true);
        long[] before = rowCounts();
        JsonPath tokens = signIn(given(), "fakeoidc", person).then().statusCode(200)
                .body("token_type", equalTo("bearer")).body("expires_in", equalTo(900))
                .extract().jsonPath();
        long[] after = rowCounts();
        assertEquals(before[0] + 1, after[0], "one user");
        assertEquals(before[1] + 1, after[1], "one tenant");
        assertEquals(before[2] + 1, after[2], "one refresh token");
        assertEquals(before[3], after[3], "the state was consumed");

        String userId = subjectOf(tokens.getString("access_token"));
        given().header("Authorization", "Bearer " + tokens.getString("access_token")).get("/api/v1/auth/me")
                .then().statusCode(200)
                .body("id", equalTo(userId))
                .body("email", equalTo(person.email().toLowerCase()))
                .body("oauth_provider", equalTo("fakeoidc"))
                .body("is_superuser", equalTo(true));
        try (Connection db = TestDatabase.connection();
             PreparedStatement select = db.prepareStatement("select password_hash, oauth_subject from users where id = ?::uuid")) {
            select.setString(1, userId);
            ResultSet row = select.executeQuery();
            assertTrue(row.next());
            assertNull(row.getString(1), "no password");
            assertEquals(person.subject(), row.getString(2));
        }
        // The refresh token works like any other.
        Api.json(Api.refreshBody(tokens.getString("refresh_token"))).post("/api/v1/auth/refresh").then().statusCode(200);

        // Second sign-in: matched on (provider, subject); only a refresh token is written.
        long[] beforeSecond = rowCounts();
        Flow flow = authorize(given(), "fakeoidc");
        String code = consent(flow, person, Map.of());
        String requestId = TestServer.newRequestId();
        JsonPath again = callback(given().header("X-Request-ID", requestId), flow, code)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(userId, subjectOf(again.getString("access_token")));
        long[] afterSecond = rowCounts();
        assertEquals(beforeSecond[0], afterSecond[0]);
        assertEquals(beforeSecond[1], afterSecond[1]);
        assertEquals(beforeSecond[2] + 1, afterSecond[2]);
        // The callback's budget: consume the state (delete ... returning), the account by (provider, subject)
        // as one projection (with whether a second factor is due), the refresh token insert, the security event.
        assertEquals(4, TestServer.statementsOf(requestId));
    }

    @Test
    void plainOAuthProviderReadsTheIdentityFromUserinfo() throws Exception {
        Person person = Person.fresh(true);
        JsonPath tokens = signIn(given(), "fakeplain", person).then().statusCode(200).extract().jsonPath();
        given().header("Authorization", "Bearer " + tokens.getString("access_token")).get("/api/v1/auth/me")
                .then().statusCode(200).body("oauth_provider", equalTo("fakeplain"))
                .body("email", equalTo(person.email().toLowerCase()));
    }

    /**
     * An unverified local email may be an attacker's pre-registration of the victim's address: a sign-in never
     * takes over such an account by email, verified by the provider or not (EmailVerificationChecks links a
     * verified one). With emails unique across Gatehouse it cannot make a second account with the address
     * either: 409 email-taken, as registration answers, with nothing written.
     */
    @ParameterizedTest(name = "email verified by the provider: {0}")
    @ValueSource(booleans = {true, false})
    void anEmailThatHasAnAccountIsRefusedAndNeverLinked(boolean emailVerified) throws Exception {
        Api.Account existing = Api.register("OAuth Pre-registered Co");
        Person sameEmail = new Person("sub-" + UUID.randomUUID(), existing.email().toUpperCase(), emailVerified);
        Flow flow = authorize(given(), "fakeoidc");
        String code = consent(flow, sameEmail, Map.of());
        assertRefusedWithNothingWritten(() -> callback(given(), flow, code), 409, "email-taken");

        assertNull(oauthProviderOf(existing.userId()), "the existing account is not linked");
        assertEquals(existing.userId(), subjectOf(Api.login(existing.email(), Api.PASSWORD, null).getString("access_token")));
    }

    // --- refusals, each with nothing written ---

    @Test
    void replayedStateIsRefused() throws Exception {
        Person person = Person.fresh(true);
        Flow flow = authorize(given(), "fakeoidc");
        String code = consent(flow, person, Map.of());
        callback(given(), flow, code).then().statusCode(200);
        assertRefusedWithNothingWritten(() -> callback(given(), flow, code), 400, "invalid-oauth-state");
    }

    @Test
    void theClientSecretNeverReachesTheServerLog() throws Exception {
        // a flow that exchanges a code (with the secret) and one the provider refuses
        Flow flow = authorize(given(), "fakeoidc");
        callback(given(), flow, consent(flow, Person.fresh(true), Map.of())).then().statusCode(200);
        Flow refused = authorize(given(), "fakeoidc");
        callback(given(), refused, "no-such-code").then().statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
        String requestId = TestServer.newRequestId();
        given().header("X-Request-ID", requestId).get("/api/v1/auth/oauth/providers").then().statusCode(200);
        TestServer.logLineOf(requestId); // the log is written up to here
        try (java.util.stream.Stream<String> lines = TestServer.serverLogLines()) {
            assertEquals(List.of(), lines.filter(l -> l.contains(FakeIdentityProvider.CLIENT_SECRET)).toList());
        }
    }

    @Test
    void concurrentCallbacksWithOneStateOneWins() throws Exception {
        Flow flow = authorize(given(), "fakeoidc");
        String code = consent(flow, Person.fresh(true), Map.of());
        Callable<Response> call = () -> callback(given(), flow, code);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Response> first;
            Future<Response> second;
            // the test holds the state's row: both callbacks wait inside the DELETE ... RETURNING that consumes it
            try (TestDatabase.HeldLock row = TestDatabase.hold("select 1 from oauth_states where state = ? for update", flow.state())) {
                first = pool.submit(call);
                second = pool.submit(call);
                row.awaitServerWaiters(2);
            }
            List<Response> responses = new ArrayList<>(List.of(first.get(), second.get()));
            responses.sort(java.util.Comparator.comparingInt(Response::statusCode));
            assertEquals(List.of(200, 400), responses.stream().map(Response::statusCode).toList());
            responses.get(1).then().body("type", equalTo("urn:gatehouse:problem:invalid-oauth-state"));
        }
    }

    @Test
    void expiredStateIsRefused() throws Exception {
        Flow flow = authorize(given(), "fakeoidc");
        String code = consent(flow, Person.fresh(true), Map.of());
        execute("update oauth_states set expires_at = now() - interval '1 second' where state = '" + flow.state() + "'");
        assertRefusedWithNothingWritten(() -> callback(given(), flow, code), 400, "invalid-oauth-state");
    }

    @Test
    void stateOfAnotherProviderIsRefused() throws Exception {
        Flow flow = authorize(given(), "fakeplain");
        String code = consent(flow, Person.fresh(true), Map.of());
        assertRefusedWithNothingWritten(() -> callback(given(), "fakeoidc", code, flow.state(), flow.binding()),
                400, "invalid-oauth-state");
        // spent: not usable with its own provider afterwards either
        callback(given(), flow, code).then().statusCode(400);
    }

    @Test
    void forgedOrMissingStateIsRefused() throws Exception {
        Flow flow = authorize(given(), "fakeoidc");
        String code = consent(flow, Person.fresh(true), Map.of());
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString().getBytes());
        assertRefusedWithNothingWritten(() -> callback(given(), "fakeoidc", code, forged, flow.binding()), 400, "invalid-oauth-state");
        assertRefusedWithNothingWritten(() -> given().header(BINDING_HEADER, flow.binding()).queryParam("code", code)
                        .get("/api/v1/auth/oauth/fakeoidc/callback"),
                400, "invalid-oauth-state");
        assertRefusedWithNothingWritten(() -> callback(given(), "fakeoidc", code, "x".repeat(5000), flow.binding()), 400, "invalid-oauth-state");
    }

    @Test
    void pkceVerifierMismatchIsRefusedByTheProvider() throws Exception {
        Flow flow = authorize(given(), "fakeoidc");
        // the "attacker's" code was issued for another challenge than the one this flow sent
        String code = consent(flow, Person.fresh(true), Map.of("code_challenge", FakeIdentityProvider.s256("another-verifier-" + UUID.randomUUID())));
        Response refused = assertRefusedWithNothingWritten(() -> callback(given(), flow, code),
                400, "oauth-provider-error");
        refused.then().body("detail", containsString("invalid_grant"));
    }

    @Test
    void idTokenOfAnotherFlowIsRefused() throws Exception {
        Flow flow = authorize(given(), "fakeoidc");
        String code = consent(flow, Person.fresh(true), Map.of("nonce", "nonce-of-another-flow"));
        assertRefusedWithNothingWritten(() -> callback(given(), flow, code), 400, "oauth-nonce-mismatch");
    }

    @Test
    void providerErrorIsPassedOnAndSpendsTheState() throws Exception {
        Flow flow = authorize(given(), "fakeoidc");
        Response refused = assertRefusedWithNothingWritten(() -> given().header(BINDING_HEADER, flow.binding())
                        .queryParam("error", "access_denied")
                        .queryParam("error_description", "The user said no").queryParam("state", flow.state())
                        .get("/api/v1/auth/oauth/fakeoidc/callback"),
                400, "oauth-provider-error");
        refused.then().body("detail", containsString("access_denied")).body("detail", containsString("The user said no"));
        assertEquals(0, count("select count(*) from oauth_states where state = '" + flow.state() + "'"));
    }

    @Test
    void slowProviderIs504() throws Exception {
        Flow flow = authorize(given(), "slowidp");
        String code = consent(flow, Person.fresh(true), Map.of());
        // the provider answers only after the 504 is in: the server gave up at its own read timeout
        try (AutoCloseable held = FakeIdentityProvider.holdSlowToken()) {
            assertRefusedWithNothingWritten(() -> callback(given(), flow, code), 504, "oauth-provider-timeout");
        }
    }

    @Test
    void unreachableProviderIs502() throws Exception {
        Flow flow = authorize(given(), "deadidp");
        assertRefusedWithNothingWritten(() -> callback(given(), flow, "some-code"), 502, "oauth-provider-unreachable");
    }

    // --- the flow is bound to the client that started it (RFC 9700 §2.1, §4.7) ---

    @Test
    void authorizeSetsTheBindingAsAnHttpOnlyLaxCookieForTheOAuthPaths() {
        Response response = given().queryParam("redirect_uri", REDIRECT_URI).get("/api/v1/auth/oauth/fakeoidc/authorize")
                .then().statusCode(200).extract().response();
        String binding = response.jsonPath().getString("binding");
        assertEquals(Map.of("Path", "/api/v1/auth/oauth", "Max-Age", "600", "HttpOnly", "", "SameSite", "Lax"),
                cookieAttributes(response.header("Set-Cookie"), binding), "the cookie's attributes; no Secure over plain http");
        assertEquals("no-store", response.header("Cache-Control"), "the body and the cookie hold a secret");
        // Behind a TLS-terminating proxy that says the client came over HTTPS: Secure.
        Flow proxied = authorize(given().header("X-Forwarded-Proto", "https"), "fakeoidc");
        assertTrue(cookieAttributes(proxied.setCookie(), proxied.binding()).containsKey("Secure"), proxied.setCookie());
    }

    @Test
    void callbackWithoutTheBindingIsRefusedAndConsumesNothing() throws Exception {
        Person person = Person.fresh(true);
        Flow flow = authorize(given(), "fakeoidc");
        String code = consent(flow, person, Map.of());
        // Whoever holds the callback URL (code and state) but not the binding: a leaked URL, a forged request.
        assertRefusedWithNothingWritten(() -> callback(given(), "fakeoidc", code, flow.state(), null), 400, "invalid-oauth-state");
        assertRefusedWithNothingWritten(() -> callback(given().header(BINDING_HEADER, ""), "fakeoidc", code, flow.state(), null),
                400, "invalid-oauth-state");
        // Nor can they end the flow by passing an error on.
        assertRefusedWithNothingWritten(() -> given().queryParam("error", "access_denied").queryParam("state", flow.state())
                .get("/api/v1/auth/oauth/fakeoidc/callback"), 400, "oauth-provider-error");
        assertNothingOfTheirs(person);
        assertEquals(1, count("select count(*) from oauth_states where state = '" + flow.state() + "'"), "the flow is still there");
    }

    @Test
    void callbackWithAnotherFlowsBindingIsRefused() throws Exception {
        Person victim = Person.fresh(true);
        Flow victimsFlow = authorize(given(), "fakeoidc");
        Flow attackersFlow = authorize(given(), "fakeoidc");
        String victimsCode = consent(victimsFlow, victim, Map.of());
        // A leaked callback URL redeemed with the attacker's own binding: as the header, as the cookie.
        assertRefusedWithNothingWritten(() -> callback(given(), "fakeoidc", victimsCode, victimsFlow.state(), attackersFlow.binding()),
                400, "invalid-oauth-state");
        assertRefusedWithNothingWritten(() -> callback(given().cookie(BINDING_COOKIE, attackersFlow.binding()), "fakeoidc",
                victimsCode, victimsFlow.state(), null), 400, "invalid-oauth-state");
        // Login CSRF: the victim's browser, with its own cookie, made to finish the attacker's flow.
        Person attacker = Person.fresh(true);
        String attackersCode = consent(attackersFlow, attacker, Map.of());
        assertRefusedWithNothingWritten(() -> callback(given().cookie(BINDING_COOKIE, victimsFlow.binding()), "fakeoidc",
                attackersCode, attackersFlow.state(), null), 400, "invalid-oauth-state");
        assertNothingOfTheirs(victim);
        assertNothingOfTheirs(attacker);
        assertEquals(2, count("select count(*) from oauth_states where state in ('" + victimsFlow.state() + "', '"
                + attackersFlow.state() + "')"), "neither flow consumed");
    }

    @Test
    void afterRefusedCallbacksTheRightfulClientStillFinishes() throws Exception {
        Person person = Person.fresh(true);
        Flow flow = authorize(given(), "fakeoidc");
        Flow other = authorize(given(), "fakeoidc");
        String code = consent(flow, person, Map.of());
        callback(given(), "fakeoidc", code, flow.state(), null).then().statusCode(400);
        callback(given(), "fakeoidc", code, flow.state(), other.binding()).then().statusCode(400);
        given().header(BINDING_HEADER, other.binding()).queryParam("error", "access_denied").queryParam("state", flow.state())
                .get("/api/v1/auth/oauth/fakeoidc/callback").then().statusCode(400);
        JsonPath tokens = callback(given(), flow, code).then().statusCode(200).extract().jsonPath();
        assertEquals(person.subject(), TestDatabase.queryValue("select oauth_subject from users where id = ?::uuid",
                subjectOf(tokens.getString("access_token"))));
        // and then it is spent, for its own client too
        assertRefusedWithNothingWritten(() -> callback(given(), flow, code), 400, "invalid-oauth-state");
    }

    @Test
    void apiClientFinishesWithTheBindingHeader() throws Exception {
        Person person = Person.fresh(true);
        Flow flow = authorize(given(), "fakeplain");
        String code = consent(flow, person, Map.of());
        // no cookie: an API client keeps the binding from the JSON
        JsonPath tokens = given().header(BINDING_HEADER, flow.binding()).queryParam("code", code).queryParam("state", flow.state())
                .get("/api/v1/auth/oauth/fakeplain/callback").then().statusCode(200).extract().jsonPath();
        given().header("Authorization", "Bearer " + tokens.getString("access_token")).get("/api/v1/auth/me")
                .then().statusCode(200).body("email", equalTo(person.email().toLowerCase()));
        assertEquals(0, count("select count(*) from oauth_states where state = '" + flow.state() + "'"), "consumed");
    }

    @Test
    void browserFinishesWithTheCookieAloneAndTheCallbackClearsIt() throws Exception {
        Person person = Person.fresh(true);
        Flow flow = authorize(given(), "fakeoidc");
        String code = consent(flow, person, Map.of());
        // what the browser stored from authorize's Set-Cookie, sent back; no header
        String cookie = flow.setCookie().split(";")[0];
        Response finished = given().header("Cookie", cookie).queryParam("code", code).queryParam("state", flow.state())
                .get("/api/v1/auth/oauth/fakeoidc/callback");
        finished.then().statusCode(200).body("token_type", equalTo("bearer"));
        assertEquals(person.subject(), TestDatabase.queryValue("select oauth_subject from users where id = ?::uuid",
                subjectOf(finished.jsonPath().getString("access_token"))));
        assertEquals(Map.of("Path", "/api/v1/auth/oauth", "Max-Age", "0", "HttpOnly", "", "SameSite", "Lax"),
                cookieAttributes(finished.header("Set-Cookie"), ""), "the callback removes the cookie");
    }

    @Test
    void expiredStatesAreRemovedBySchedule() throws Exception {
        String expired = "expired-" + UUID.randomUUID();
        String live = "live-" + UUID.randomUUID();
        String columns = "insert into oauth_states (state, provider, code_verifier, nonce, redirect_uri, binding_hash, created_at, expires_at) ";
        execute(columns + "values ('" + expired + "', 'fakeoidc', 'v', 'n', 'r', 'b', now() - interval '11 minutes', now() - interval '1 minute')");
        execute(columns + "values ('" + live + "', 'fakeoidc', 'v', 'n', 'r', 'b', now(), now() + interval '10 minutes')");
        Polling.awaitTrue(Duration.ofSeconds(15), Duration.ofMillis(250), "expired state removed (cleanup every 2 s in the tests)",
                () -> count("select count(*) from oauth_states where state = '" + expired + "'") == 0);
        assertEquals(1, count("select count(*) from oauth_states where state = '" + live + "'"));
        execute("delete from oauth_states where state = '" + live + "'");
    }

    @Test
    void aFlowStartedOnOneInstanceFinishesOnAnother() throws Exception {
        try (SecondServer second = SecondServer.start()) {
            RequestSpecification onSecond = given().baseUri("http://localhost").port(second.port);

            Person person = Person.fresh(true);
            Flow flow = authorize(given(), "fakeoidc");
            String code = consent(flow, person, Map.of());
            JsonPath tokens = callback(onSecond, flow, code).then().statusCode(200).extract().jsonPath();
            // signed with the shared key: the first instance accepts the second's token
            given().header("Authorization", "Bearer " + tokens.getString("access_token")).get("/api/v1/auth/me")
                    .then().statusCode(200).body("oauth_provider", equalTo("fakeoidc"));

            // and the other way round, for the same person: the same account
            Flow back = authorize(given().baseUri("http://localhost").port(second.port), "fakeoidc");
            String backCode = consent(back, person, Map.of());
            JsonPath again = callback(given(), back, backCode).then().statusCode(200).extract().jsonPath();
            assertEquals(subjectOf(tokens.getString("access_token")), subjectOf(again.getString("access_token")));
        }
    }

    // --- helpers ---

    static Flow authorize(RequestSpecification on, String provider) {
        Response response = on.queryParam("redirect_uri", REDIRECT_URI)
                .get("/api/v1/auth/oauth/" + provider + "/authorize")
                .then().statusCode(200).extract().response();
        JsonPath body = response.jsonPath();
        return new Flow(provider, body.getString("state"), body.getString("url"), body.getString("binding"),
                response.header("Set-Cookie"));
    }

    /** The browser at the provider: the user consents, the provider redirects back with a code. */
    static String consent(Flow flow, Person person, Map<String, String> overrides) throws IOException, InterruptedException {
        Map<String, String> query = new LinkedHashMap<>(flow.query());
        query.putAll(overrides);
        query.put("test_sub", person.subject());
        query.put("test_email", person.email());
        query.put("test_email_verified", Boolean.toString(person.emailVerified()));
        query.put("test_name", "OAuth Person");
        String url = FakeIdentityProvider.BASE + "/authorize?" + query.entrySet().stream()
                .map(e -> FakeIdentityProvider.encode(e.getKey()) + "=" + FakeIdentityProvider.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpResponse<Void> redirect = BROWSER.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(303, redirect.statusCode());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(flow.query().get("redirect_uri") + "?"), location);
        Map<String, String> back = FakeIdentityProvider.queryOf(location);
        assertEquals(flow.state(), back.get("state"));
        return back.get("code");
    }

    /** The callback as an API client makes it: the binding in its header (none when null). */
    static Response callback(RequestSpecification on, String provider, String code, String state, String binding) {
        if (binding != null) {
            on.header(BINDING_HEADER, binding);
        }
        return on.queryParam("code", code).queryParam("state", state).get("/api/v1/auth/oauth/" + provider + "/callback");
    }

    /** The callback of the client that started the flow. */
    static Response callback(RequestSpecification on, Flow flow, String code) {
        return callback(on, flow.provider(), code, flow.state(), flow.binding());
    }

    static Response signIn(RequestSpecification on, String provider, Person person) throws IOException, InterruptedException {
        Flow flow = authorize(given(), provider);
        return callback(on, flow, consent(flow, person, Map.of()));
    }

    /** users, tenants, refresh_tokens, oauth_states */
    static long[] rowCounts() throws SQLException {
        return new long[] {count("select count(*) from users"), count("select count(*) from tenants"),
                count("select count(*) from refresh_tokens"), count("select count(*) from oauth_states")};
    }

    interface Call {
        Response run() throws Exception;
    }

    /** The call answers this problem, and no user, tenant or refresh token was written meanwhile. */
    static Response assertRefusedWithNothingWritten(Call call, int status, String type) throws Exception {
        long[] before = rowCounts();
        Response response = call.run();
        response.then().statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("urn:gatehouse:problem:" + type));
        long[] after = rowCounts();
        assertEquals(before[0], after[0], "users written");
        assertEquals(before[1], after[1], "tenants written");
        assertEquals(before[2], after[2], "refresh tokens written");
        return response;
    }

    /** No account, and so no tenant or refresh token, was made for this person. */
    static void assertNothingOfTheirs(Person person) {
        assertEquals(0, count("select count(*) from users where oauth_subject = '" + person.subject()
                + "' or email = '" + person.email().toLowerCase() + "'"), "an account for " + person);
    }

    /** The attributes of a Set-Cookie for the binding cookie (names as sent, flags with ""), after checking its value. */
    static Map<String, String> cookieAttributes(String setCookie, String expectedValue) {
        assertTrue(setCookie != null, "a Set-Cookie header");
        String[] parts = setCookie.split(";");
        assertEquals(BINDING_COOKIE + "=" + expectedValue, parts[0].trim());
        Map<String, String> attributes = new TreeMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] attribute = parts[i].trim().split("=", 2);
            attributes.put(attribute[0], attribute.length == 2 ? attribute[1] : "");
        }
        return attributes;
    }

    static byte[] sha256(String text) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }

    static String subjectOf(String accessToken) {
        String payload = new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]), StandardCharsets.UTF_8);
        JsonObject claims = Json.createReader(new StringReader(payload)).readObject();
        return claims.getString("sub");
    }

    static String oauthProviderOf(String userId) throws SQLException {
        try (Connection db = TestDatabase.connection();
             PreparedStatement select = db.prepareStatement("select oauth_provider from users where id = ?::uuid")) {
            select.setString(1, userId);
            ResultSet row = select.executeQuery();
            assertTrue(row.next());
            return row.getString(1);
        }
    }

    static long count(String sql) {
        return TestDatabase.queryLong(sql);
    }

    static void execute(String sql) {
        TestDatabase.update(sql);
    }
}
