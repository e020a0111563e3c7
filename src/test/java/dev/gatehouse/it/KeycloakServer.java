package dev.gatehouse.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Keycloak 26 as the real OIDC and SAML identity provider of the enterprise SSO tests: the Quarkus distribution
 * the build unpacks (pom.xml, unpack-keycloak), started once per test JVM on first use ({@link #get}) in
 * development mode with an in-memory database on the port Maven reserved (it.keycloak.port), with the realm of
 * src/test/resources/keycloak/acme-realm.json imported, and stopped at JVM exit. Logins are driven without a
 * browser through Keycloak's real login form (KeycloakBrowser).
 */
public final class KeycloakServer {

    public static final String REALM = "acme";
    public static final String ALICE = "alice@acme.test";
    public static final String ALICE_PASSWORD = "alice-test-password";
    public static final String BOB = "bob@acme.test";
    public static final String BOB_PASSWORD = "bob-test-password";
    /** The realm's confidential OIDC client: standard flow, PKCE allowed, redirect URIs http://localhost:* and 127.0.0.1:*. */
    public static final String OIDC_CLIENT_ID = "gatehouse";
    public static final String OIDC_CLIENT_SECRET = "gatehouse-test-secret";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private static KeycloakServer running;

    private final URI baseUrl;
    private final String adminPassword = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Process process;
    private Duration startTime;

    /** The HTTP-POST binding's auto-submitted form: where it posts, the SAMLResponse and the RelayState (null if none). */
    public record SamlPost(URI action, String samlResponse, String relayState) {
    }

    private KeycloakServer(int port) {
        this.baseUrl = URI.create("http://localhost:" + port);
    }

    /** The running Keycloak, started on the first call. */
    public static synchronized KeycloakServer get() {
        if (running == null) {
            KeycloakServer server = new KeycloakServer(Integer.getInteger("it.keycloak.port"));
            server.start(Path.of(System.getProperty("it.keycloak.home")), Integer.getInteger("it.keycloak.management.port"));
            running = server;
        }
        return running;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** The issuer of the realm's tokens, and its SAML entity id. */
    public String issuer() {
        return baseUrl + "/realms/" + REALM;
    }

    /** From the JVM's start of kc.sh to the realm answering. */
    public Duration startTime() {
        return startTime;
    }

    /** An access token of the bootstrap admin (master realm, admin-cli): valid a minute. */
    public String adminToken() {
        HttpResponse<String> response = KeycloakBrowser.send(HttpRequest.newBuilder(URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                .POST(KeycloakBrowser.form(Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", adminPassword)))
                .header("Content-Type", "application/x-www-form-urlencoded"), http, 200);
        return json(response.body()).getString("access_token");
    }

    /**
     * Creates a SAML client in the realm from the SP's metadata (Keycloak's client-description-converter), with
     * attribute mappers for the user's email ("email") and group names ("groups"), and signed requests only if
     * the metadata says AuthnRequestsSigned="true"; returns the client's id.
     */
    public String createSamlClient(String spMetadataXml) {
        String token = adminToken();
        HttpResponse<String> converted = KeycloakBrowser.send(admin("/client-description-converter", token)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(spMetadataXml)), http, 200);
        JsonObject description = json(converted.body());
        // Keycloak's converter asks for signed requests whatever the metadata says; the metadata decides here
        JsonObject attributes = Json.createObjectBuilder(description.getJsonObject("attributes"))
                .add("saml.client.signature", String.valueOf(spMetadataXml.contains("AuthnRequestsSigned=\"true\"")))
                .build();
        JsonObject client = Json.createObjectBuilder(description).add("attributes", attributes)
                .add("protocolMappers", Json.createArrayBuilder()
                        .add(mapper("email", "saml-user-property-mapper", Map.of("user.attribute", "email",
                                "attribute.name", "email", "attribute.nameformat", "Basic")))
                        .add(mapper("groups", "saml-group-membership-mapper", Map.of("attribute.name", "groups",
                                "attribute.nameformat", "Basic", "full.path", "false", "single", "false"))))
                .build();
        HttpResponse<String> created = KeycloakBrowser.send(admin("/clients", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(client.toString())), http, 201);
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /**
     * A person of the realm with a verified email and this password, in these groups of the realm (by name, e.g.
     * "engineering"): each test its own address, in a domain of its own.
     */
    public void createUser(String email, String password, List<String> groups) {
        JsonObject user = Json.createObjectBuilder().add("username", email).add("email", email).add("emailVerified", true)
                .add("enabled", true).add("firstName", "Test").add("lastName", email.substring(0, email.indexOf('@')))
                .add("credentials", Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "password")
                        .add("value", password).add("temporary", false)))
                .add("groups", Json.createArrayBuilder(groups.stream().map(group -> "/" + group).toList()))
                .build();
        KeycloakBrowser.send(admin("/users", adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(user.toString())), http, 201);
    }

    /** The realm's SAML IdP metadata (EntityDescriptor with its signing certificate and SSO URLs). */
    public String samlIdpMetadata() {
        return KeycloakBrowser.send(HttpRequest.newBuilder(URI.create(issuer() + "/protocol/saml/descriptor")).GET(), http, 200).body();
    }

    /** Signs in through the real login form from an HTTP-Redirect AuthnRequest URL; the form Keycloak answers with. */
    public SamlPost samlLogin(URI authnRequestUrl, String username, String password) {
        return new KeycloakBrowser(baseUrl).samlLogin(authnRequestUrl, username, password);
    }

    /** Signs in through the real login form from an OIDC authorization URL; the redirect to the client (with code and state). */
    public URI oidcLogin(URI authorizationUrl, String username, String password) {
        return new KeycloakBrowser(baseUrl).oidcLogin(authorizationUrl, username, password);
    }

    private void start(Path home, int managementPort) {
        try {
            Path imports = Files.createDirectories(home.resolve("data/import"));
            try (InputStream realm = KeycloakServer.class.getResourceAsStream("/keycloak/acme-realm.json")) {
                Files.copy(realm, imports.resolve("acme-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + baseUrl.getPort(),
                    "--http-management-port=" + managementPort, "--db=dev-mem", "--import-realm")
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolveSibling("keycloak.log").toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
            long started = System.nanoTime();
            process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "keycloak-stop"));
            awaitRealm(started, home.resolveSibling("keycloak.log"));
            startTime = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("Keycloak ready on %s in %.1f s (log: %s)%n", baseUrl, startTime.toMillis() / 1000.0,
                    home.resolveSibling("keycloak.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("starting Keycloak", e);
        }
    }

    private void awaitRealm(long started, Path log) {
        URI realm = URI.create(issuer());
        while (System.nanoTime() - started < START_TIMEOUT.toNanos()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(realm).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Keycloak starts", e);
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("Keycloak not ready within " + START_TIMEOUT + "; see " + log);
    }

    /** kc.sh forwards SIGTERM to its JVM; whatever is left after 30 s is killed. */
    private void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest.Builder admin(String path, String token) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/" + REALM + path)).header("Authorization", "Bearer " + token);
    }

    private static JsonObject mapper(String name, String type, Map<String, String> config) {
        return Json.createObjectBuilder().add("name", name).add("protocol", "saml").add("protocolMapper", type)
                .add("config", Json.createObjectBuilder(new HashMap<String, Object>(config))).build();
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Keycloak starts", e);
        }
    }
}
