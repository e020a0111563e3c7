package dev.gatehouse.openid;

import static dev.gatehouse.openid.SignInResponses.UPSTREAM_COOKIE;
import static dev.gatehouse.openid.SignInResponses.binding;
import static dev.gatehouse.openid.SignInResponses.cookie;
import static dev.gatehouse.openid.SignInResponses.cookieHeader;

import dev.gatehouse.openid.SignInFlow.Step;
import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.sessions.ClientInfo;
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

/**
 * /api/v1/oauth/sign-in/sso: the hosted page's way through a tenant's identity provider (sso/). The form finds the
 * address's organisation; a connection's button goes to its IdP with the upstream cookie (the request and the
 * sign-in's binding), and the IdP's answer comes back here.
 */
@ApplicationScoped
@Path("/api/v1/oauth/sign-in/sso")
public class SsoSignInResource {

    @Inject
    SignInSteps steps;

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
        String upstream = cookie(headers, UPSTREAM_COOKIE);
        int dot = upstream == null ? -1 : upstream.indexOf('.');
        String request = dot < 0 ? null : upstream.substring(0, dot);
        Step step = steps.fromConnection(connection, request, binding(headers, request), dot < 0 ? null : upstream.substring(dot + 1),
                code, state, error, errorDescription, ClientInfo.of(servletRequest));
        return Response.fromResponse(responses.answer(step)).header("Set-Cookie", cookieHeader(UPSTREAM_COOKIE, "", 0)).build();
    }
}
