package dev.gatehouse.it;

import dev.gatehouse.launcher.DevServer;
import dev.gatehouse.testing.Polling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A second Payara Micro with the same WAR against the same database, data directory (so the same signing
 * key) and OAuth configuration: the environment of the test JVM, which failsafe set. For the tests that
 * need two instances, or another WAR or database; each costs one more server boot, so use them sparingly.
 */
final class SecondServer implements AutoCloseable {

    /** Generous: on a 2-core machine shared with other builds (load 40) a boot took more than 4 minutes. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(8);

    private static final Pattern BOOTED = Pattern.compile("Payara Micro .* ready in");

    /**
     * Payara Micro's own start can hang before the application deploys: seen once, its run-level threads all parked
     * in HK2's ServiceLocatorImpl and no line written for minutes. A boot whose output stops growing this long is
     * killed and started again, once.
     */
    private static final Duration STALL = Duration.ofMinutes(2);

    final int port;
    private final ProcessBuilder builder;
    private final Path out;
    private Process process;
    private boolean restarted;
    private long outputSize = -1;
    private long outputGrewAt = System.nanoTime();

    private SecondServer(int port, ProcessBuilder builder, Path out) throws IOException {
        this.port = port;
        this.builder = builder;
        this.out = out;
        Files.deleteIfExists(out); // its output is appended to, across a restart: start from nothing
        this.process = builder.start();
    }

    /** The real WAR, ready (its /health/ready answers 200). */
    static SecondServer start() throws IOException {
        return start(Map.of());
    }

    /** The real WAR with these environment variables on top of the test JVM's, ready. */
    static SecondServer start(Map<String, String> environment) throws IOException {
        return start(environment, List.of());
    }

    /** The real WAR with these environment variables and these further Payara Micro options, ready. */
    static SecondServer start(Map<String, String> environment, List<String> microOptions) throws IOException {
        SecondServer server = launch(TestServer.WAR, environment, microOptions);
        try {
            server.awaitReady();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Boots the given WAR with these environment variables on top of the test JVM's (an empty value removes the
     * variable); does not wait.
     */
    static SecondServer launch(Path war, Map<String, String> environment) throws IOException {
        return launch(war, environment, List.of());
    }

    private static SecondServer launch(Path war, Map<String, String> environment, List<String> microOptions) throws IOException {
        int port = freePort();
        Path out = TestServer.DATA_DIR.resolve("second-instance-" + port + ".out");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + DevServer.JVM_OPTIONS, "-Xmx512m",
                "-D" + DevServer.JSON_PROVIDER_PROPERTY, // as the run command starts the server (docs/operations.md, "JSON-P provider")
                "-jar", System.getProperty("it.micro.jar"),
                "--deploy", war.toString(),
                "--port", Integer.toString(port),
                "--nohazelcast",
                "--prebootcommandfile", System.getProperty("it.pre.boot.commands"),
                "--postbootcommandfile", System.getProperty("it.post.boot.commands"),
                "--addlibs", System.getProperty("it.postgresql.jar")));
        command.addAll(microOptions);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        environment.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return new SecondServer(port, builder, out);
    }

    /** What the server printed so far. */
    String output() {
        try {
            return Files.readString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until Payara Micro has finished booting, whether the deployment succeeded or not. */
    void awaitBooted() {
        Polling.awaitTrue(READY_TIMEOUT, Duration.ofMillis(250), "server on port " + port + " finished booting; see " + out, () -> {
            restartIfStalled();
            boolean booted = BOOTED.matcher(output()).find();
            if (!booted && !process.isAlive()) {
                throw new AssertionError("server on port " + port + " did not finish booting; see " + out);
            }
            return booted;
        });
    }

    /** The boot's output has not grown for {@link #STALL} and it has not finished: start it again (once). */
    private void restartIfStalled() {
        long size = out.toFile().length();
        if (size != outputSize) {
            outputSize = size;
            outputGrewAt = System.nanoTime();
            return;
        }
        if (restarted || System.nanoTime() - outputGrewAt < STALL.toNanos() || BOOTED.matcher(output()).find()) {
            return;
        }
        restarted = true;
        try {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Files.writeString(out, "\n--- no output for " + STALL + " before the boot finished: killed and started again ---\n",
                    StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        outputGrewAt = System.nanoTime();
    }

    String baseUri() {
        return "http://localhost:" + port;
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUri() + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
        Polling.awaitTrue(READY_TIMEOUT, Duration.ofMillis(500), "second server ready; see " + out, () -> {
            restartIfStalled();
            if (!process.isAlive()) {
                throw new AssertionError("second server exited with " + process.exitValue() + "; see " + out);
            }
            try {
                return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** SIGTERM: the server drains, then stops by itself (docs/operations.md, "Running several instances"). */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("server on port " + port + " still running " + timeout + " after SIGTERM; see " + out);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
