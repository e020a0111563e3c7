package dev.gatehouse.signin;

import dev.gatehouse.caller.CurrentUser;
import dev.gatehouse.mfa.MfaRecords.TotpEnrolment;
import dev.gatehouse.platform.http.RateLimited;
import dev.gatehouse.platform.problems.Problem;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.signin.AuthRecords.LoginRequest;
import dev.gatehouse.signin.AuthRecords.LoginResponse;
import dev.gatehouse.signin.AuthRecords.MfaConfirmRequest;
import dev.gatehouse.signin.AuthRecords.MfaEnrolledResponse;
import dev.gatehouse.signin.AuthRecords.MfaTicketRequest;
import dev.gatehouse.signin.AuthRecords.MfaVerifyRequest;
import dev.gatehouse.signin.AuthRecords.RefreshTokenRequest;
import dev.gatehouse.signin.AuthRecords.RegisterRequest;
import dev.gatehouse.signin.AuthRecords.RegisterResponse;
import dev.gatehouse.signin.AuthRecords.SwitchTenantRequest;
import dev.gatehouse.users.EmailVerification;
import dev.gatehouse.users.PasswordReset;
import dev.gatehouse.users.UserRecords.Accepted;
import dev.gatehouse.users.UserRecords.EmailVerificationRequest;
import dev.gatehouse.users.UserRecords.ForgotPassword;
import dev.gatehouse.users.UserRecords.PasswordResetRequest;
import dev.gatehouse.users.UserResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * /api/v1/auth: registration, login, switching tenant, token refresh, logout, the caller's own profile, and the
 * links of mails: password reset and email verification.
 */
@ApplicationScoped
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    Registration registration;

    @Inject
    PasswordLogin passwordLogin;

    @Inject
    TenantSwitch tenantSwitch;

    @Inject
    Sessions sessions;

    @Inject
    MfaSignIn mfaSignIn;

    @Inject
    CurrentUser currentUser;

    @Inject
    PasswordReset passwordReset;

    @Inject
    EmailVerification emailVerification;

    @Context
    HttpServletRequest request;

    @POST
    @Path("/register")
    @RateLimited("register")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull RegisterRequest body) {
        RegisterResponse registered = registration.register(body, ClientInfo.of(request));
        return Response.status(Response.Status.CREATED).entity(registered).build();
    }

    @POST
    @Path("/login")
    @RateLimited("login")
    @Consumes(MediaType.APPLICATION_JSON)
    public SignInResult login(@Valid @NotNull LoginRequest body) {
        return passwordLogin.login(body, ClientInfo.of(request));
    }

    @POST
    @Path("/mfa/verify")
    @RateLimited("mfa")
    @Consumes(MediaType.APPLICATION_JSON)
    public LoginResponse verifyMfa(@Valid @NotNull MfaVerifyRequest body) {
        return mfaSignIn.verify(body.mfaTicket(), body.code(), body.recoveryCode(), ClientInfo.of(request));
    }

    @POST
    @Path("/mfa/totp")
    @RateLimited("mfa")
    @Consumes(MediaType.APPLICATION_JSON)
    public TotpEnrolment startMfaEnrolment(@Valid @NotNull MfaTicketRequest body) {
        return mfaSignIn.startEnrolment(body.mfaTicket());
    }

    @POST
    @Path("/mfa/totp/confirm")
    @RateLimited("mfa")
    @Consumes(MediaType.APPLICATION_JSON)
    public MfaEnrolledResponse confirmMfaEnrolment(@Valid @NotNull MfaConfirmRequest body) {
        return mfaSignIn.confirmEnrolment(body.mfaTicket(), body.code(), ClientInfo.of(request));
    }

    @POST
    @Path("/switch-tenant")
    @Consumes(MediaType.APPLICATION_JSON)
    public LoginResponse switchTenant(@Valid @NotNull SwitchTenantRequest body) {
        return tenantSwitch.switchTo(currentUser.get(), body.tenant(), ClientInfo.of(request),
                currentUser.authenticationMethods(), currentUser.authenticatedAt());
    }

    @POST
    @Path("/refresh")
    @RateLimited("refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    public TokenResponse refresh(@Valid @NotNull RefreshTokenRequest body) {
        return sessions.refresh(body.refreshToken(), ClientInfo.of(request));
    }

    @POST
    @Path("/logout")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response logout(@Valid @NotNull RefreshTokenRequest body) {
        sessions.logout(body.refreshToken());
        return Response.noContent().build();
    }

    @POST
    @Path("/logout-all")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response logoutAll() {
        sessions.endAll(currentUser.id(), currentUser.tenantId());
        return Response.noContent().build();
    }

    /** 202 and the same body whether or not an account has the email (docs/integrating.md, "Email and account flows"). */
    @POST
    @Path("/forgot-password")
    @RateLimited("account-mail")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response forgotPassword(@Valid @NotNull ForgotPassword body) {
        passwordReset.request(body.email());
        return Response.accepted(new Accepted("If an account has this email, a link to set a new password is on its way."))
                .build();
    }

    @POST
    @Path("/reset-password")
    @RateLimited("account-mail")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response resetPassword(@Valid @NotNull PasswordResetRequest body) {
        passwordReset.reset(body.token(), body.newPassword());
        return Response.noContent().build();
    }

    @POST
    @Path("/verify-email")
    @RateLimited("account-mail")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE}) // no body on success: a client may accept only problems
    public Response verifyEmail(@Valid @NotNull EmailVerificationRequest body) {
        emailVerification.verify(body.token());
        return Response.noContent().build();
    }

    @POST
    @Path("/verify-email/resend")
    @RateLimited("account-mail")
    public Response resendVerification() {
        emailVerification.resend(currentUser.get());
        return Response.accepted(new Accepted("A new link is on its way to your email address.")).build();
    }

    @GET
    @Path("/me")
    public UserResponse me() {
        return UserResponse.of(currentUser.get());
    }
}
