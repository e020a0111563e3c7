package dev.gatehouse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two instances (two more servers on the suite's database) restarted one after the other under load, with
 * the client doing what a load balancer does (docs/operations.md, "Running several instances"): it sends each request to
 * an instance whose /health/ready answered 200 at its last check (every 200 ms), and retries a request whose
 * connection could not be made on another instance. Not one request may fail. bench/failover.sh does the same
 * through HAProxy with more load, and a kill -9 besides.
 */
abstract class RollingRestartChecks {

    /** The drain outlasts the health checks (every 200 ms) by far, also on a busy machine. */
    private static final Map<String, String> ENVIRONMENT = Map.of("GATEHOUSE_SHUTDOWN_DRAIN_SECONDS", "6",
            "GATEHOUSE_SHUTDOWN_IN_FLIGHT_SECONDS", "5");
    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\":\"([^\"]+)\"");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<SecondServer> instances = new CopyOnWriteArrayList<>();
    private final Map<SecondServer, Boolean> ready = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger succeeded = new AtomicInteger();

    @Test
    void aRollingRestartOfTwoInstancesFailsNoRequest() throws Exception {
        Api.Account account = Api.register("Rolling Co");
        instances.addAll(startBoth());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        try {
            checkHealth();
            threads.add(Thread.ofPlatform().start(() -> keepCheckingHealth(running)));
            threads.add(Thread.ofPlatform().start(() -> readLoop(running, account.accessToken())));
            threads.add(Thread.ofPlatform().start(() -> refreshLoop(running, account.refreshToken())));
            Polling.sleep(2000);
            for (int i = 0; i < 2; i++) {
                SecondServer old = instances.getFirst();
                old.terminate();
                // readiness goes DOWN at once while requests are still served
                Polling.awaitTrue(Duration.ofSeconds(3), "readiness DOWN right after SIGTERM", () -> status(old, "/health/ready") == 503);
                assertEquals(200, status(old, "/.well-known/jwks.json"), "still serving while draining");
                assertEquals(143, old.awaitExit(Duration.ofSeconds(60)));
                instances.remove(old);
                ready.remove(old);
                instances.add(SecondServer.start(ENVIRONMENT));
            }
            Polling.sleep(1000);
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
            instances.forEach(SecondServer::close);
        }
        assertEquals(List.of(), failures);
        assertTrue(succeeded.get() > 100, "requests served: " + succeeded.get());
    }

    private static List<SecondServer> startBoth() throws Exception {
        try (ExecutorService boot = Executors.newFixedThreadPool(2)) {
            Future<SecondServer> first = boot.submit(() -> SecondServer.start(ENVIRONMENT));
            Future<SecondServer> second = boot.submit(() -> SecondServer.start(ENVIRONMENT));
            return List.of(first.get(), second.get());
        }
    }

    /** The load balancer's health check. */
    private void keepCheckingHealth(AtomicBoolean running) {
        while (running.get()) {
            Polling.sleep(200);
            checkHealth();
        }
    }

    private void checkHealth() {
        for (SecondServer instance : instances) {
            ready.put(instance, status(instance, "/health/ready") == 200);
        }
    }

    private void readLoop(AtomicBoolean running, String accessToken) {
        while (running.get()) {
            record("GET /users/me", send(path -> HttpRequest.newBuilder(URI.create(path + "/api/v1/users/me"))
                    .header("Authorization", "Bearer " + accessToken).build()));
        }
    }

    private void refreshLoop(AtomicBoolean running, String refreshToken) {
        String token = refreshToken;
        while (running.get()) {
            String body = "{\"refresh_token\":\"" + token + "\"}";
            HttpResponse<String> response = send(path -> HttpRequest.newBuilder(URI.create(path + "/api/v1/auth/refresh"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            if (record("POST /auth/refresh", response)) {
                Matcher matcher = REFRESH_TOKEN.matcher(response.body());
                token = matcher.find() ? matcher.group(1) : token;
            }
            Polling.sleep(20);
        }
    }

    private boolean record(String what, HttpResponse<String> response) {
        if (response == null) {
            return false; // send() recorded why
        }
        if (response.statusCode() == 200) {
            succeeded.incrementAndGet();
            return true;
        }
        failures.add(what + ": " + response.statusCode() + " " + response.body());
        return false;
    }

    /** To a ready instance, round robin; a connection that could not be made is retried on another one. */
    private HttpResponse<String> send(Function<String, HttpRequest> request) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (attempt > 0) {
                Polling.sleep(200);
            }
            List<SecondServer> candidates = instances.stream().filter(i -> ready.getOrDefault(i, false)).toList();
            if (candidates.isEmpty()) {
                continue;
            }
            SecondServer instance = candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
            try {
                return client.send(request.apply(instance.baseUri()), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                // nothing was sent: safe to retry on another instance, whatever the method
            } catch (IOException e) {
                failures.add(e.toString());
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        failures.add("no instance took the request in 3 attempts");
        return null;
    }

    private int status(SecondServer instance, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(instance.baseUri() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
