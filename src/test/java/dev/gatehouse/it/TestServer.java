package dev.gatehouse.it;

import dev.gatehouse.testing.Polling;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/** Where the server of the integration tests is, and how to read what it logged (the database: TestDatabase). */
public final class TestServer {

    static final int HTTP_PORT = Integer.getInteger("it.http.port");
    static final Path DATA_DIR = Path.of(System.getProperty("it.data.dir"));
    static final Path SERVER_LOG = Path.of(System.getProperty("it.server.log"));
    static final Path WAR = Path.of(System.getProperty("it.war"));

    static {
        RestAssured.baseURI = "http://localhost";
        RestAssured.port = HTTP_PORT;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        RestAssured.filters(new Secrets()); // every request's secrets, for LogSecretsChecks
    }

    private TestServer() {
    }

    /** Ensures RestAssured points at the test server (the static initializer above). */
    static void init() {
    }

    /** The server's URL as a client outside it sees it: gatehouse.public-base-url of the test run. */
    static String baseUrl() {
        return "http://localhost:" + HTTP_PORT;
    }

    static String newRequestId() {
        return "it-" + UUID.randomUUID();
    }

    /** The request log line of the request with this id, waiting for the log file to be written. */
    static JsonObject logLineOf(String requestId) {
        String marker = "{\"request_id\":\"" + requestId + "\"";
        String text = Polling.awaitPresent(Duration.ofSeconds(10), Duration.ofMillis(100),
                "a request log line for " + requestId + " in " + SERVER_LOG,
                () -> serverLogLines().filter(l -> l.contains(marker)).findFirst());
        String json = text.substring(text.indexOf(marker), text.lastIndexOf('}') + 1);
        return Json.createReader(new StringReader(json)).readObject();
    }

    /** The SQL statements the request with this id ran, as its log line counts them. */
    static int statementsOf(String requestId) {
        return logLineOf(requestId).getInt("sql_statements");
    }

    /** Runs the request with a fresh request id and returns the SQL statements its log line counts. */
    static int statements(RequestSpecification request, Function<RequestSpecification, Response> call, int expectedStatus) {
        String requestId = newRequestId();
        call.apply(request.header("X-Request-ID", requestId)).then().statusCode(expectedStatus);
        return statementsOf(requestId);
    }

    /** Payara's --logtofile writes numbered files (server.log.0, ...): read them all. */
    static Stream<String> serverLogLines() {
        try (Stream<Path> files = Files.list(SERVER_LOG.getParent())) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().startsWith(SERVER_LOG.getFileName().toString())).toList();
            return logs.stream().flatMap(TestServer::lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
