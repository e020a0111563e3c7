package dev.gatehouse.openid;

import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.serviceaccounts.ClientCredentialsGrant;
import dev.gatehouse.serviceaccounts.OAuthForm;
import dev.gatehouse.serviceaccounts.TokenEndpointError;
import dev.gatehouse.sessions.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
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

/**
 * POST /api/v1/oauth/token: the OAuth 2 token endpoint, form-encoded as RFC 6749 has it. It grants
 * client_credentials to service accounts, authenticated by client_secret_basic, client_secret_post or
 * private_key_jwt (RFC 7523), exactly one of them ({@link OAuthForm#clientAuthentication}); and authorization_code
 * and refresh_token to the OpenID Provider's clients ({@link CodeGrant}), where a public client authenticates by
 * none and names its client_id.
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
    public Response token(MultivaluedMap<String, String> parameters, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @Context UriInfo uri) {
        OAuthForm form = new OAuthForm(parameters);
        String grantType = form.single("grant_type");
        if (grantType == null) {
            throw TokenEndpointError.invalidRequest("grant_type is missing.");
        }
        Object answer = switch (grantType) {
            case "client_credentials" -> clientCredentials.grant(form.clientAuthentication(authorization),
                    uri.getAbsolutePath().toString());
            case "authorization_code" -> codeGrant.redeem(form.clientAuthenticationOrPublic(authorization),
                    form.single("code"), form.single("redirect_uri"), form.single("code_verifier"),
                    ClientInfo.of(servletRequest));
            case "refresh_token" -> codeGrant.refresh(form.clientAuthenticationOrPublic(authorization),
                    form.single("refresh_token"), ClientInfo.of(servletRequest));
            default -> throw TokenEndpointError.unsupportedGrantType();
        };
        return Response.ok(answer).header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache").build();
    }
}
