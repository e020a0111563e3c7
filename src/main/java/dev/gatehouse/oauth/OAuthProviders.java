package dev.gatehouse.oauth;

import dev.gatehouse.platform.problems.ProblemException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The identity providers offered, read once from MicroProfile Config (so GATEHOUSE_OAUTH_GOOGLE_CLIENT_ID
 * in the environment is gatehouse.oauth.google.client-id). Names come from gatehouse.oauth.providers plus the
 * presets google, github and microsoft; a provider without a client id is not offered. Also the allow-list of
 * redirect URIs and the lifetime of a flow.
 */
@ApplicationScoped
public class OAuthProviders {

    private static final Logger LOG = Logger.getLogger(OAuthProviders.class.getName());
    private static final String PREFIX = "gatehouse.oauth.";
    /** Names become config keys, environment variable names and path segments. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,49}");
    private static final List<String> PRESETS = List.of("google", "github", "microsoft");

    private Map<String, OAuthProvider> offered;
    private Set<String> redirectUris;
    private Duration stateLifetime;

    @PostConstruct
    void load() {
        Config config = ConfigProvider.getConfig();
        Set<String> names = new LinkedHashSet<>(list(config, PREFIX + "providers"));
        names.addAll(PRESETS);
        offered = new LinkedHashMap<>();
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                LOG.warning("OAuth provider name '" + name + "' ignored: use lower-case letters, digits and '-'");
                continue;
            }
            OAuthProvider provider = read(config, name);
            if (provider != null) {
                offered.put(name, provider);
            }
        }
        redirectUris = new LinkedHashSet<>(list(config, PREFIX + "redirect-uris"));
        stateLifetime = Duration.ofMinutes(config.getValue(PREFIX + "state-minutes", Integer.class));
        if (!offered.isEmpty()) {
            LOG.info("OAuth providers offered: " + String.join(", ", offered.keySet()) + "; allowed redirect URIs: "
                    + redirectUris);
            if (redirectUris.isEmpty()) {
                LOG.warning("OAuth providers are configured but gatehouse.oauth.redirect-uris is empty: every authorize is refused");
            }
        }
    }

    public List<String> names() {
        return List.copyOf(offered.keySet());
    }

    /** The provider of this name, or 404 when no such provider is offered. */
    public OAuthProvider get(String name) {
        OAuthProvider provider = name == null ? null : offered.get(name);
        if (provider == null) {
            throw ProblemException.notFound("OAuth provider");
        }
        return provider;
    }

    /** Exact string comparison: no prefixes, no patterns (RFC 9700 §4.1.3). */
    public boolean redirectAllowed(String redirectUri) {
        return redirectUri != null && redirectUris.contains(redirectUri);
    }

    public Duration stateLifetime() {
        return stateLifetime;
    }

    /** The provider's settings over its preset's; null when it has no client id (not offered). */
    private static OAuthProvider read(Config config, String name) {
        String clientId = value(config, name, "client-id", null);
        if (clientId == null) {
            return null;
        }
        Map<String, String> preset = preset(config, name);
        String issuer = value(config, name, "issuer", preset.get("issuer"));
        String authorizeUrl = value(config, name, "authorize-url", preset.get("authorize-url"));
        String tokenUrl = value(config, name, "token-url", preset.get("token-url"));
        if (issuer == null && (authorizeUrl == null || tokenUrl == null)) {
            LOG.warning("OAuth provider '" + name + "' not offered: it needs an issuer (OpenID Connect) "
                    + "or an authorize-url and a token-url");
            return null;
        }
        String defaultScopes = preset.getOrDefault("scopes", issuer != null ? "openid email profile" : "");
        return new OAuthProvider(name, clientId,
                value(config, name, "client-secret", null),
                issuer == null ? null : stripTrailingSlash(issuer),
                authorizeUrl, tokenUrl,
                value(config, name, "userinfo-url", preset.get("userinfo-url")),
                value(config, name, "emails-url", preset.get("emails-url")),
                value(config, name, "scopes", defaultScopes).replace(',', ' '),
                Duration.ofMillis(Long.parseLong(value(config, name, "connect-timeout-ms", "5000"))),
                Duration.ofMillis(Long.parseLong(value(config, name, "read-timeout-ms", "10000"))));
    }

    private static Map<String, String> preset(Config config, String name) {
        return switch (name) {
            case "google" -> Map.of("issuer", "https://accounts.google.com");
            // "common" admits work, school and personal accounts; the ID token names the actual tenant (tid)
            case "microsoft" -> Map.of("issuer", "https://login.microsoftonline.com/"
                    + value(config, name, "tenant", "common") + "/v2.0");
            case "github" -> Map.of(
                    "authorize-url", "https://github.com/login/oauth/authorize",
                    "token-url", "https://github.com/login/oauth/access_token",
                    "userinfo-url", "https://api.github.com/user",
                    "emails-url", "https://api.github.com/user/emails",
                    "scopes", "read:user user:email");
            default -> Map.of();
        };
    }

    private static String value(Config config, String provider, String key, String fallback) {
        return config.getOptionalValue(PREFIX + provider + "." + key, String.class)
                .map(String::strip).filter(v -> !v.isEmpty()).orElse(fallback);
    }

    private static List<String> list(Config config, String key) {
        String raw = config.getOptionalValue(key, String.class).orElse("");
        List<String> items = new ArrayList<>();
        for (String item : Arrays.asList(raw.split(","))) {
            if (!item.isBlank()) {
                items.add(key.endsWith("providers") ? item.strip().toLowerCase(Locale.ROOT) : item.strip());
            }
        }
        return items;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
