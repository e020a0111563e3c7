package dev.gatehouse.it;

import io.restassured.RestAssured;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Where the server and database of the integration tests are, and how to read what the server logged. */
public final class TestServer {

    static final int HTTP_PORT = Integer.getInteger("it.http.port");
    static final int DB_PORT = Integer.getInteger("it.db.port");
    static final Path DATA_DIR = Path.of(System.getProperty("it.data.dir"));
    static final Path SERVER_LOG = Path.of(System.getProperty("it.server.log"));
    static final Path WAR = Path.of(System.getProperty("it.war"));

    static {
        RestAssured.baseURI = "http://localhost";
        RestAssured.port = HTTP_PORT;
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private TestServer() {
    }

    /** Ensures RestAssured points at the test server (the static initializer above). */
    static void init() {
    }

    static Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + DB_PORT + "/postgres", "postgres", "postgres");
    }

    /** The first column of the first row of a query, with its ? parameters. */
    static Object queryValue(String sql, Object... parameters) {
        try (Connection db = database(); PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row for " + sql);
                }
                return rs.getObject(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long queryLong(String sql, Object... parameters) {
        return ((Number) queryValue(sql, parameters)).longValue();
    }

    static int update(String sql, Object... parameters) {
        try (Connection db = database(); PreparedStatement update = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String newRequestId() {
        return "it-" + UUID.randomUUID();
    }

    /** The request log line of the request with this id, waiting for the log file to be written. */
    static JsonObject logLineOf(String requestId) {
        String marker = "{\"request_id\":\"" + requestId + "\"";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = serverLogLines().filter(l -> l.contains(marker)).findFirst();
            if (line.isPresent()) {
                String text = line.get();
                String json = text.substring(text.indexOf(marker), text.lastIndexOf('}') + 1);
                return Json.createReader(new StringReader(json)).readObject();
            }
            sleep(100);
        }
        throw new AssertionError("no request log line for " + requestId + " in " + SERVER_LOG);
    }

    /** The SQL statements the request with this id ran, as its log line counts them. */
    static int statementsOf(String requestId) {
        return logLineOf(requestId).getInt("sql_statements");
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

    /** Polls the condition until it holds; fails the test when it still does not after the timeout. */
    static void awaitTrue(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            sleep(20);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
