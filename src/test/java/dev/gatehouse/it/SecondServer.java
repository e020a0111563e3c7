package dev.gatehouse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second Payara Micro with the same WAR against the same database, data directory (so the same signing
 * key) and OAuth configuration: the environment of the test JVM, which failsafe set. For the tests that
 * need two instances; it costs one more server boot, so it is started once and only where needed.
 */
final class SecondServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    final int port;
    private final Process process;

    private SecondServer(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static SecondServer start() throws IOException, InterruptedException {
        int port = freePort();
        Path out = TestServer.DATA_DIR.resolve("second-instance.out");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", System.getProperty("it.micro.jar"),
                "--deploy", TestServer.WAR.toString(),
                "--port", Integer.toString(port),
                "--nocluster",
                "--postbootcommandfile", System.getProperty("it.post.boot.commands"),
                "--addlibs", System.getProperty("it.postgresql.jar")))
                .redirectErrorStream(true).redirectOutput(out.toFile())
                .start();
        SecondServer server = new SecondServer(port, process);
        try {
            server.awaitReady(out);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    String baseUri() {
        return "http://localhost:" + port;
    }

    private void awaitReady(Path out) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUri() + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("second server exited with " + process.exitValue() + "; see " + out);
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("second server not ready within " + READY_TIMEOUT + "; see " + out);
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
