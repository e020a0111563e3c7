package dev.gatehouse.it;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret the integration suite handed the server or got from it, for {@link LogSecretsChecks}: a REST
 * Assured filter (installed for every request by {@link TestServer}) keeps the passwords and one-time tokens of
 * request bodies and the tokens, tickets, TOTP secrets and recovery codes of response bodies. Values shorter
 * than {@link #MIN_LENGTH} are left out (a six-digit code would match any number in a log).
 */
final class Secrets implements Filter {

    static final int MIN_LENGTH = 8;

    /** The fields whose values are secrets, in requests and responses alike. */
    private static final Set<String> FIELDS = Set.of("password", "new_password", "current_password", "token",
            "refresh_token", "access_token", "id_token", "mfa_ticket", "recovery_code", "recovery_codes", "secret",
            "otpauth_uri", "client_secret", "client_assertion");

    /** Secret to the field it came from. */
    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    static Map<String, String> seen() {
        return Map.copyOf(SEEN);
    }

    static void remember(String field, String value) {
        if (value != null && value.length() >= MIN_LENGTH) {
            SEEN.putIfAbsent(value, field);
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
        ((Map<?, ?>) request.getFormParams()).forEach((name, value) -> collect(String.valueOf(name), value));
        Object body = request.getBody();
        if (body instanceof Map<?, ?> map) {
            map.forEach((name, value) -> collect(String.valueOf(name), value));
        } else if (body instanceof String text) {
            collectJson(text);
        } else if (body instanceof byte[] bytes) {
            collectJson(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
        Response answer = context.next(request, response);
        String type = answer.contentType();
        if (type != null && type.contains("json")) {
            collectJson(answer.asString());
        }
        return answer;
    }

    private static void collect(String name, Object value) {
        if (!FIELDS.contains(name)) {
            if (value instanceof Map<?, ?> nested) {
                nested.forEach((n, v) -> collect(String.valueOf(n), v));
            }
            return;
        }
        if (value instanceof String text) {
            remember(name, text);
        } else if (value instanceof Iterable<?> values) {
            values.forEach(v -> remember(name, String.valueOf(v)));
        }
    }

    private static void collectJson(String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        try {
            collect(Json.createReader(new StringReader(text)).readValue());
        } catch (JsonParsingException | IllegalStateException e) {
            // not JSON (a hostile-input test's body): nothing of ours in it
        }
    }

    private static void collect(JsonValue value) {
        if (value instanceof JsonObject object) {
            object.forEach((name, member) -> {
                if (FIELDS.contains(name) && member instanceof JsonString text) {
                    remember(name, text.getString());
                } else if (FIELDS.contains(name) && member instanceof JsonArray items) {
                    items.forEach(item -> {
                        if (item instanceof JsonString text) {
                            remember(name, text.getString());
                        }
                    });
                } else {
                    collect(member);
                }
            });
        } else if (value instanceof JsonArray items) {
            items.forEach(Secrets::collect);
        }
    }
}
