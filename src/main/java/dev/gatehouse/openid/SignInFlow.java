package dev.gatehouse.openid;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.oauth.OAuthLogin;
import dev.gatehouse.oauth.OAuthProviders;
import dev.gatehouse.oauth.OAuthRecords.AuthorizeResponse;
import dev.gatehouse.openid.AuthorizationRequest.Prompt;
import dev.gatehouse.openid.AuthorizationRequest.Refused;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.RefreshTokens;
import dev.gatehouse.sessions.RefreshTokens.BrowserSession;
import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.signin.AccountMemberships;
import dev.gatehouse.signin.AuthRecords.LoginRequest;
import dev.gatehouse.signin.AuthRecords.LoginResponse;
import dev.gatehouse.signin.AuthRecords.MfaChallenge;
import dev.gatehouse.signin.AuthRecords.MfaEnrolledResponse;
import dev.gatehouse.signin.LoginCandidate;
import dev.gatehouse.signin.MfaSignIn;
import dev.gatehouse.signin.PasswordLogin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The authorization-code flow from /authorize to the code (docs/openid-provider.md): a browser with a live
 * sign-in session that satisfies the request gets its code at once (single sign-on); otherwise the hosted page
 * asks for the password, then the second factor when one is due, then the tenant when the person has several
 * and the client named none. Password and code checks are signin/'s, with their lockout and events; the
 * session the page signs in with is an ordinary session of the account, whose refresh token is the browser's
 * cookie.
 */
@ApplicationScoped
public class SignInFlow {

    /** What to answer the browser: a page, or a redirect (to the client, or nowhere else). */
    sealed interface Step {
    }

    record Redirect(URI location) implements Step {
    }

    /** A page of the sign-in; {@code binding}: the secret of a request saved just now, for its cookie. */
    record Page(int status, String html, String binding, AuthorizationRequest request) implements Step {
    }

    /** A step that signed the browser in: the cookie to set, and what comes next. */
    record SignedIn(String sessionCookie, Step next) implements Step {
    }

    /**
     * Off to an upstream provider (oauth/: Google, GitHub, ...): the browser keeps which request it signs in for
     * and the upstream flow's binding, to present at the callback.
     */
    record ToProvider(URI location, String requestId, String binding) implements Step {
    }

    @Inject
    OAuthClients clients;

    @Inject
    PendingAuthorizations pending;

    @Inject
    AuthorizationCodes codes;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    AccountMemberships memberships;

    @Inject
    PasswordLogin passwordLogin;

    @Inject
    MfaSignIn mfaSignIn;

    @Inject
    SignInPages pages;

    @Inject
    OAuthProviders providers;

    @Inject
    OAuthLogin oauthLogin;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String baseUrl;

    /** GET /authorize. {@code sessionCookie}: the browser's sign-in session, if it sent one. */
    public Step authorize(MultivaluedMap<String, String> parameters, String sessionCookie) {
        OAuthClients.Client client = clients.find(AuthorizationRequest.single(parameters, "client_id"))
                .filter(OAuthClients.Client::active)
                .orElseThrow(() -> new ProblemException(ProblemType.INVALID_AUTHORIZATION_REQUEST,
                        "client_id names no registered, active client."));
        String redirectUri = AuthorizationRequest.redirectUriOf(client, parameters);
        AuthorizationRequest request;
        Set<Prompt> prompts;
        try {
            request = AuthorizationRequest.of(client, redirectUri, parameters);
            prompts = AuthorizationRequest.prompt(parameters);
        } catch (Refused refused) {
            return refusal(client.id(), redirectUri, AuthorizationRequest.single(parameters, "state"), refused, null);
        }
        BrowserSession session = sessionCookie == null ? null : refreshTokens.liveBrowserSession(sessionCookie).orElse(null);
        if (session != null && !prompts.contains(Prompt.LOGIN) && satisfies(session, request)) {
            return continueSignedIn(request, session, prompts.contains(Prompt.NONE), prompts.contains(Prompt.SELECT_ACCOUNT));
        }
        if (prompts.contains(Prompt.NONE)) {
            return refusal(client.id(), redirectUri, request.state(), new Refused("login_required",
                    "No sign-in session in this browser satisfies the request."), null);
        }
        PendingAuthorizations.Saved saved = pending.save(request);
        return new Page(200, pages.password(saved.request(), client.name(), providers.names(), request.loginHint(), null), saved.binding(),
                saved.request());
    }

    /** POST of the password page. */
    public Step password(String requestId, String binding, String email, String password, ClientInfo info) {
        AuthorizationRequest request = pendingRequest(requestId, binding);
        String clientName = clientName(request);
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
        AuthorizationRequest request = pendingRequest(requestId, binding);
        try {
            AuthorizeResponse flow = oauthLogin.authorize(provider, providerCallback(provider), null);
            return new ToProvider(URI.create(flow.url()), request.id().toString(), flow.binding());
        } catch (ProblemException e) {
            return new Page(e.type().status(), pages.password(request, clientName(request), providers.names(), null,
                    "Signing in with " + provider + " is not possible here."), null, request);
        }
    }

    /**
     * The provider sent the browser back: the upstream flow finishes as oauth/ finishes every one (account found,
     * linked or made), then the second factor and the tenant as after a password.
     */
    public Step fromProvider(String provider, String requestId, String binding, String upstreamBinding, String code,
                             String state, String error, String errorDescription, ClientInfo info) {
        AuthorizationRequest request = pendingRequest(requestId, binding);
        String clientName = clientName(request);
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
        return issuer() + "/api/v1/oauth/sign-in/upstream/" + provider + "/callback";
    }

    /** POST of the second-factor page: a TOTP code, or a recovery code. */
    public Step secondFactor(String requestId, String binding, String code, ClientInfo info) {
        AuthorizationRequest request = pendingRequest(requestId, binding);
        String clientName = clientName(request);
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
        AuthorizationRequest request = pendingRequest(requestId, binding);
        String clientName = clientName(request);
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
        AuthorizationRequest request = pendingRequest(requestId, binding);
        BrowserSession session = sessionCookie == null ? null : refreshTokens.liveBrowserSession(sessionCookie).orElse(null);
        if (session == null || tenantId != null && (tenantId.isBlank() || tenantId.length() > 100)) {
            return new Page(400, pages.password(request, clientName(request), providers.names(), null, "Sign in again."), null, request);
        }
        AuthorizationRequest chosen = new AuthorizationRequest(request.id(), request.clientId(), request.redirectUri(),
                request.scope(), request.state(), request.nonce(), request.codeChallenge(), request.maxAge(), request.loginHint(),
                tenantId == null ? request.tenantHint() : tenantId, request.requireMfa(), null);
        return continueSignedIn(chosen, session, false, false);
    }

    private Step afterFirstFactor(AuthorizationRequest request, String clientName, SignInResult result) {
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
        return new SignedIn(refreshToken, continueSignedIn(request, session, false, false));
    }

    /**
     * The person is signed in: the tenant (named by the client or chosen), its second-factor policy, and the
     * code. {@code silent}: prompt=none, so nothing may be asked.
     */
    private Step continueSignedIn(AuthorizationRequest request, BrowserSession session, boolean silent, boolean selectAccount) {
        List<LoginCandidate> usable = memberships.ofAccount(session.userId()).stream().filter(LoginCandidate::usable).toList();
        LoginCandidate membership;
        if (request.tenantHint() != null) {
            membership = AccountMemberships.choose(usable, request.tenantHint()).orElse(null);
            if (membership == null) {
                return refusal(request, new Refused("access_denied", "The account is no active member of that tenant."),
                        session);
            }
        } else if (usable.size() == 1 && !selectAccount) {
            membership = usable.getFirst();
        } else if (usable.isEmpty()) {
            return refusal(request, new Refused("access_denied", "The account is no active member of any tenant."), session);
        } else if (silent) {
            return refusal(request, new Refused("account_selection_required", "Choose a tenant: name it, or let the person choose."),
                    session);
        } else {
            AuthorizationRequest saved = request;
            String binding = null;
            if (request.id() == null) {
                PendingAuthorizations.Saved fresh = pending.save(request);
                saved = fresh.request();
                binding = fresh.binding();
            }
            return new Page(200, pages.tenants(saved, clientName(saved), AccountMemberships.usableTenants(usable)), binding, saved);
        }
        boolean secondFactorDone = List.of(session.amr().split(" ")).contains(AuthorizationRequest.MFA);
        if (!secondFactorDone && mfaSignIn.requiredOf(membership)) {
            if (silent) {
                return refusal(request, new Refused("interaction_required", "The tenant requires a second factor of this account."),
                        session);
            }
            // signing in to that tenant asks for the code, or sets the second factor up
            return signInAgain(request.withTenantHint(membership.tenant().id().toString()),
                    "Your organisation requires a second factor: sign in again to give it.");
        }
        String code = codes.issue(new AuthorizationCodes.Grant(request.clientId(), request.redirectUri(), request.codeChallenge(),
                session.userId(), membership.tenant().id(), session.id(), request.scope(), request.nonce(), session.amr(),
                session.startedAt()));
        if (request.id() != null) {
            pending.finish(request.id());
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.AUTHORIZATION_CODE_ISSUED, membership.tenant().id())
                .actor(session.userId()).subjectUser(session.userId()).detail("client_id", request.clientId().toString()));
        return new Redirect(withQuery(request.redirectUri(), "code", code, "state", request.state(), "iss", issuer()));
    }

    /** A session that started long enough ago for max_age, with a second factor if the client asked for one. */
    private static boolean satisfies(BrowserSession session, AuthorizationRequest request) {
        if (request.maxAge() != null && Duration.between(session.startedAt(), Instant.now()).toSeconds() > request.maxAge()) {
            return false;
        }
        if (request.requireMfa() && !List.of(session.amr().split(" ")).contains(AuthorizationRequest.MFA)) {
            return false;
        }
        return request.loginHint() == null || request.loginHint().strip().equalsIgnoreCase(session.email());
    }

    private Step signInAgain(AuthorizationRequest request, String why) {
        if (request.id() != null) {
            pending.narrowToTenant(request.id(), request.tenantHint());
            return new Page(200, pages.password(request, clientName(request), providers.names(), null, why), null, request);
        }
        PendingAuthorizations.Saved saved = pending.save(request);
        return new Page(200, pages.password(saved.request(), clientName(request), providers.names(), null, why), saved.binding(),
                saved.request());
    }

    AuthorizationRequest pendingRequest(String requestId, String binding) {
        return pending.find(requestId, binding).orElseThrow(() -> new ProblemException(ProblemType.INVALID_AUTHORIZATION_REQUEST,
                "This sign-in expired or began in another browser: go back to the application and start again."));
    }

    private String clientName(AuthorizationRequest request) {
        return clients.find(request.clientId().toString()).map(OAuthClients.Client::name).orElse("the application");
    }

    private Redirect refusal(AuthorizationRequest request, Refused refused, BrowserSession session) {
        if (request.id() != null) {
            pending.finish(request.id());
        }
        return refusal(request.clientId(), request.redirectUri(), request.state(), refused, session);
    }

    private Redirect refusal(UUID clientId, String redirectUri, String state, Refused refused, BrowserSession session) {
        securityEvents.record(SecurityEvent.of(SecurityEventType.AUTHORIZATION_REFUSED, null).actor(null)
                .subjectUser(session == null ? null : session.userId()).failed()
                .detail("client_id", clientId.toString()).detail("error", refused.error));
        return new Redirect(withQuery(redirectUri, "error", refused.error, "error_description", refused.getMessage(),
                "state", state, "iss", issuer()));
    }

    /**
     * The redirect URI with these parameters added to its query (pairs of name and value; a null value is left
     * out), form-encoded by hand: a state is the client's text, never a URI template to expand.
     */
    static URI withQuery(String uri, String... pairs) {
        StringBuilder location = new StringBuilder(uri).append(uri.contains("?") ? '&' : '?');
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                location.append(pairs[i]).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8)).append('&');
            }
        }
        location.setLength(location.length() - 1);
        return URI.create(location.toString());
    }

    /** The issuer of this OpenID Provider: the public base URL (the access tokens' iss stays the v1 value). */
    String issuer() {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
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
