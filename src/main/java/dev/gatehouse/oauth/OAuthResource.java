package dev.gatehouse.oauth;

import dev.gatehouse.oauth.OAuthRecords.AuthorizeResponse;
import dev.gatehouse.oauth.OAuthRecords.ProvidersResponse;
import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.SignInResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * /api/v1/auth/oauth: sign-in with an external identity provider. The client asks for the provider's URL,
 * sends the user there, and hands the code and state the provider sends back to its redirect URI to the
 * callback, which answers with a Gatehouse token pair. The callback must also present the flow's binding,
 * which authorize gave the client twice: as a cookie (browser apps need do nothing) and in the JSON, for API
 * clients to send back in the {@value #BINDING_HEADER} header.
 */
@ApplicationScoped
@Path("/api/v1/auth/oauth")
@Produces(MediaType.APPLICATION_JSON)
public class OAuthResource {

    static final String BINDING_COOKIE = "gatehouse_oauth_binding";
    /**
     * A header rather than a query parameter: it stays out of URLs (access logs, proxies, browser history,
     * Referer), and a link cannot set it, so an attacker cannot hand a victim's browser a binding along with
     * a callback URL.
     */
    static final String BINDING_HEADER = "X-OAuth-Binding";
    /** The token of an invitation the sign-in accepts: a header, for the reasons given for the binding's. */
    static final String INVITATION_HEADER = "X-Invitation-Token";
    /** The cookie goes only to the OAuth endpoints (authorize sets it, callback reads it), for every provider. */
    private static final String COOKIE_PATH = "/api/v1/auth/oauth";

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
    @RateLimited("oauth")
    public Response authorize(@PathParam("provider") String provider, @QueryParam("redirect_uri") String redirectUri,
                              @HeaderParam(INVITATION_HEADER) String invitation) {
        AuthorizeResponse flow = login.authorize(provider, redirectUri, invitation);
        return Response.ok(flow)
                .header(HttpHeaders.SET_COOKIE, bindingCookie(flow.binding(), providers.stateLifetime().toSeconds()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store") // the body and the cookie hold a secret
                .build();
    }

    /**
     * The binding comes from the header when the client sends one (an API client says explicitly which flow
     * it finishes), else from the cookie. A browser's cookie holds the binding of the last flow it started.
     */
    @GET
    @Path("/{provider}/callback")
    @RateLimited("oauth")
    public Response callback(@PathParam("provider") String provider,
                             @QueryParam("code") String code,
                             @QueryParam("state") String state,
                             @QueryParam("error") String error,
                             @QueryParam("error_description") String errorDescription,
                             @QueryParam("redirect_uri") String redirectUri,
                             @HeaderParam(BINDING_HEADER) String bindingHeader,
                             @CookieParam(BINDING_COOKIE) String bindingCookie) {
        String binding = bindingHeader != null ? bindingHeader : bindingCookie;
        SignInResult tokens = login.callback(provider, code, state, binding, error, errorDescription, redirectUri,
                ClientInfo.of(request));
        // The flow is spent: the browser drops its cookie. A refused callback leaves the cookie alone: it either
        // names a flow that is gone too (expired, spent) and opens nothing, or it is this browser's own flow in
        // progress and the refused request was someone else's (login CSRF), which must not end it.
        return Response.ok(tokens).header(HttpHeaders.SET_COOKIE, bindingCookie("", 0)).build();
    }

    /**
     * HttpOnly: page scripts never see it. SameSite=Lax: a cross-site request (a forged callback from another
     * site's page) does not carry it. Max-Age: the flow's lifetime; 0 removes it.
     */
    private String bindingCookie(String value, long maxAgeSeconds) {
        return BINDING_COOKIE + "=" + value + "; Path=" + COOKIE_PATH + "; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Lax" + (https() ? "; Secure" : "");
    }

    /**
     * Did the client reach us over HTTPS: directly, or through a TLS-terminating proxy that says so in
     * X-Forwarded-Proto (the first value: the hop nearest the client). Trusting the header is safe here
     * because it can only add Secure, never take it away: a client that forges it only stops its own
     * browser from sending the cookie back over plain HTTP.
     */
    private boolean https() {
        if (request.isSecure()) {
            return true;
        }
        String forwarded = request.getHeader("X-Forwarded-Proto");
        return forwarded != null && forwarded.split(",")[0].trim().equalsIgnoreCase("https");
    }
}
