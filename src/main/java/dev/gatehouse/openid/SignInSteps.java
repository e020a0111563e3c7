package dev.gatehouse.openid;

import dev.gatehouse.oauth.OAuthLogin;
import dev.gatehouse.oauth.OAuthProviders;
import dev.gatehouse.oauth.OAuthRecords.AuthorizeResponse;
import dev.gatehouse.openid.SignInFlow.Page;
import dev.gatehouse.openid.SignInFlow.SignedIn;
import dev.gatehouse.openid.SignInFlow.Step;
import dev.gatehouse.openid.SignInFlow.ToProvider;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.RefreshTokens;
import dev.gatehouse.sessions.RefreshTokens.BrowserSession;
import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.signin.AuthRecords.LoginRequest;
import dev.gatehouse.signin.AuthRecords.LoginResponse;
import dev.gatehouse.signin.AuthRecords.MfaChallenge;
import dev.gatehouse.signin.AuthRecords.MfaEnrolledResponse;
import dev.gatehouse.signin.MfaSignIn;
import dev.gatehouse.signin.PasswordLogin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;

/**
 * The hosted sign-in page's steps, each a form post ({@link SignInPageResource}): the password or an upstream
 * provider, then the second factor (or setting one up, when the tenant requires it), then the tenant. Password
 * and code checks are signin/'s and upstream sign-ins oauth/'s, with their lockout and events; once signed in,
 * {@link SignInFlow} decides the rest as for a browser that came signed in.
 */
@ApplicationScoped
public class SignInSteps {

    @Inject
    SignInFlow flow;

    @Inject
    PendingAuthorizations pending;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    PasswordLogin passwordLogin;

    @Inject
    MfaSignIn mfaSignIn;

    @Inject
    OAuthProviders providers;

    @Inject
    OAuthLogin oauthLogin;

    @Inject
    SignInPages pages;

    /** POST of the password page. */
    public Step password(String requestId, String binding, String email, String password, ClientInfo info) {
        AuthorizationRequest request = flow.pendingRequest(requestId, binding);
        String clientName = flow.clientName(request);
        if (email == null || email.isBlank() || email.length() > 320 || password == null || password.length() > 1024) {
            return new Page(400, pages.password(request, clientName, providers.names(), email, "Enter your email and password."), null, request);
        }
        SignInResult result;
        try {
            result = passwordLogin.login(new LoginRequest(email.strip(), password, request.tenantHint()), info);
        } catch (ProblemException e) {
            return new Page(e.type().status(), pages.password(request, clientName, providers.names(), email, message(e)), null, request);
        }
        return afterFirstFactor(request, clientName, result);
    }

    /** A provider's button: the upstream sign-in starts, and comes back to {@link #fromProvider}. */
    public Step toProvider(String requestId, String binding, String provider) {
        AuthorizationRequest request = flow.pendingRequest(requestId, binding);
        try {
            AuthorizeResponse flow = oauthLogin.authorize(provider, providerCallback(provider), null);
            return new ToProvider(URI.create(flow.url()), request.id().toString(), flow.binding());
        } catch (ProblemException e) {
            return new Page(e.type().status(), pages.password(request, flow.clientName(request), providers.names(), null,
                    "Signing in with " + provider + " is not possible here."), null, request);
        }
    }

    /**
     * The provider sent the browser back: the upstream flow finishes as oauth/ finishes every one (account found,
     * linked or made), then the second factor and the tenant as after a password.
     */
    public Step fromProvider(String provider, String requestId, String binding, String upstreamBinding, String code,
                             String state, String error, String errorDescription, ClientInfo info) {
        AuthorizationRequest request = flow.pendingRequest(requestId, binding);
        String clientName = flow.clientName(request);
        SignInResult result;
        try {
            result = oauthLogin.callback(provider, code, state, upstreamBinding, error, errorDescription, null, info);
        } catch (ProblemException e) {
            return new Page(e.type().status(), pages.password(request, clientName, providers.names(), null,
                    "Signing in with " + provider + " did not work: " + e.getMessage()), null, request);
        }
        return afterFirstFactor(request, clientName, result);
    }

    /** Where a provider returns the browser: on gatehouse.oauth.redirect-uris, and registered at the provider. */
    String providerCallback(String provider) {
        return flow.issuer() + "/api/v1/oauth/sign-in/upstream/" + provider + "/callback";
    }

    /** POST of the second-factor page: a TOTP code, or a recovery code. */
    public Step secondFactor(String requestId, String binding, String code, ClientInfo info) {
        AuthorizationRequest request = flow.pendingRequest(requestId, binding);
        String clientName = flow.clientName(request);
        if (request.mfaTicket() == null) {
            return new Page(400, pages.password(request, clientName, providers.names(), null, "Sign in with your password first."), null, request);
        }
        String entered = code == null ? "" : code.strip();
        boolean totp = entered.matches("\\d{6}");
        try {
            LoginResponse login = mfaSignIn.verify(request.mfaTicket(), totp ? entered : null, totp ? null : entered, info);
            return signedIn(request, login.refreshToken());
        } catch (ProblemException e) {
            if (e.type() == ProblemType.INVALID_MFA_TICKET) {
                pending.awaitSecondFactor(request.id(), null);
                return new Page(400, pages.password(request, clientName, providers.names(), null, "Too many wrong codes, or too slow: sign in again."),
                        null, request);
            }
            return new Page(e.type().status(), pages.secondFactor(request, clientName, message(e)), null, request);
        }
    }

    /**
     * POST of the enrolment page, for a member whose tenant requires a second factor the account does not have yet:
     * the first code turns it on; the recovery codes are shown once, and the person continues from there.
     */
    public Step confirmEnrolment(String requestId, String binding, String code, ClientInfo info) {
        AuthorizationRequest request = flow.pendingRequest(requestId, binding);
        String clientName = flow.clientName(request);
        if (request.mfaTicket() == null) {
            return new Page(400, pages.password(request, clientName, providers.names(), null, "Sign in with your password first."),
                    null, request);
        }
        try {
            MfaEnrolledResponse enrolled = mfaSignIn.confirmEnrolment(request.mfaTicket(), code == null ? "" : code.strip(), info);
            return new SignedIn(enrolled.refreshToken(),
                    new Page(200, pages.recoveryCodes(request, enrolled.recoveryCodes()), null, request));
        } catch (ProblemException e) {
            if (e.type() == ProblemType.INVALID_MFA_TICKET) {
                pending.awaitSecondFactor(request.id(), null);
                return new Page(400, pages.password(request, clientName, providers.names(), null,
                        "Too many wrong codes, or too slow: sign in again."), null, request);
            }
            // a new secret: the one shown before may have been scanned wrong
            return new Page(e.type().status(), pages.enrolment(request, clientName, mfaSignIn.startEnrolment(request.mfaTicket()),
                    "That code is not right. Scan this new code, then enter the code it shows."), null, request);
        }
    }

    /** After the recovery codes: on to the tenant and the code, with the session the enrolment started. */
    public Step continueAfterEnrolment(String requestId, String binding, String sessionCookie) {
        return chooseTenant(requestId, binding, null, sessionCookie);
    }

    /** POST of the tenant chooser. */
    public Step chooseTenant(String requestId, String binding, String tenantId, String sessionCookie) {
        AuthorizationRequest request = flow.pendingRequest(requestId, binding);
        BrowserSession session = sessionCookie == null ? null : refreshTokens.liveBrowserSession(sessionCookie).orElse(null);
        if (session == null || tenantId != null && (tenantId.isBlank() || tenantId.length() > 100)) {
            return new Page(400, pages.password(request, flow.clientName(request), providers.names(), null, "Sign in again."), null, request);
        }
        AuthorizationRequest chosen = new AuthorizationRequest(request.id(), request.clientId(), request.redirectUri(),
                request.scope(), request.state(), request.nonce(), request.codeChallenge(), request.maxAge(), request.loginHint(),
                tenantId == null ? request.tenantHint() : tenantId, request.requireMfa(), null);
        return flow.continueSignedIn(chosen, session, false, false);
    }

    /** After the password, an upstream provider or a tenant's IdP: the second factor, else signed in. */
    Step afterFirstFactor(AuthorizationRequest request, String clientName, SignInResult result) {
        if (result instanceof MfaChallenge challenge) {
            pending.awaitSecondFactor(request.id(), challenge.mfaTicket());
            if (challenge.mfaEnrolmentRequired()) {
                return new Page(200, pages.enrolment(request, clientName, mfaSignIn.startEnrolment(challenge.mfaTicket()), null),
                        null, request);
            }
            return new Page(200, pages.secondFactor(request, clientName, null), null, request);
        }
        String refreshToken = switch (result) {
            case LoginResponse login -> login.refreshToken();
            case TokenResponse tokens -> tokens.refreshToken(); // the first sign-in of an upstream identity
            default -> throw new IllegalStateException("A sign-in answered " + result.getClass());
        };
        return signedIn(request, refreshToken);
    }

    /** The page's own session started: its refresh token becomes the browser's cookie. */
    private Step signedIn(AuthorizationRequest request, String refreshToken) {
        BrowserSession session = refreshTokens.liveBrowserSession(refreshToken).orElseThrow();
        return new SignedIn(refreshToken, flow.continueSignedIn(request, session, false, false));
    }

    private static String message(ProblemException e) {
        return switch (e.type()) {
            case INVALID_CREDENTIALS -> "Incorrect email or password.";
            case INVALID_MFA_CODE -> "That code is not right. Try the newest one.";
            case LOGIN_THROTTLED, RATE_LIMITED -> "Too many attempts. Wait a minute, then try again.";
            case EMAIL_NOT_VERIFIED -> "Verify your email first: follow the link we sent you.";
            default -> "The sign-in did not work. Try again.";
        };
    }
}
