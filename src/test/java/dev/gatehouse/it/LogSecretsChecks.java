package dev.gatehouse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No secret in any log (issue 28): the suite's last group reads every log the run's servers wrote (the test
 * server's server.log.*, each second server's output) and looks for every secret of the run: the passwords
 * and tokens that went over HTTP ({@link Secrets}), the tokens of the mails, every password hash in the
 * database, and any Argon2id hash at all.
 */
abstract class LogSecretsChecks {

    private static final String ARGON2ID = "$argon2id$";

    @Test
    void noServerLogOfTheRunHoldsOneOfItsSecrets() throws Exception {
        // the loser of two concurrent adds of one email fails its insert, hash and email bound: it must not log them
        Api.Account admin = Api.register("Log Secrets Co");
        List<Integer> statuses = UserAdminChecks.addTwiceAtOnce(admin, Api.uniqueEmail("log-race")).stream()
                .map(io.restassured.response.Response::statusCode).toList();
        assertEquals(List.of(201, 409), statuses);

        Map<String, String> secrets = new HashMap<>(Secrets.seen());
        assertEquals("password", secrets.get(Api.PASSWORD), "the registry saw the suite's password");
        MailServer.allTokens().forEach(token -> secrets.putIfAbsent(token, "mail link token"));
        passwordHashes().forEach(hash -> secrets.putIfAbsent(hash, "password hash"));
        assertTrue(secrets.containsValue("refresh_token") && secrets.containsValue("password hash"), "the registry's kinds");

        List<Path> logs = serverLogs();
        assertFalse(logs.isEmpty(), "server logs in " + TestServer.DATA_DIR);
        List<String> found = new ArrayList<>();
        for (Path log : logs) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1); // any bytes, never a decoding error
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.contains(ARGON2ID)) {
                    found.add(log.getFileName() + ":" + (i + 1) + " an Argon2id hash: " + excerpt(line, ARGON2ID));
                }
                for (Map.Entry<String, String> secret : secrets.entrySet()) {
                    if (line.contains(secret.getKey())) {
                        found.add(log.getFileName() + ":" + (i + 1) + " a " + secret.getValue() + ": "
                                + excerpt(line, secret.getKey()));
                    }
                }
            }
        }
        assertEquals(List.of(), found, "secrets in the server logs of the run (" + secrets.size() + " secrets, "
                + logs.size() + " logs)");
    }

    /** Every log a server of the run wrote: the test server's numbered files, each second server's output. */
    private static List<Path> serverLogs() throws IOException {
        String testServerLog = TestServer.SERVER_LOG.getFileName().toString();
        try (Stream<Path> files = Files.list(TestServer.DATA_DIR)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(testServerLog) || name.endsWith(".out") || name.endsWith(".log");
            }).sorted().toList();
        }
    }

    private static List<String> passwordHashes() throws Exception {
        List<String> hashes = new ArrayList<>();
        try (Connection db = TestDatabase.connection(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("select password_hash from users where password_hash is not null")) {
            while (rows.next()) {
                hashes.add(rows.getString(1));
            }
        }
        return hashes;
    }

    /** Where in the line, without printing the secret whole into the test report. */
    private static String excerpt(String line, String secret) {
        int at = line.indexOf(secret);
        String before = line.substring(Math.max(0, at - 120), at);
        return before + "[" + secret.substring(0, Math.min(6, secret.length())) + "...]";
    }
}
