package dev.gatehouse.openid;

import static dev.gatehouse.openid.SignInResponses.SESSION_COOKIE;
import static dev.gatehouse.openid.SignInResponses.binding;
import static dev.gatehouse.openid.SignInResponses.cookie;
import static dev.gatehouse.openid.SignInResponses.cookieHeader;

import dev.gatehouse.openid.SignInFlow.AskFirst;
import dev.gatehouse.openid.SignInFlow.Page;
import dev.gatehouse.openid.SignInFlow.Step;
import dev.gatehouse.openid.SignInResponses.Upstream;
import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.users.PasswordReset;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The OpenID Provider's browser side: /api/v1/oauth/authorize, the hosted sign-in page's form posts
 * ({@link SignInFlow} decides each step) and /api/v1/oauth/logout ({@link RpInitiatedLogout}). Two cookies,
 * both HttpOnly, Secure, SameSite=Lax and scoped to /api/v1/oauth: the sign-in session (single sign-on across the clients) and, per request in progress, the
 * secret that binds it to this browser, which a cross-site post does not carry (no login CSRF).
 */
@ApplicationScoped
@Path("/api/v1/oauth")
public class SignInPageResource {


    @Inject
    SignInFlow flow;

    @Inject
    SignInResponses responses;

    @Inject
    SignInSteps steps;

    @Inject
    PasswordReset passwordReset;

    @Inject
    SignInPages pages;

    @Inject
    PendingAuthorizations pending;

    @Inject
    RpInitiatedLogout logout;

    @Context
    HttpServletRequest servletRequest;

    @GET
    @Path("/authorize")
    @RateLimited("oauth")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response authorize(@Context UriInfo uri, @Context HttpHeaders headers) {
        return responses.answer(flow.authorize(uri.getQueryParameters(), cookie(headers, SESSION_COOKIE)));
    }

    /** OpenID Connect Core §3.1.2.1: the same request as a form post. */
    @POST
    @Path("/authorize")
    @RateLimited("oauth")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response authorizeByPost(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        return responses.answer(flow.authorize(form, cookie(headers, SESSION_COOKIE)));
    }

    @POST
    @Path("/sign-in")
    @RateLimited("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response password(@FormParam("request") String request, @FormParam("email") String email,
                             @FormParam("password") String password, @Context HttpHeaders headers) {
        return responses.answer(steps.password(request, binding(headers, request), email, password, ClientInfo.of(servletRequest)));
    }

    @POST
    @Path("/sign-in/mfa")
    @RateLimited("mfa")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response secondFactor(@FormParam("request") String request, @FormParam("code") String code,
                                 @Context HttpHeaders headers) {
        return responses.answer(steps.secondFactor(request, binding(headers, request), code, ClientInfo.of(servletRequest)));
    }

    @POST
    @Path("/sign-in/mfa/enrol")
    @RateLimited("mfa")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response confirmEnrolment(@FormParam("request") String request, @FormParam("code") String code,
                                     @Context HttpHeaders headers) {
        return responses.answer(steps.confirmEnrolment(request, binding(headers, request), code, ClientInfo.of(servletRequest)));
    }

    @POST
    @Path("/sign-in/continue")
    @RateLimited("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response continueAfterEnrolment(@FormParam("request") String request, @Context HttpHeaders headers) {
        return responses.answer(steps.continueAfterEnrolment(request, binding(headers, request), cookie(headers, SESSION_COOKIE)));
    }

    @POST
    @Path("/sign-in/tenant")
    @RateLimited("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response chooseTenant(@FormParam("request") String request, @FormParam("tenant") String tenant,
                                 @Context HttpHeaders headers) {
        return responses.answer(steps.chooseTenant(request, binding(headers, request), tenant, cookie(headers, SESSION_COOKIE)));
    }

    /** A provider's button on the page. */
    @GET
    @Path("/sign-in/upstream/{provider}")
    @RateLimited("oauth")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response toProvider(@PathParam("provider") String provider, @QueryParam("request") String request,
                               @Context HttpHeaders headers) {
        return responses.answer(steps.toProvider(request, binding(headers, request), provider));
    }

    /** The provider's redirect back: the cookie says which request, and holds the upstream flow's binding. */
    @GET
    @Path("/sign-in/upstream/{provider}/callback")
    @RateLimited("oauth")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response fromProvider(@PathParam("provider") String provider, @QueryParam("code") String code,
                                 @QueryParam("state") String state, @QueryParam("error") String error,
                                 @QueryParam("error_description") String errorDescription, @Context HttpHeaders headers) {
        Upstream upstream = Upstream.of(headers);
        return responses.answerFromUpstream(steps.fromProvider(provider, upstream.requestId(), upstream.requestBinding(),
                upstream.upstreamBinding(), code, state, error, errorDescription, ClientInfo.of(servletRequest)));
    }

    @GET
    @Path("/sign-in/forgot")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response forgotPasswordPage(@QueryParam("request") String request, @Context HttpHeaders headers) {
        return responses.answer(new Page(200, pages.forgotPassword(flow.pendingRequest(request, binding(headers, request))), null, null));
    }

    /** The same answer whether or not an account has the email, as POST /auth/forgot-password gives. */
    @POST
    @Path("/sign-in/forgot")
    @RateLimited("account-mail")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response forgotPassword(@FormParam("request") String request, @FormParam("email") String email,
                                   @Context HttpHeaders headers) {
        flow.pendingRequest(request, binding(headers, request));
        if (email != null && !email.isBlank() && email.length() <= 320 && email.contains("@")) {
            passwordReset.request(email.strip());
        }
        return responses.answer(new Page(202, pages.notice("Check your email",
                "If an account has this address, a link to set a new password is on its way. Set it, then go back to "
                        + "the application and sign in."), null, null));
    }

    /** RP-initiated logout ({@link RpInitiatedLogout}); the browser's session cookie goes in any case. */
    @GET
    @Path("/logout")
    @RateLimited("oauth")
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response endSession(@Context UriInfo uri, @Context HttpHeaders headers) {
        return signedOut(logout.logout(uri.getQueryParameters(), cookie(headers, SESSION_COOKIE)));
    }

    /** The same as a form post. */
    @POST
    @Path("/logout")
    @RateLimited("oauth")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({MediaType.TEXT_HTML, MediaType.APPLICATION_JSON})
    public Response endSessionByPost(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
        return signedOut(logout.logout(form, cookie(headers, SESSION_COOKIE)));
    }

    private Response signedOut(Step step) {
        if (step instanceof AskFirst) {
            return responses.answer(step);
        }
        return Response.fromResponse(responses.answer(step)).header("Set-Cookie", cookieHeader(SESSION_COOKIE, "", 0)).build();
    }
}
