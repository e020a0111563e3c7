package dev.gatehouse.openid;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.openid.OAuthClientRecords.JwkSet;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.serviceaccounts.ClientAssertions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a client's registration may hold (OAuth 2.1, RFC 8252, OpenID Connect Back-Channel Logout): each rule
 * answers the value to store, or refuses it with 422 naming the field.
 */
final class ClientRegistrationRules {

    private static final Set<String> GRANT_TYPES = Set.of(OAuthClients.AUTHORIZATION_CODE, OAuthClients.REFRESH_TOKEN);

    private ClientRegistrationRules() {
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /**
     * A confidential client's public keys as stored (a JWK Set of public members, each with a kid), each checked as a
     * service account's key is; null for none. A public client has no keys: 422.
     */
    static String jwks(boolean confidential, JwkSet jwks) {
        if (jwks == null) {
            return null;
        }
        if (!confidential) {
            throw ProblemException.invalidField("jwks", "is for confidential clients only");
        }
        List<JWK> keys = new ArrayList<>();
        for (Map<String, Object> members : jwks.keys()) {
            keys.add(ClientAssertions.acceptablePublicKey(members));
        }
        return new JWKSet(keys).toString();
    }

    /** authorization_code always; refresh_token when asked. Unknown ones are 422. */
    static List<String> grantTypes(List<String> requested) {
        Set<String> types = new LinkedHashSet<>(List.of(OAuthClients.AUTHORIZATION_CODE));
        for (String type : orEmpty(requested)) {
            if (!GRANT_TYPES.contains(type)) {
                throw ProblemException.invalidField("grant_types", "may hold only authorization_code and refresh_token");
            }
            types.add(type);
        }
        return List.copyOf(types);
    }

    /**
     * Redirect URIs as OAuth 2.1 and RFC 8252 allow them: absolute, no fragment; https, or http on a loopback
     * address (a native app or a developer's machine), or a private-use scheme with a dot (com.example.app:/cb).
     */
    static List<String> redirectUris(String field, List<String> uris) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            String problem = redirectUriProblem(uris.get(i));
            if (problem != null) {
                errors.add(new Problem.FieldError(field + "[" + i + "]", problem));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields(errors);
        }
        return List.copyOf(new LinkedHashSet<>(uris));
    }

    /**
     * A back-channel logout URI: https, or http on a loopback address, as redirect URIs (a private-use scheme
     * reaches no server); null when none is registered.
     */
    static String backchannelLogoutUri(String uri) {
        if (uri == null || uri.isBlank()) {
            return null;
        }
        String problem = redirectUriProblem(uri);
        if (problem == null && !Set.of("http", "https").contains(URI.create(uri).getScheme().toLowerCase(Locale.ROOT))) {
            problem = "must be https, or http on a loopback address";
        }
        if (problem != null) {
            throw ProblemException.invalidField("backchannel_logout_uri", problem);
        }
        return uri;
    }

    static String redirectUriProblem(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return "is not a URI";
        }
        if (!parsed.isAbsolute() || parsed.getRawFragment() != null) {
            return "must be absolute, without a fragment";
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        String host = parsed.getHost();
        if (scheme.equals("https") && host != null) {
            return null;
        }
        if (scheme.equals("http") && host != null
                && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"))) {
            return null;
        }
        if (!scheme.equals("http") && !scheme.equals("https") && scheme.contains(".")) {
            return null;
        }
        return "must be https, http on a loopback address, or a private-use scheme such as com.example.app:/callback";
    }
}
