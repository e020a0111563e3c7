package dev.gatehouse.launcher;

import dev.gatehouse.platform.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run command (README.md, "The two commands"): starts Payara Micro with the Gatehouse WAR on http://localhost:8080 (or
 * GATEHOUSE_HTTP_PORT). Without GATEHOUSE_DB_HOST it first starts an embedded PostgreSQL whose data lives
 * in GATEHOUSE_DATA_DIR (default ./data), and without GATEHOUSE_MAIL_HOST an SMTP sink that prints each mail's
 * subject and links (DevMailSink). Ctrl-C stops them all.
 */
public final class DevServer {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** GC and memory options of every server this repository starts (a java argument file). */
    public static final String JVM_OPTIONS = "server-config/jvm.options";
    static final Path PAYARA_MICRO = Path.of("target", "runtime", "payara-micro.jar");
    public static final String JSON_PROVIDER_PROPERTY = "jakarta.json.provider=org.eclipse.parsson.JsonProviderImpl";

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(Settings.get("gatehouse.data.dir")).toAbsolutePath();
        int httpPort = Integer.parseInt(Settings.get("gatehouse.http.port"));
        Files.createDirectories(dataDir);
        requireFreePort(httpPort);

        EmbeddedDatabase embedded = null;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + JVM_OPTIONS,
                "-Xmx" + Settings.get("gatehouse.heap")));
        // JSON-P: name the provider so Json.createReader/createObjectBuilder (MP-JWT parses every token with
        // them) skip a ServiceLoader scan of every jar per call; see docs/operations.md, "JSON-P provider". The benchmark turns
        // it off (GATEHOUSE_JSON_PROVIDER=lookup) to measure the difference.
        if (!"lookup".equals(Settings.get("gatehouse.json-provider"))) {
            command.add("-D" + JSON_PROVIDER_PROPERTY);
        }
        // extra JVM options, e.g. for profiling (whitespace-separated)
        String javaOptions = Settings.get("gatehouse.java-opts");
        if (javaOptions != null) {
            command.addAll(Arrays.asList(javaOptions.strip().split("\\s+")));
        }
        Optional<AotCache> aotCache = AotCache.of(command, dataDir);
        aotCache.ifPresent(cache -> command.addAll(cache.startOptions()));
        command.addAll(List.of(
                "-jar", PAYARA_MICRO.toString(),
                "--deploy", "target/gatehouse.war",
                "--port", Integer.toString(httpPort),
                "--nohazelcast",
                // another command file for experiments (the benchmark's pool and thread variants)
                "--prebootcommandfile", "server-config/pre-boot-commands.asadmin",
                "--postbootcommandfile", Settings.get("gatehouse.postboot-file"),
                "--addlibs", "target/runtime/postgresql.jar"));
        // text by default, for a developer's terminal; json for a log shipper (docs/operations.md, "Logs")
        String logFormat = Settings.get("gatehouse.log.format");
        if ("json".equals(logFormat)) {
            command.addAll(List.of("--logproperties", "server-config/logging-json.properties"));
        } else if (!"text".equals(logFormat)) {
            System.err.println("GATEHOUSE_LOG_FORMAT is text or json, not " + logFormat + ".");
            System.exit(2);
        }
        ProcessBuilder payara = new ProcessBuilder(command);
        Map<String, String> environment = payara.environment();
        environment.put("GATEHOUSE_DATA_DIR", dataDir.toString());
        if (Settings.get("gatehouse.db.host") == null) {
            embedded = EmbeddedDatabase.start(dataDir.resolve("postgres"), 0, false);
            environment.put("GATEHOUSE_DB_HOST", "localhost");
            environment.put("GATEHOUSE_DB_PORT", Integer.toString(embedded.port()));
            environment.put("GATEHOUSE_DB_NAME", EmbeddedDatabase.DATABASE);
            environment.put("GATEHOUSE_DB_USER", EmbeddedDatabase.USER);
            environment.put("GATEHOUSE_DB_PASSWORD", "embedded"); // trust authentication: any password
            System.out.println("Embedded PostgreSQL on port " + embedded.port() + ", data in " + dataDir.resolve("postgres"));
        } else {
            System.out.println("Using PostgreSQL at " + Settings.get("gatehouse.db.host"));
        }

        DevMailSink mailSink = null;
        if (Settings.get("gatehouse.mail.host") == null) {
            mailSink = DevMailSink.start();
            environment.putAll(mailSink.environment());
            System.out.println("Embedded SMTP sink (GreenMail) on port " + mailSink.port + ": mails are printed here, not sent");
        }
        if (System.getenv("GATEHOUSE_PUBLIC_BASE_URL") == null && System.getProperty("gatehouse.public-base-url") == null) {
            environment.put("GATEHOUSE_PUBLIC_BASE_URL", "http://localhost:" + httpPort); // the links reach this server
        }

        Process server = payara.redirectErrorStream(true).start();
        EmbeddedDatabase database = embedded;
        DevMailSink sink = mailSink;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(server, database, sink);
            aotCache.ifPresent(AotCache::createIfRecorded);
        }));
        Thread.ofPlatform().daemon().start(() -> announceWhenReady(httpPort, server));
        echoAndWatch(server);
        int exit = server.waitFor();
        System.exit(exit == 0 ? 0 : 1);
    }

    /**
     * Copies Payara's output to ours; a failed deployment stops everything instead of serving nothing. Ends
     * when the output does, or when Ctrl-C's shutdown hook has closed it.
     */
    private static void echoAndWatch(Process server) {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                System.out.println(line);
                if (line.contains("Exception while loading the app") || line.contains("DATABASE MIGRATION FAILED")) {
                    System.err.println("Gatehouse failed to deploy; see the log above. Stopping.");
                    server.destroy();
                }
            }
        } catch (IOException closedByShutdown) {
            // stopping: the shutdown hook stops the server and the database
        }
    }

    private static void announceWhenReady(int port, Process server) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (server.isAlive() && System.nanoTime() < deadline) {
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    System.out.println("\nGatehouse is ready on http://localhost:" + port + "  (Ctrl-C stops it)\n");
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                return;
            }
            sleep(Duration.ofMillis(500));
        }
    }

    private static void stop(Process server, EmbeddedDatabase database, DevMailSink mailSink) {
        server.destroy();
        try {
            // SIGTERM drains first: GATEHOUSE_SHUTDOWN_DRAIN_SECONDS plus at most ..._IN_FLIGHT_SECONDS
            if (!server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            if (mailSink != null) {
                mailSink.close();
            }
            if (database != null) {
                database.close();
            }
        } catch (InterruptedException | IOException e) {
            System.err.println("Stopping: " + e);
        }
    }

    /** Payara Micro would log the bind failure and carry on; say it plainly instead. */
    private static void requireFreePort(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            System.err.println("Port " + port + " is in use. Stop what listens there or set GATEHOUSE_HTTP_PORT.");
            System.exit(2);
        }
    }


    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
