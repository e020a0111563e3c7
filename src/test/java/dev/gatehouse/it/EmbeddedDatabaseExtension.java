package dev.gatehouse.it;

import dev.gatehouse.testing.TestJwts;

import dev.gatehouse.launcher.EmbeddedDatabase;
import dev.gatehouse.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the embedded PostgreSQL of the integration tests once per run, on the port Maven reserved and
 * handed to Payara through the environment. Registered before the Arquillian extension, so the database is
 * up when Payara Micro boots; closed with the JUnit root context, after Payara has stopped.
 */
public class EmbeddedDatabaseExtension implements BeforeAllCallback {

    private static EmbeddedDatabase database;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(EmbeddedDatabaseExtension.class, key -> {
                    start(true);
                    return (AutoCloseable) EmbeddedDatabaseExtension::stop;
                });
    }

    /**
     * Starts the database. A clean start wipes the test data directory first (the database, the server's
     * generated key and log of an earlier run), so a second `verify` on the same target/ starts afresh.
     * The embedded database itself is never started "clean": it would then delete its data when stopped,
     * and a restart (the outage tests) would come back to an empty database without the schema.
     */
    static synchronized void start(boolean clean) {
        try {
            if (clean) {
                deleteRecursively(TestServer.DATA_DIR);
                writeKeyFileOfAnEarlierVersion();
            }
            database = EmbeddedDatabase.start(TestServer.DATA_DIR.resolve("postgres"), TestDatabase.PORT, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The key file an earlier version generated into the data directory: the server imports it as its first
     * signing key (SigningKeyChecks.theKeyFileOfAnEarlierVersionIsTheFirstKey).
     */
    private static void writeKeyFileOfAnEarlierVersion() throws IOException {
        Path pem = TestServer.DATA_DIR.resolve("jwt/private-key.pem");
        Files.createDirectories(pem.getParent());
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(TestJwts.newRsaKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    static synchronized void stop() throws IOException {
        if (database != null) {
            database.close();
            database = null;
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
