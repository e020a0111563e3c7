package dev.gatehouse.it;

import java.io.IOException;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person at a browser, without the browser, for KeycloakServer: one cookie jar per login, redirects followed
 * while they stay on Keycloak, the login form read from Keycloak's page and posted with the credentials.
 */
final class KeycloakBrowser {

    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)\\s*=\\s*\"([^\"]*)\"");

    private final URI keycloak;

    KeycloakBrowser(URI keycloak) {
        this.keycloak = keycloak;
    }

    KeycloakServer.SamlPost samlLogin(URI authnRequestUrl, String username, String password) {
        HttpResponse<String> page = logIn(authnRequestUrl, username, password);
        Map<String, String> inputs = hiddenInputs(page.body());
        if (page.statusCode() != 200 || !inputs.containsKey("SAMLResponse")) {
            throw new AssertionError("Keycloak did not answer with a SAMLResponse form: " + page.statusCode() + " " + title(page.body()));
        }
        Map<String, String> form = attributes(firstMatch(FORM, page.body(), "the SAML POST form"));
        return new KeycloakServer.SamlPost(URI.create(form.get("action")), inputs.get("SAMLResponse"), inputs.get("RelayState"));
    }

    URI oidcLogin(URI authorizationUrl, String username, String password) {
        HttpResponse<String> last = logIn(authorizationUrl, username, password);
        return last.headers().firstValue("Location").map(URI::create)
                .orElseThrow(() -> new AssertionError("Keycloak did not redirect back: " + last.statusCode() + " " + title(last.body())));
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
            if (response.statusCode() / 100 != 3 || next == null || !next.toString().startsWith(keycloak.toString())) {
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

    static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    /** Sends, and checks the status unless {@code expected} is -1; the body is never logged (it may hold tokens). */
    static HttpResponse<String> send(HttpRequest.Builder request, HttpClient client, int expected) {
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
}
