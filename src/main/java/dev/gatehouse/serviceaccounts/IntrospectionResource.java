package dev.gatehouse.serviceaccounts;

import dev.gatehouse.caller.TokenIntrospection;
import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.serviceaccounts.ClientAuthenticator.AuthenticatedClient;
import dev.gatehouse.serviceaccounts.ClientAuthenticator.ClientAuthentication;
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
import java.util.List;

/**
 * POST /api/v1/oauth/introspect: token introspection (RFC 7662) for resource servers, which authenticate as a
 * client exactly as at the token endpoint ({@link OAuthForm#clientAuthentication}, {@link ClientAuthenticator}).
 * A client sees the tokens of its own tenant only: any other token is inactive to it. {@code token_type_hint}
 * is read and otherwise ignored: only access tokens are introspected, and a refresh token is inactive whatever
 * the hint says. Not recorded as a security event (a resource server may ask on every request it serves);
 * a failed client authentication is, as at the token endpoint.
 */
@ApplicationScoped
@Path("/api/v1/oauth/introspect")
public class IntrospectionResource {

    /** openid/TokenEndpointResource's path, above this package. */
    private static final String TOKEN_ENDPOINT = "/api/v1/oauth/token";

    @Inject
    ClientAuthenticator clients;

    @Inject
    TokenIntrospection introspection;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @RateLimited("introspect")
    public Response introspect(MultivaluedMap<String, String> parameters,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        OAuthForm form = new OAuthForm(parameters);
        ClientAuthentication authentication = form.clientAuthentication(authorization);
        String token = form.single("token");
        if (token == null || token.isEmpty()) {
            throw TokenEndpointError.invalidRequest("token is missing.");
        }
        form.single("token_type_hint"); // only refused when repeated
        // an assertion's aud may name this endpoint, or the token endpoint as OpenID Connect's private_key_jwt has it
        String tokenEndpoint = uri.getBaseUriBuilder().path(TOKEN_ENDPOINT).build().toString();
        AuthenticatedClient client = clients.authenticate(authentication, List.of(uri.getAbsolutePath().toString(), tokenEndpoint));
        return Response.ok(introspection.introspect(token, client.tenantId()).toString(), MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }
}
