package dev.gatehouse.openid;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.oauth.OAuthProviders;
import dev.gatehouse.openid.AuthorizationRequest.Prompt;
import dev.gatehouse.openid.AuthorizationRequest.Refused;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.RefreshTokens;
import dev.gatehouse.sessions.RefreshTokens.BrowserSession;
import dev.gatehouse.signin.AccountMemberships;
import dev.gatehouse.signin.LoginCandidate;
import dev.gatehouse.signin.MfaSignIn;
import dev.gatehouse.tenants.SsoRequirement;
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
 * signs the person in ({@link SignInSteps}), and this decides the rest: the tenant (named by the client, the only
 * one, or chosen), its second-factor policy, the code, or the error sent back to the client. The session the
 * page signs in with is an ordinary session of the account, whose refresh token is the browser's cookie.
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

    /** A question to the person before anything changes (a logout no client asked for): the browser keeps its cookies. */
    record AskFirst(Page page) implements Step {
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
    MfaSignIn mfaSignIn;

    @Inject
    SignInPages pages;

    @Inject
    OAuthProviders providers;

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

    /**
     * The person is signed in: the tenant (named by the client or chosen), its second-factor policy, and the
     * code. {@code silent}: prompt=none, so nothing may be asked.
     */
    Step continueSignedIn(AuthorizationRequest request, BrowserSession session, boolean silent, boolean selectAccount) {
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
        boolean secondFactorDone = AuthorizationRequest.holds(session.amr(), AuthorizationRequest.MFA);
        // A tenant that requires SSO of the account is entered only from a sign-in to that tenant (through its IdP,
        // or a break-glass admin's password and second factor), not from one to another tenant.
        boolean ssoDue = membership.sso() == SsoRequirement.Verdict.REQUIRED && !membership.tenant().id().equals(session.tenantId())
                || membership.sso() == SsoRequirement.Verdict.BREAK_GLASS && !secondFactorDone;
        if (ssoDue) {
            if (silent) {
                return refusal(request, new Refused("login_required", "The tenant requires single sign-on of this account."),
                        session);
            }
            return signInAgain(request.withTenantHint(membership.tenant().id().toString()),
                    "Your organisation signs you in through its identity provider: continue with single sign-on.");
        }
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
        if (request.requireMfa() && !AuthorizationRequest.holds(session.amr(), AuthorizationRequest.MFA)) {
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

    String clientName(AuthorizationRequest request) {
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
}
