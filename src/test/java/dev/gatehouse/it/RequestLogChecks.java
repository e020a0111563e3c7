package dev.gatehouse.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Set;
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
        assertEquals(Set.of("request_id", "method", "path", "status", "duration_ms", "tenant_id", "user_id", "sql_statements"),
                line.keySet());
        assertEquals("GET", line.getString("method"));
        assertEquals("/api/v1/not-here", line.getString("path"), "the query string stays out of the log");
        assertEquals(404, line.getInt("status"));
        assertTrue(line.getJsonNumber("duration_ms").doubleValue() >= 0);
        assertEquals(0, line.getInt("sql_statements"));
        assertEquals(JsonValue.NULL, line.get("tenant_id"));
        assertEquals(JsonValue.NULL, line.get("user_id"));
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
}
