package dev.gatehouse.openid;

import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.serviceaccounts.ClientAssertions;
import dev.gatehouse.serviceaccounts.ClientCredentialsGrant;
import dev.gatehouse.serviceaccounts.ClientCredentialsGrant.ClientAuthentication;
import dev.gatehouse.serviceaccounts.TokenEndpointError;
import dev.gatehouse.sessions.ClientInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * POST /api/v1/oauth/token: the OAuth 2 token endpoint, form-encoded as RFC 6749 has it. It grants
 * client_credentials to service accounts, authenticated by client_secret_basic, client_secret_post or
 * private_key_jwt (RFC 7523), exactly one of them; and authorization_code and refresh_token to the OpenID
 * Provider's clients ({@link CodeGrant}), where a public client authenticates by none and names its client_id.
 */
@ApplicationScoped
@Path("/api/v1/oauth/token")
public class TokenEndpointResource {

    @Inject
    ClientCredentialsGrant clientCredentials;

    @Inject
    CodeGrant codeGrant;

    @Context
    HttpServletRequest servletRequest;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @RateLimited("token")
    public Response token(MultivaluedMap<String, String> form, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @Context UriInfo uri) {
        String grantType = single(form, "grant_type");
        if (grantType == null) {
            throw TokenEndpointError.invalidRequest("grant_type is missing.");
        }
        Object answer = switch (grantType) {
            case "client_credentials" -> clientCredentials.grant(clientAuthentication(form, authorization, false),
                    uri.getAbsolutePath().toString());
            case "authorization_code" -> codeGrant.redeem(clientAuthentication(form, authorization, true),
                    single(form, "code"), single(form, "redirect_uri"), single(form, "code_verifier"),
                    ClientInfo.of(servletRequest));
            case "refresh_token" -> codeGrant.refresh(clientAuthentication(form, authorization, true),
                    single(form, "refresh_token"), ClientInfo.of(servletRequest));
            default -> throw TokenEndpointError.unsupportedGrantType();
        };
        return Response.ok(answer).header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }

    /** {@code publicAllowed}: a public client may name itself by client_id with no credential (RFC 6749 §3.2.1). */
    private static ClientAuthentication clientAuthentication(MultivaluedMap<String, String> form, String authorization,
                                                             boolean publicAllowed) {
        String clientId = single(form, "client_id");
        String secret = single(form, "client_secret");
        String assertionType = single(form, "client_assertion_type");
        String assertion = single(form, "client_assertion");
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        int methods = (basic ? 1 : 0) + (secret != null ? 1 : 0) + (assertion != null || assertionType != null ? 1 : 0);
        if (methods == 0 && publicAllowed && clientId != null) {
            return new ClientAuthentication(clientId, null, null);
        }
        if (methods != 1) {
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

    /** A parameter's one value; null when absent; invalid_request when repeated (RFC 6749 §3.2). */
    private static String single(MultivaluedMap<String, String> form, String name) {
        List<String> values = form.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw TokenEndpointError.invalidRequest(name + " is given more than once.");
        }
        return values.getFirst();
    }
}
