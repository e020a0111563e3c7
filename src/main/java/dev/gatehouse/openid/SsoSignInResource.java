package dev.gatehouse.openid;

import static dev.gatehouse.openid.SignInResponses.binding;

import dev.gatehouse.openid.SignInFlow.Page;
import dev.gatehouse.openid.SignInResponses.Upstream;
import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sso.SsoConnection;
import dev.gatehouse.sso.SsoSignIn;
import dev.gatehouse.sso.SsoUrls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * /api/v1/oauth/sign-in/sso: the hosted page's way through a tenant's identity provider (sso/). The form finds the
 * address's organisation; a connection's button goes to its IdP with the upstream cookie (the request and the
 * sign-in's binding), and the IdP's answer comes back here: the OIDC callback, or the SAML assertion consumer
 * service and its finish. Also each SAML connection's SP metadata.
 */
@ApplicationScoped
@Path("/api/v1/oauth/sign-in/sso")
public class SsoSignInResource {

    @Inject
    SsoSignInSteps steps;

    @Inject
    SsoSignIn ssoSignIn;

    @Inject
    SignInPages pages;

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String publicBaseUrl;

    @Inject
    SignInResponses responses;

    @Context
    HttpServletRequest servletRequest;

    @POST
    @RateLimited("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response discover(@FormParam("request") String request, @FormParam("email") String email,
                             @Context HttpHeaders headers) {
        return responses.answer(steps.discoverSso(request, binding(headers, request), email));
    }

    @GET
    @Path("/{connection}")
    @RateLimited("oauth")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response toConnection(@PathParam("connection") String connection, @QueryParam("request") String request,
                                 @Context HttpHeaders headers) {
        return responses.answer(steps.toConnection(request, binding(headers, request), connection));
    }

    /** The OIDC redirect URI of a connection. */
    @GET
    @Path("/{connection}/callback")
    @RateLimited("oauth")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response fromConnection(@PathParam("connection") String connection, @QueryParam("code") String code,
                                   @QueryParam("state") String state, @QueryParam("error") String error,
                                   @QueryParam("error_description") String errorDescription, @Context HttpHeaders headers) {
        Upstream upstream = Upstream.of(headers);
        return responses.answerFromUpstream(steps.fromConnection(connection, upstream.requestId(), upstream.requestBinding(),
                upstream.upstreamBinding(), code, state, error, errorDescription, ClientInfo.of(servletRequest)));
    }

    /**
     * The assertion consumer service of a SAML connection (HTTP-POST binding). The IdP's page posts here across
     * sites, so no cookie comes along: the checked identity waits with the sign-in, and the browser is sent on to
     * {@link #finishSaml} by a redirect, a top-level GET that carries its cookies (SameSite=Lax).
     */
    @POST
    @Path("/{connection}/acs")
    @RateLimited("oauth")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response assertionConsumer(@PathParam("connection") String connection, @FormParam("SAMLResponse") String samlResponse,
                                      @FormParam("RelayState") String relayState) {
        try {
            SsoConnection samlConnection = ssoSignIn.connection(connection);
            String state = ssoSignIn.acceptSaml(samlConnection, samlResponse, relayState);
            return Response.seeOther(URI.create(SsoUrls.base(publicBaseUrl, samlConnection.id()) + "/finish?state="
                    + URLEncoder.encode(state, StandardCharsets.UTF_8))).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        } catch (ProblemException e) {
            return responses.answer(new Page(e.type().status(), pages.notice("Single sign-on did not work",
                    e.getMessage() + " Go back to the application and sign in again."), null, null));
        }
    }

    /** Where the ACS sends the browser: its cookie says which request, and holds the sign-in's binding. */
    @GET
    @Path("/{connection}/finish")
    @RateLimited("oauth")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response finishSaml(@PathParam("connection") String connection, @QueryParam("state") String state,
                               @Context HttpHeaders headers) {
        Upstream upstream = Upstream.of(headers);
        return responses.answerFromUpstream(steps.fromSamlConnection(connection, upstream.requestId(),
                upstream.requestBinding(), upstream.upstreamBinding(), state, ClientInfo.of(servletRequest)));
    }

    /** A SAML connection's SP metadata, for the IdP's administrator (also its entity id). */
    @GET
    @Path("/{connection}/metadata")
    @RateLimited("oauth")
    @Produces({"application/samlmetadata+xml", MediaType.APPLICATION_JSON})
    public Response metadata(@PathParam("connection") String connection) {
        return Response.ok(ssoSignIn.samlMetadata(ssoSignIn.connection(connection)), "application/samlmetadata+xml").build();
    }
}
