package dev.gatehouse.it;

import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.ProblemDetailsChecks.assertProblem;
import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 12, section 4, hostile input: each refusal is a 4xx problem+json and writes nothing. */
abstract class HostileInputChecks {

    private static final int MAX_BODY_BYTES = 65_536; // gatehouse.request.max-body-bytes, default

    static {
        TestServer.init();
    }

    // --- control characters ---

    @Test
    void nulInRegistrationIs422NamingTheFieldsAndWritesNothing() {
        String email = Api.uniqueEmail("nul");
        assertProblem(json(Map.of("email", email, "password", Api.PASSWORD, "full_name", "Ada\u0000",
                        "tenant_name", "Acme\u0000 GmbH")).post("/api/v1/auth/register").then(),
                422, "/api/v1/auth/register")
                .body("type", equalTo("urn:gatehouse:problem:validation"))
                .body("errors.field", containsInAnyOrder("full_name", "tenant_name"));
        assertEquals(0, TestDatabase.queryLong("select count(*) from users where email = ?", email));
    }

    @Test
    void nulInTheLoginTenantIs422() {
        Api.Account account = Api.register("Nul Login");
        assertProblem(json(Map.of("email", account.email(), "password", Api.PASSWORD, "tenant", "nul-login\u0000"))
                        .post("/api/v1/auth/login").then(),
                422, "/api/v1/auth/login")
                .body("errors.field", containsInAnyOrder("tenant"));
    }

    @Test
    void controlCharactersInAProfileChangeAre422AndChangeNothing() {
        Api.Account account = Api.register("Nul Patch");
        for (String name : List.of("Ada\u0000", "Ada\u0001", "Ada\u001f", "Ada\nLovelace", "Ada\tL")) {
            assertProblem(account.as().contentType(ContentType.JSON).body(Map.of("full_name", name))
                            .patch("/api/v1/users/me").then(),
                    422, "/api/v1/users/me")
                    .body("errors.field", containsInAnyOrder("full_name"))
                    .body("errors.message", everyItem(equalTo("must not contain control characters")));
        }
        assertEquals("Admin of Nul Patch", TestDatabase.queryValue("select full_name from users where id = ?",
                UUID.fromString(account.userId())));
    }

    @Test
    void aRoleDescriptionMayHoldLineBreaksAndTabsButNoOtherControlCharacter() {
        Api.Account admin = Api.register("Multi Line");
        admin.as().contentType(ContentType.JSON)
                .body(Map.of("name", "auditors", "description", "Reads users.\n\tNothing else.\r\n"))
                .post("/api/v1/roles").then().statusCode(201)
                .body("description", equalTo("Reads users.\n\tNothing else.\r\n"));
        assertProblem(admin.as().contentType(ContentType.JSON)
                        .body(Map.of("name", "aud\nitors", "description", "bell\u0007"))
                        .post("/api/v1/roles").then(),
                422, "/api/v1/roles")
                .body("errors.field", containsInAnyOrder("name", "description"));
        assertEquals(0, TestDatabase.queryLong("select count(*) from roles where tenant_id = ? and name like 'aud%itors' and name <> 'auditors'",
                UUID.fromString(admin.tenantId())));
    }

    /**
     * Role names travel comma-separated in the token's groups claim: "x,admin" would put "admin" there.
     * A name starts with a letter and holds letters, digits, space, '-', '_' and '.', on create and rename.
     */
    @Test
    void aRoleNameIsLetterLedWithoutCommasOrPunctuation() {
        Api.Account admin = Api.register("Role Names");
        UUID tenant = UUID.fromString(admin.tenantId());
        for (String name : List.of("x,admin", "1st line", "-dash", "a;b", "émoji 🙂", " padded")) {
            assertProblem(admin.as().contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/v1/roles").then(),
                    422, "/api/v1/roles").body("errors.field", containsInAnyOrder("name"));
        }
        assertEquals(3, TestDatabase.queryLong("select count(*) from roles where tenant_id = ?", tenant), "only the defaults");

        String id = admin.as().contentType(ContentType.JSON).body(Map.of("name", "Help desk-2.0_eu"))
                .post("/api/v1/roles").then().statusCode(201).extract().path("id");
        assertProblem(admin.as().contentType(ContentType.JSON).body(Map.of("name", "helpers,admin"))
                .patch("/api/v1/roles/" + id).then(), 422, "/api/v1/roles/" + id);
        admin.as().get("/api/v1/roles/" + id).then().statusCode(200).body("name", equalTo("Help desk-2.0_eu"));
    }

    @Test
    void aControlCharacterInsideAListNamesTheList() {
        Api.Account admin = Api.register("Nul List");
        assertProblem(admin.as().contentType(ContentType.JSON)
                        .body(Map.of("name", "listers", "permissions", List.of("users:read", "users:\u0000read")))
                        .post("/api/v1/roles").then(),
                422, "/api/v1/roles")
                .body("errors.field", containsInAnyOrder("permissions"));
        assertEquals(0, TestDatabase.queryLong("select count(*) from roles where tenant_id = ? and name = 'listers'",
                UUID.fromString(admin.tenantId())));
    }

    @Test
    void aControlCharacterInAQueryParameterIs422NamingTheParameter() {
        Api.Account admin = Api.register("Nul Query");
        assertProblem(admin.as().urlEncodingEnabled(false).get("/api/v1/users?page=1%00").then(), 422, "/api/v1/users")
                .body("errors.field", containsInAnyOrder("page"))
                .body("errors.message", containsInAnyOrder("must not contain control characters"));
        assertProblem(given().urlEncodingEnabled(false)
                        .get("/api/v1/auth/oauth/fakeoidc/authorize?redirect_uri=http://localhost:3000/oauth/callback%0A").then(),
                422, "/api/v1/auth/oauth/fakeoidc/authorize")
                .body("errors.field", containsInAnyOrder("redirect_uri"));
    }

    // --- body size ---

    @Test
    void aBodyOverTheLimitIs413ByItsContentLengthBeforeItIsSent() throws IOException {
        // Only the head and a few bytes are sent: a server that waited for the 8 MB would never answer.
        RawResponse response = exchange("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 8388608\r\n\r\n", "{\"email\": \"".getBytes(US_ASCII));
        assertRawProblem(response, 413);
        assertEquals("urn:gatehouse:problem:body-too-large", response.json().getString("type"));
    }

    @Test
    void aChunkedBodyIs413OnceItPassesTheLimit() throws IOException {
        // 72 KB in chunks of 8 KB and no last chunk: the server must stop reading at the limit and answer.
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        byte[] chunk = ("{\"email\":\"a@example.com\",\"password\":\"" + "a".repeat(8192)).substring(0, 8192).getBytes(US_ASCII);
        for (int i = 0; i < 9; i++) {
            chunks.write(("2000\r\n").getBytes(US_ASCII));
            chunks.write(chunk);
            chunks.write("\r\n".getBytes(US_ASCII));
            chunk = "a".repeat(8192).getBytes(US_ASCII);
        }
        RawResponse response = exchange("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", chunks.toByteArray());
        assertRawProblem(response, 413);
    }

    @Test
    void aBodyJustUnderTheLimitIsReadAndValidated() {
        String password = "a".repeat(MAX_BODY_BYTES - 100);
        assertProblem(json(Map.of("email", "a@example.com", "password", password)).post("/api/v1/auth/login").then(),
                422, "/api/v1/auth/login")
                .body("errors.field", containsInAnyOrder("password"));
    }

    @Test
    void aGetWithABodyIs400Problem() throws IOException {
        RawResponse response = exchange("GET /api/v1/auth/oauth/providers HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 8\r\n\r\n", "{\"a\": 1}".getBytes(US_ASCII));
        assertRawProblem(response, 400);
        assertEquals("urn:gatehouse:problem:body-not-allowed", response.json().getString("type"));
    }

    // --- response headers ---

    @Test
    void tokenResponsesAreNotStored() throws Exception {
        String email = Api.uniqueEmail("nostore");
        Response registered = json(Map.of("email", email, "password", Api.PASSWORD, "full_name", "No Store",
                "tenant_name", "No Store")).post("/api/v1/auth/register");
        registered.then().statusCode(201).header("Cache-Control", "no-store");
        Response login = json(Map.of("email", email, "password", Api.PASSWORD)).post("/api/v1/auth/login");
        login.then().statusCode(200).header("Cache-Control", "no-store");
        json(Api.refreshBody(login.jsonPath().getString("refresh_token"))).post("/api/v1/auth/refresh")
                .then().statusCode(200).header("Cache-Control", "no-store");
        OAuthChecks.signIn(given(), "fakeoidc", OAuthChecks.Person.fresh(true))
                .then().statusCode(200).header("Cache-Control", "no-store");
    }

    @Test
    void everyResponseSaysNosniffAndNamesNoServer() throws IOException {
        List<Response> responses = List.of(
                given().get("/health/live"),
                given().get("/api/v1/auth/oauth/providers"),
                given().get("/api/v1/no-such-thing"),
                given().header("Authorization", "Bearer not.a.token").get("/api/v1/users/me"),
                json(Map.of("email", "not-an-email")).post("/api/v1/auth/login"));
        for (Response response : responses) {
            assertSafeHeaders(response.getHeaders().asList().stream()
                    .collect(LinkedHashMap::new, (m, h) -> m.put(h.getName().toLowerCase(Locale.ROOT), h.getValue()), Map::putAll));
        }
        assertSafeHeaders(exchange("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 8388608\r\n\r\n").headers());
    }

    private static void assertSafeHeaders(Map<String, String> headers) {
        assertEquals("nosniff", headers.get("x-content-type-options"), headers.toString());
        assertNull(headers.get("server"), headers.toString());
        assertNull(headers.get("x-powered-by"), headers.toString());
    }

    // --- refused tokens in the log ---

    @Test
    void aRefusedTokenLeavesNoStackTraceInTheLog() throws Exception {
        Api.Account account = Api.register("Quiet Log");
        long past = System.currentTimeMillis() / 1000 - 60;
        String expired = TestTokens.rs256(TestTokens.with(TestTokens.with(TestTokens.validClaims(account), "iat", past - 900), "exp", past));
        long tracesBefore = TestServer.serverLogLines().filter(l -> l.contains("Exception trying to parse JWT token")).count();
        for (String token : List.of("not.a.token", expired, account.accessToken() + "x")) {
            String requestId = TestServer.newRequestId();
            String contentType = assertProblem(given().header("X-Request-ID", requestId).header("Authorization", "Bearer " + token)
                    .get("/api/v1/users/me").then(), 401, "/api/v1/users/me").extract().contentType();
            assertTrue(!contentType.contains("charset") || contentType.toLowerCase(Locale.ROOT).contains("charset=utf-8"),
                    "JSON is UTF-8: " + contentType);
            assertEquals(401, TestServer.logLineOf(requestId).getInt("status"));
            assertTrue(TestServer.serverLogLines().noneMatch(l -> l.contains(token)), "the token is not logged");
        }
        assertEquals(tracesBefore, TestServer.serverLogLines().filter(l -> l.contains("Exception trying to parse JWT token")).count(),
                "MicroProfile JWT's stack trace per refused token");
    }

    // --- a plain socket, for bodies REST Assured would send whole ---

    record RawResponse(int status, Map<String, String> headers, String body) {
        jakarta.json.JsonObject json() {
            return jakarta.json.Json.createReader(new java.io.StringReader(body)).readObject();
        }
    }

    private static void assertRawProblem(RawResponse response, int status) {
        assertEquals(status, response.status(), response.toString());
        assertEquals("application/problem+json", response.headers().get("content-type"), response.toString());
        assertEquals(status, response.json().getInt("status"));
        assertTrue(response.json().containsKey("request_id"), response.body());
    }

    /**
     * Writes the head and body parts, then reads one response. The read timeout only stops a hanging test:
     * a server that waits for bytes that never come fails it instead of blocking the suite.
     */
    static RawResponse exchange(String head, byte[]... body) throws IOException {
        try (Socket socket = new Socket("localhost", TestServer.HTTP_PORT)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(US_ASCII));
            for (byte[] part : body) {
                out.write(part);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String[] headLines = readHead(in).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < headLines.length; i++) {
                int colon = headLines[i].indexOf(':');
                headers.put(headLines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), headLines[i].substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String responseBody = new String(in.readNBytes(length), UTF_8);
            return new RawResponse(Integer.parseInt(headLines[0].split(" ")[1]), headers, responseBody);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head.toString(US_ASCII));
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return head.toString(US_ASCII);
    }
}
