package dev.gatehouse.platform.http;

import dev.gatehouse.platform.problems.Problem.FieldError;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses hostile input before any of it is parsed into a request object, let alone reaches the database:
 * <ul>
 *   <li>a body larger than gatehouse.request.max-body-bytes: 413, by its Content-Length before a byte is
 *       read, and for a chunked body as soon as the limit is passed while reading it;</li>
 *   <li>a body on GET, DELETE or OPTIONS: 400 (Grizzly refused these before the application saw them,
 *       with an empty 400; server-config/ now lets them through so that the answer is a problem);</li>
 *   <li>a C0 control character (U+0000 to U+001F) in any JSON string or query parameter: 422 naming the
 *       field. PostgreSQL refuses NUL in text, and no field of this API means anything by the others. Only
 *       free-text fields ({@link #MULTI_LINE_FIELDS}) may hold tab, line feed and carriage return.</li>
 * </ul>
 * Runs before authentication's database read (pre-matching, first priority) and as the only reader
 * interceptor, so JSON-B parses a body that has passed all three.
 */
@Provider
@PreMatching
@Priority(0)
@ApplicationScoped
public class InputGuard implements ContainerRequestFilter, ReaderInterceptor {

    static final Set<String> MULTI_LINE_FIELDS = Set.of("description");
    private static final Set<String> METHODS_WITHOUT_BODY = Set.of("GET", "DELETE", "OPTIONS");
    /** Looked up once, as in the request log filter (docs/operations.md, "JSON-P provider"). */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    @ConfigProperty(name = "gatehouse.request.max-body-bytes")
    int maxBodyBytes;

    @Override
    public void filter(ContainerRequestContext request) {
        boolean hasBody = request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
        if (hasBody && METHODS_WITHOUT_BODY.contains(request.getMethod())) {
            throw new ProblemException(ProblemType.BODY_NOT_ALLOWED, request.getMethod() + " requests have no body.");
        }
        if (request.getLength() > maxBodyBytes) {
            throw tooLarge();
        }
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, List<String>> parameter : request.getUriInfo().getQueryParameters().entrySet()) {
            for (String value : parameter.getValue()) {
                if (hasControlCharacter(value, false)) {
                    errors.add(controlCharacterError(parameter.getKey(), false));
                    break;
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        byte[] body = readAtMost(context.getInputStream());
        if (isJson(context.getMediaType())) {
            List<FieldError> errors = controlCharacterErrors(body);
            if (!errors.isEmpty()) {
                throw ProblemException.invalidFields(errors);
            }
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /** The whole body, reading no more than one byte past the limit (then it answers 413). */
    private byte[] readAtMost(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxBodyBytes);
        if (body.length == maxBodyBytes && in.read() != -1) {
            throw tooLarge();
        }
        return body;
    }

    private ProblemException tooLarge() {
        return new ProblemException(ProblemType.BODY_TOO_LARGE,
                "The request body is larger than " + maxBodyBytes + " bytes.");
    }

    private static boolean isJson(MediaType type) {
        return type != null && (MediaType.APPLICATION_JSON_TYPE.isCompatible(type) || type.getSubtype().endsWith("+json"));
    }

    /**
     * One error per JSON field (its wire name; "body" for a bare string) whose string value holds a control
     * character. JSON forbids them raw inside strings, so only an escape (\\u0000, \\n, ...) can make one:
     * a body without a backslash is clean without parsing it. Malformed JSON is left to JSON-B (400).
     */
    static List<FieldError> controlCharacterErrors(byte[] body) {
        if (indexOf(body, (byte) '\\') < 0) {
            return List.of();
        }
        Set<String> fields = new LinkedHashSet<>();
        try (JsonParser parser = JSON.createParser(new ByteArrayInputStream(body))) {
            String field = ""; // the name of the value being read; a value in an array counts as the array's
            Deque<String> outer = new ArrayDeque<>();
            while (parser.hasNext()) {
                switch (parser.next()) {
                    case KEY_NAME -> field = parser.getString();
                    case START_OBJECT, START_ARRAY -> outer.push(field);
                    case END_OBJECT, END_ARRAY -> field = outer.pop();
                    case VALUE_STRING -> {
                        if (hasControlCharacter(parser.getString(), MULTI_LINE_FIELDS.contains(field))) {
                            fields.add(field.isEmpty() ? "body" : field);
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (JsonException e) {
            return List.of(); // not JSON: JSON-B answers 400
        }
        return fields.stream().map(f -> controlCharacterError(f, MULTI_LINE_FIELDS.contains(f))).toList();
    }

    static boolean hasControlCharacter(String value, boolean multiLine) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && !(multiLine && (c == '\t' || c == '\n' || c == '\r'))) {
                return true;
            }
        }
        return false;
    }

    private static FieldError controlCharacterError(String field, boolean multiLine) {
        return new FieldError(field, multiLine
                ? "must not contain control characters other than tab and line breaks"
                : "must not contain control characters");
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
