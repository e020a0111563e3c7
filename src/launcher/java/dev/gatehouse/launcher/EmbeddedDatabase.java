package dev.gatehouse.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL for development and tests. Its data directory is kept between starts
 * (initdb runs only when the directory has no cluster yet), so data survives a restart.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * The database alone, for bench/failover.sh (several servers on one database): {@code EmbeddedDatabase
     * DATA_DIRECTORY PORT} starts it and runs until stopped (SIGTERM or Ctrl-C), then stops it.
     */
    public static void main(String[] args) throws Exception {
        EmbeddedDatabase database = start(Path.of(args[0]), Integer.parseInt(args[1]), false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                database.close();
            } catch (IOException e) {
                System.err.println("Stopping the database: " + e);
            }
        }));
        System.out.println("Embedded PostgreSQL on port " + database.port());
        Thread.currentThread().join();
    }

    /** Starts PostgreSQL on the given port (0: any free port) with its cluster in dataDirectory. */
    public static EmbeddedDatabase start(Path dataDirectory, int port, boolean cleanStart) throws IOException {
        Files.createDirectories(dataDirectory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(cleanStart)
                .setServerConfig("max_connections", "100")
                .setServerConfig("shared_buffers", "128MB");
        if (port != 0) {
            builder.setPort(port);
        }
        return new EmbeddedDatabase(builder.start());
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
