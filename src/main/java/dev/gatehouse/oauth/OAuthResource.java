package dev.gatehouse.oauth;

import dev.gatehouse.oauth.OAuthRecords.AuthorizeResponse;
import dev.gatehouse.oauth.OAuthRecords.ProvidersResponse;
import dev.gatehouse.sessions.AuthRecords.TokenResponse;
import dev.gatehouse.sessions.ClientInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * /api/v1/auth/oauth: sign-in with an external identity provider. The client (a browser app) asks for the
 * provider's URL, sends the user there, and hands the code and state the provider sends back to its redirect
 * URI to the callback, which answers with a Gatehouse token pair.
 */
@ApplicationScoped
@Path("/api/v1/auth/oauth")
@Produces(MediaType.APPLICATION_JSON)
public class OAuthResource {

    @Inject
    OAuthProviders providers;

    @Inject
    OAuthLogin login;

    @Context
    HttpServletRequest request;

    @GET
    @Path("/providers")
    public ProvidersResponse providers() {
        return new ProvidersResponse(providers.names());
    }

    @GET
    @Path("/{provider}/authorize")
    public AuthorizeResponse authorize(@PathParam("provider") String provider, @QueryParam("redirect_uri") String redirectUri) {
        return login.authorize(provider, redirectUri);
    }

    @GET
    @Path("/{provider}/callback")
    public TokenResponse callback(@PathParam("provider") String provider,
                                  @QueryParam("code") String code,
                                  @QueryParam("state") String state,
                                  @QueryParam("error") String error,
                                  @QueryParam("error_description") String errorDescription,
                                  @QueryParam("redirect_uri") String redirectUri) {
        return login.callback(provider, code, state, error, errorDescription, redirectUri, ClientInfo.of(request));
    }
}
