package dev.gatehouse.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keycloak 26 as the real OIDC and SAML identity provider of the enterprise SSO tests: the Quarkus distribution
 * the build unpacks (pom.xml, unpack-keycloak), started once per test JVM on first use ({@link #get}) in
 * development mode with an in-memory database on the port Maven reserved (it.keycloak.port), with the realm of
 * src/test/resources/keycloak/acme-realm.json imported, and stopped at JVM exit. Logins are driven without a
 * browser through Keycloak's real login form (one cookie jar per login).
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
    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)\\s*=\\s*\"([^\"]*)\"");

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
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                .POST(form(Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", adminPassword)))
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
        HttpResponse<String> converted = send(admin("/client-description-converter", token)
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
        HttpResponse<String> created = send(admin("/clients", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(client.toString())), http, 201);
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** The realm's SAML IdP metadata (EntityDescriptor with its signing certificate and SSO URLs). */
    public String samlIdpMetadata() {
        return send(HttpRequest.newBuilder(URI.create(issuer() + "/protocol/saml/descriptor")).GET(), http, 200).body();
    }

    /** Signs in through the real login form from an HTTP-Redirect AuthnRequest URL; the form Keycloak answers with. */
    public SamlPost samlLogin(URI authnRequestUrl, String username, String password) {
        HttpResponse<String> page = logIn(authnRequestUrl, username, password);
        Map<String, String> inputs = hiddenInputs(page.body());
        if (page.statusCode() != 200 || !inputs.containsKey("SAMLResponse")) {
            throw new AssertionError("Keycloak did not answer with a SAMLResponse form: " + page.statusCode() + " " + title(page.body()));
        }
        Map<String, String> form = attributes(firstMatch(FORM, page.body(), "the SAML POST form"));
        return new SamlPost(URI.create(form.get("action")), inputs.get("SAMLResponse"), inputs.get("RelayState"));
    }

    /** Signs in through the real login form from an OIDC authorization URL; the redirect to the client (with code and state). */
    public URI oidcLogin(URI authorizationUrl, String username, String password) {
        HttpResponse<String> last = logIn(authorizationUrl, username, password);
        return last.headers().firstValue("Location").map(URI::create)
                .orElseThrow(() -> new AssertionError("Keycloak did not redirect back: " + last.statusCode() + " " + title(last.body())));
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

    /** GET the start URL, POST the login form with the credentials; the first answer that is not a redirect within Keycloak. */
    private HttpResponse<String> logIn(URI start, String username, String password) {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new LocalhostCookieJar())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> loginPage = withinKeycloak(browser, HttpRequest.newBuilder(start).GET());
        String action = loginFormAction(loginPage.body());
        return withinKeycloak(browser, HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(form(Map.of("username", username, "password", password, "credentialId", ""))));
    }

    /**
     * A cookie jar that treats http://localhost as a secure context, as browsers do: Keycloak's cookies are
     * Secure (SameSite=None), and java.net's own jar sends those over https only.
     */
    private static final class LocalhostCookieJar extends CookieHandler {
        private final CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER);

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
            try {
                return jar.get(new URI("https", null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null), headers);
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) throws IOException {
            jar.put(uri, headers);
        }
    }

    private HttpResponse<String> withinKeycloak(HttpClient browser, HttpRequest.Builder request) {
        HttpResponse<String> response = send(request, browser, -1);
        for (int hops = 0; hops < 10; hops++) {
            URI next = response.headers().firstValue("Location").map(response.uri()::resolve).orElse(null);
            if (response.statusCode() / 100 != 3 || next == null || !next.toString().startsWith(baseUrl.toString())) {
                return response;
            }
            response = send(HttpRequest.newBuilder(next).GET(), browser, -1);
        }
        throw new AssertionError("too many redirects within Keycloak");
    }

    private static String loginFormAction(String html) {
        Matcher forms = FORM.matcher(html);
        while (forms.find()) {
            Map<String, String> form = attributes(forms.group());
            if ("kc-form-login".equals(form.get("id"))) {
                return form.get("action");
            }
        }
        throw new AssertionError("no login form on Keycloak's page: " + title(html));
    }

    private static Map<String, String> hiddenInputs(String html) {
        Map<String, String> inputs = new HashMap<>();
        Matcher matcher = INPUT.matcher(html);
        while (matcher.find()) {
            Map<String, String> input = attributes(matcher.group());
            if (input.containsKey("name")) {
                inputs.put(input.get("name"), input.getOrDefault("value", ""));
            }
        }
        return inputs;
    }

    /** A tag's attributes, names lower-cased, values HTML-unescaped (the entities Keycloak's templates write). */
    private static Map<String, String> attributes(String tag) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher matcher = ATTRIBUTE.matcher(tag);
        while (matcher.find()) {
            attributes.put(matcher.group(1).toLowerCase(), matcher.group(2).replace("&amp;", "&")
                    .replace("&quot;", "\"").replace("&#x3D;", "=").replace("&#61;", "=").replace("&lt;", "<").replace("&gt;", ">"));
        }
        return attributes;
    }

    private static String firstMatch(Pattern pattern, String html, String what) {
        Matcher matcher = pattern.matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no " + what + " on Keycloak's page: " + title(html));
        }
        return matcher.group();
    }

    /** The page's title and Keycloak's message on it, if any (an error page has the login pages' title). */
    private static String title(String html) {
        Matcher title = Pattern.compile("<title>([^<]*)</title>", Pattern.CASE_INSENSITIVE).matcher(html);
        Matcher message = Pattern.compile("class=\"[^\"]*(?:instruction|kc-feedback-text|alert-title)[^\"]*\"[^>]*>\\s*([^<]+)").matcher(html);
        return (title.find() ? "page \"" + title.group(1).strip() + "\"" : "a page without title")
                + (message.find() ? ": " + message.group(1).strip() : "");
    }

    private HttpRequest.Builder admin(String path, String token) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/" + REALM + path)).header("Authorization", "Bearer " + token);
    }

    private static JsonObject mapper(String name, String type, Map<String, String> config) {
        return Json.createObjectBuilder().add("name", name).add("protocol", "saml").add("protocolMapper", type)
                .add("config", Json.createObjectBuilder(new HashMap<String, Object>(config))).build();
    }

    private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    /** Sends, and checks the status unless {@code expected} is -1; the body is never logged (it may hold tokens). */
    private static HttpResponse<String> send(HttpRequest.Builder request, HttpClient client, int expected) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
            if (expected != -1 && response.statusCode() != expected) {
                throw new AssertionError(built.method() + " " + built.uri().getPath() + ": " + response.statusCode() + ", expected " + expected);
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri().getPath(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
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
