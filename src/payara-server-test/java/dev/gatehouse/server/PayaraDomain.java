package dev.gatehouse.server;

import dev.gatehouse.testing.Polling;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Payara Server domain prepared by server-config/payara-server-domain.sh, on loopback ports that were free,
 * driven with asadmin as an operator would. Every asadmin call runs with the GATEHOUSE_DB_* variables of this
 * domain's database in its environment (start-domain and restart-domain pass theirs to the server).
 */
final class PayaraDomain {

    static final String NAME = "gatehouse-it";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(8);
    // the ports a domain uses are portbase + these (asadmin create-domain --portbase)
    private static final int[] PORT_OFFSETS = {9, 37, 38, 39, 48, 49, 59, 66, 76, 80, 81, 86};

    final Path payaraDir;
    final int portBase;
    private final Map<String, String> environment;
    private final Path output;

    private PayaraDomain(Path payaraDir, int portBase, Map<String, String> environment, Path output) {
        this.payaraDir = payaraDir;
        this.portBase = portBase;
        this.environment = environment;
        this.output = output;
    }

    /** Runs the script on a fresh domain (an earlier run's is deleted) and returns the running domain. */
    static PayaraDomain prepare(Path payaraDir, Path script, Path driverJar, Map<String, String> databaseEnvironment, Path output)
            throws IOException {
        Path domainDir = payaraDir.resolve("glassfish/domains/" + NAME);
        if (Files.exists(domainDir)) {
            stopLeftover(payaraDir, databaseEnvironment, output);
            deleteRecursively(domainDir);
        }
        PayaraDomain domain = new PayaraDomain(payaraDir, freePortBase(), databaseEnvironment, output);
        domain.run(List.of("bash", script.toString(), payaraDir.toString(), driverJar.toString()), Map.of(
                "GATEHOUSE_DOMAIN", NAME,
                "GATEHOUSE_PORTBASE", Integer.toString(domain.portBase),
                "GATEHOUSE_HTTP_ADDRESS", "127.0.0.1"));
        return domain;
    }

    int adminPort() {
        return portBase + 48;
    }

    int httpPort() {
        return portBase + 80;
    }

    String baseUri() {
        return "http://127.0.0.1:" + httpPort();
    }

    Path serverLog() {
        return payaraDir.resolve("glassfish/domains/" + NAME + "/logs/server.log");
    }

    /** The server's process id, from the domain's pid file. */
    long pid() throws IOException {
        return Long.parseLong(Files.readString(payaraDir.resolve("glassfish/domains/" + NAME + "/config/pid")).strip());
    }

    /** Resident memory of the server process in MB (VmRSS of /proc). */
    long residentMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for the server process");
    }

    /** Runs a remote asadmin command against this domain and returns its output; fails when asadmin does. */
    String asadmin(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(payaraDir.resolve("bin/asadmin").toString(), "--port", Integer.toString(adminPort())));
        command.addAll(List.of(arguments));
        return run(command, Map.of());
    }

    /** Runs a local asadmin command (start-domain, stop-domain) on this domain. */
    String asadminLocal(String command) throws IOException {
        return run(List.of(payaraDir.resolve("bin/asadmin").toString(), command, NAME), Map.of());
    }

    /** Waits until /health/ready answers 200 with Gatehouse's database check. */
    void awaitGatehouseReady(Duration timeout) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUri() + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
        Polling.awaitTrue(timeout, Duration.ofMillis(250), "Gatehouse ready on " + baseUri() + "; see " + serverLog(), () -> {
            try {
                HttpResponse<String> response = client.send(ready, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 && response.body().contains("\"name\":\"database\"");
            } catch (IOException e) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** Stops the domain; kills it when it does not stop within asadmin's minute (a busy machine). */
    void stop() throws IOException {
        try {
            asadminLocal("stop-domain");
        } catch (IllegalStateException tooSlow) {
            run(List.of(payaraDir.resolve("bin/asadmin").toString(), "stop-domain", "--kill=true", NAME), Map.of());
        }
    }

    private String run(List<String> command, Map<String, String> extraEnvironment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // only this domain's settings: failsafe gives the test JVM those of the Payara Micro suite
        env.keySet().removeIf(key -> key.startsWith("GATEHOUSE_"));
        env.putAll(environment);
        env.putAll(extraEnvironment);
        env.put("AS_JAVA", System.getProperty("java.home")); // asadmin and the domain run on the test's JDK 25
        Process process = builder.start();
        byte[] bytes = process.getInputStream().readAllBytes();
        String text = new String(bytes, StandardCharsets.UTF_8);
        Files.writeString(output, "$ " + String.join(" ", command) + "\n" + text, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        try {
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not end; see " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }

    private static void stopLeftover(Path payaraDir, Map<String, String> environment, Path output) {
        try {
            new PayaraDomain(payaraDir, 0, environment, output).asadminLocal("stop-domain");
        } catch (IOException | IllegalStateException notRunning) {
            // an earlier run's domain that is not running: nothing to stop
        }
    }

    /** A port base whose ports are all free on loopback now. */
    private static int freePortBase() {
        for (int base = 30000; base < 60000; base += 100) {
            if (allFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("no free port base between 30000 and 60000");
    }

    private static boolean allFree(int base) {
        for (int offset : PORT_OFFSETS) {
            try (ServerSocket probe = new ServerSocket(base + offset)) {
                probe.setReuseAddress(true);
            } catch (IOException inUse) {
                return false;
            }
        }
        return true;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
