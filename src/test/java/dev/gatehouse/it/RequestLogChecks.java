package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import io.restassured.http.ContentType;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** X-Request-ID handling and the one JSON log line per request. */
abstract class RequestLogChecks {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    static {
        TestServer.init();
    }

    @Test
    void saneRequestIdIsEchoed() {
        String requestId = TestServer.newRequestId();
        given().header("X-Request-ID", requestId).get("/health/live")
                .then().header("X-Request-ID", equalTo(requestId));
    }

    @Test
    void missingRequestIdIsGenerated() {
        given().get("/health/live").then().header("X-Request-ID", matchesPattern(UUID_PATTERN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "semi;colon", "quote\"d", "0123456789012345678901234567890123456789012345678901234567890123456789"})
    void insaneRequestIdIsReplaced(String given) {
        given().header("X-Request-ID", given).get("/health/live")
                .then().header("X-Request-ID", matchesPattern(UUID_PATTERN));
    }

    @Test
    void oneLogLineWithAllFields() {
        String requestId = TestServer.newRequestId();
        given().header("X-Request-ID", requestId).get("/api/v1/not-here?secret=x").then().statusCode(404);

        JsonObject line = TestServer.logLineOf(requestId);
        assertEquals(Set.of("request_id", "method", "path", "status", "duration_ms", "tenant_id", "user_id",
                "service_account_id", "sql_statements"), line.keySet());
        assertEquals("GET", line.getString("method"));
        assertEquals("/api/v1/not-here", line.getString("path"), "the query string stays out of the log");
        assertEquals(404, line.getInt("status"));
        assertTrue(line.getJsonNumber("duration_ms").doubleValue() >= 0);
        assertEquals(0, line.getInt("sql_statements"));
        assertEquals(JsonValue.NULL, line.get("tenant_id"));
        assertEquals(JsonValue.NULL, line.get("user_id"));
        assertEquals(JsonValue.NULL, line.get("service_account_id"));
    }

    /** A machine's request names the service account, and no user. */
    @Test
    void aServiceAccountsRequestIsLoggedUnderItsOwnField() {
        ServiceAccountChecks.Machine machine = ServiceAccountChecks.machine("Logged Machine Co");
        String requestId = TestServer.newRequestId();
        ServiceAccountChecks.as(machine.token()).header("X-Request-ID", requestId).get("/api/v1/users").then().statusCode(200);
        JsonObject line = TestServer.logLineOf(requestId);
        assertEquals(machine.id(), line.getString("service_account_id"));
        assertEquals(JsonValue.NULL, line.get("user_id"));
        assertEquals(machine.admin().tenantId(), line.getString("tenant_id"));
    }

    @Test
    void aTokenRefusedBeforeTheApplicationIsLoggedWithItsRequestId() {
        String requestId = TestServer.newRequestId();
        given().header("X-Request-ID", requestId).header("Authorization", "Bearer not.a.token").get("/api/v1/users/me")
                .then().statusCode(401).header("X-Request-ID", equalTo(requestId)).body("request_id", equalTo(requestId));
        JsonObject line = TestServer.logLineOf(requestId);
        assertEquals(401, line.getInt("status"));
        assertEquals("/api/v1/users/me", line.getString("path"));
    }

    /**
     * GATEHOUSE_LOG_FORMAT=json on Payara Micro (server-config/logging-json.properties, docs/operations.md, "Logs"): from its
     * first log record on, every line the server writes is one JSON object, after the end of boot too, and the
     * request log line and the security event are JSON objects in the records' LogMessage. Boots a second server.
     */
    @Test
    void jsonLogFormatOnPayaraMicro() throws Exception {
        Path jsonLogging = Path.of(System.getProperty("it.post.boot.commands")).resolveSibling("logging-json.properties");
        // no drain at the end: nothing balances load to it
        try (SecondServer server = SecondServer.start(Map.of("GATEHOUSE_SHUTDOWN_DRAIN_SECONDS", "0"),
                List.of("--logproperties", jsonLogging.toString()))) {
            String requestId = TestServer.newRequestId();
            given().baseUri(server.baseUri()).header("X-Request-ID", requestId).contentType(ContentType.JSON)
                    .body(Map.of("email", Api.uniqueEmail("nobody"), "password", "not the password"))
                    .post("/api/v1/auth/login").then().statusCode(401);

            JsonObject request = Polling.awaitPresent(Duration.ofSeconds(20), Duration.ofMillis(200),
                    "a JSON record of gatehouse.request for " + requestId, () -> messageOf(server, "gatehouse.request", requestId));
            assertEquals(401, request.getInt("status"));
            assertEquals("/api/v1/auth/login", request.getString("path"));
            JsonObject event = Polling.awaitPresent(Duration.ofSeconds(20), Duration.ofMillis(200),
                    "a JSON record of gatehouse.security for " + requestId, () -> messageOf(server, "gatehouse.security", requestId));
            assertEquals("login.failed", event.getString("type"));

            List<JsonObject> records = jsonRecords(server);
            assertTrue(records.stream().anyMatch(r -> r.getString("LogMessage", "").matches("(?s)Payara Micro .* ready in.*")),
                    "the boot's last record is JSON too");
            assertTrue(records.stream().allMatch(r -> r.containsKey("Timestamp") && r.containsKey("Level") && r.containsKey("LoggerName")),
                    "Payara's JSON records");
        }
    }

    /** The LogMessage, as a JSON object, of the record of this logger that names this request id. */
    private static Optional<JsonObject> messageOf(SecondServer server, String logger, String requestId) {
        return jsonRecords(server).stream()
                .filter(r -> logger.equals(r.getString("LoggerName", "")) && r.getString("LogMessage", "").contains(requestId))
                .map(r -> Json.createReader(new StringReader(r.getString("LogMessage"))).readObject())
                .findFirst();
    }

    /**
     * Lines that are no log record, written straight to the process's output: the JVM's warning when Hazelcast
     * first uses sun.misc.Unsafe, and a debugging line Payara Micro 7.2025.1 prints (docs/operations.md, "Logs").
     */
    private static final Pattern NOT_LOGGED = Pattern.compile(
            "WARNING: (A terminally deprecated method in sun\\.misc\\.Unsafe|sun\\.misc\\.Unsafe::|Please consider reporting this to the maintainers).*"
                    + "|JdbcRuntimeExtension,  getAllSystemRAResourcesAndPools = .*");

    /**
     * The server's log records from its first on, each line one JSON object (else the test fails). Before that
     * record, and in the lines NOT_LOGGED describes, only the JVM and Payara write, not the logging.
     */
    private static List<JsonObject> jsonRecords(SecondServer server) {
        String output = server.output();
        List<String> lines = output.lines().toList();
        if (!output.endsWith("\n") && !lines.isEmpty()) {
            lines = lines.subList(0, lines.size() - 1); // still being written
        }
        int first = 0;
        while (first < lines.size() && !lines.get(first).startsWith("{")) {
            first++;
        }
        return lines.subList(first, lines.size()).stream().filter(line -> !NOT_LOGGED.matcher(line).matches()).map(line -> {
            try {
                return Json.createReader(new StringReader(line)).readObject();
            } catch (JsonParsingException e) {
                throw new AssertionError("not one JSON object: " + line, e);
            }
        }).toList();
    }
}
