package dev.gatehouse.serviceaccounts;

import dev.gatehouse.serviceaccounts.ClientAuthenticator.ClientAuthentication;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The form of an OAuth endpoint that a client authenticates at (the token endpoint, introspection): its
 * parameters, each given at most once (RFC 6749 §3.2), and the client's authentication, read the same way
 * everywhere: exactly one of HTTP Basic, client_id and client_secret in the form, or a client_assertion.
 */
public record OAuthForm(MultivaluedMap<String, String> parameters) {

    /** A parameter's one value; null when absent; invalid_request when repeated. */
    public String single(String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw TokenEndpointError.invalidRequest(name + " is given more than once.");
        }
        return values.getFirst();
    }

    /**
     * How the client authenticates, with the request's Authorization header: invalid_client (401) when it does
     * not (RFC 6749 §5.2: "no client authentication included"), invalid_request when it tries two ways at once.
     */
    public ClientAuthentication clientAuthentication(String authorization) {
        String clientId = single("client_id");
        String secret = single("client_secret");
        String assertionType = single("client_assertion_type");
        String assertion = single("client_assertion");
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        int methods = (basic ? 1 : 0) + (secret != null ? 1 : 0) + (assertion != null || assertionType != null ? 1 : 0);
        if (methods == 0) {
            throw TokenEndpointError.invalidClient();
        }
        if (methods > 1) {
            throw TokenEndpointError.invalidRequest("Authenticate the client with exactly one method: HTTP Basic,"
                    + " client_secret in the form, or client_assertion.");
        }
        if (basic) {
            String[] pair = basicCredentials(authorization.substring(6).strip());
            if (clientId != null && !clientId.equals(pair[0])) {
                throw TokenEndpointError.invalidClient();
            }
            return new ClientAuthentication(pair[0], pair[1], null);
        }
        if (secret != null) {
            if (clientId == null) {
                throw TokenEndpointError.invalidRequest("client_id is missing.");
            }
            return new ClientAuthentication(clientId, secret, null);
        }
        if (!ClientAssertions.ASSERTION_TYPE.equals(assertionType) || assertion == null) {
            throw TokenEndpointError.invalidRequest("client_assertion_type must be " + ClientAssertions.ASSERTION_TYPE
                    + ", with a client_assertion.");
        }
        return new ClientAuthentication(clientId, null, assertion);
    }

    /**
     * As {@link #clientAuthentication}, where a public client may also name itself by client_id alone, with no
     * credential (RFC 6749 §2.1, §3.2.1: the OpenID Provider's single-page and native apps).
     */
    public ClientAuthentication clientAuthenticationOrPublic(String authorization) {
        boolean credentials = authorization != null || single("client_secret") != null
                || single("client_assertion") != null || single("client_assertion_type") != null;
        String clientId = single("client_id");
        if (!credentials && clientId != null) {
            return new ClientAuthentication(clientId, null, null);
        }
        return clientAuthentication(authorization);
    }

    /** client_id and secret of HTTP Basic, each form-urlencoded first (RFC 6749 §2.3.1). */
    private static String[] basicCredentials(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw TokenEndpointError.invalidClient();
            }
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw TokenEndpointError.invalidClient();
        }
    }
}
