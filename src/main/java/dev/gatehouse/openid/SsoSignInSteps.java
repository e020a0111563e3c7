package dev.gatehouse.openid;

import dev.gatehouse.oauth.OAuthProviders;
import dev.gatehouse.openid.SignInFlow.Page;
import dev.gatehouse.openid.SignInFlow.Step;
import dev.gatehouse.openid.SignInFlow.ToProvider;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.sso.HomeRealmDiscovery;
import dev.gatehouse.sso.SsoAccounts;
import dev.gatehouse.sso.SsoConnection;
import dev.gatehouse.sso.SsoSignIn;
import dev.gatehouse.sso.VerifiedIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Function;

/**
 * The hosted sign-in page's way through a tenant's identity provider ({@link SsoSignInResource}): the address's
 * organisation found (home-realm discovery), off to its IdP, and back with an identity that sso/ checked and
 * signed in (the account and membership found or made); then on as after a password ({@link SignInSteps}).
 */
@ApplicationScoped
public class SsoSignInSteps {

    @Inject
    SignInFlow flow;

    @Inject
    SignInSteps steps;

    @Inject
    SignInPages pages;

    @Inject
    OAuthProviders providers;

    @Inject
    HomeRealmDiscovery discovery;

    @Inject
    SsoSignIn ssoSignIn;

    @Inject
    SsoAccounts ssoAccounts;

    /**
     * POST of the page's single sign-on form: the address's organisation's IdPs (home-realm discovery), each a
     * button; back to the password form when there is none.
     */
    public Step discoverSso(String requestId, String binding, String email) {
        AuthorizationRequest request = flow.pendingRequest(requestId, binding);
        String clientName = flow.clientName(request);
        if (email == null || email.isBlank() || email.length() > 320) {
            return new Page(400, pages.password(request, clientName, providers.names(), null, "Enter your email."), null, request);
        }
        HomeRealmDiscovery.Answer answer = discovery.discover(email.strip());
        if (answer.sso().isEmpty()) {
            return new Page(200, pages.password(request, clientName, providers.names(), email.strip(),
                    "Your organisation has no single sign-on here: sign in with your password."), null, request);
        }
        // a page with a link rather than a redirect: the page's form-action (CSP) does not reach the IdP's origin
        return new Page(200, pages.ssoChoices(request, clientName, answer.sso().stream()
                .map(o -> new SignInPages.SsoChoice(o.connectionId().toString(), o.connectionName(), o.tenantName())).toList()),
                null, request);
    }

    /** A connection's button: off to the tenant's IdP, back to {@link #fromConnection}. */
    public Step toConnection(String requestId, String binding, String connectionId) {
        AuthorizationRequest request = flow.pendingRequest(requestId, binding);
        try {
            SsoConnection connection = ssoSignIn.connection(connectionId);
            SsoSignIn.Started started = ssoSignIn.start(connection, request.id());
            return new ToProvider(started.redirect(), request.id().toString(), started.binding());
        } catch (ProblemException e) {
            return new Page(e.type().status(), pages.password(request, flow.clientName(request), providers.names(), null,
                    "Single sign-on is not possible here: " + e.getMessage()), null, request);
        }
    }

    /**
     * The connection's IdP sent the browser back: its answer checked, the account and membership found or made
     * (just in time), then the second factor unless the IdP's counts, and the tenant is the connection's.
     */
    public Step fromConnection(String connectionId, String requestId, String binding, String upstreamBinding, String code,
                               String state, String error, String errorDescription, ClientInfo info) {
        return signedInThrough(connectionId, requestId, binding, info,
                connection -> ssoSignIn.finishOidc(connection, state, upstreamBinding, code, error, errorDescription));
    }

    /** As {@link #fromConnection}, for a SAML connection: the identity its ACS accepted for this browser's sign-in. */
    public Step fromSamlConnection(String connectionId, String requestId, String binding, String upstreamBinding,
                                   String state, ClientInfo info) {
        return signedInThrough(connectionId, requestId, binding, info,
                connection -> ssoSignIn.finishSaml(connection, state, upstreamBinding));
    }

    private Step signedInThrough(String connectionId, String requestId, String binding, ClientInfo info,
                                 Function<SsoConnection, VerifiedIdentity> finish) {
        AuthorizationRequest request = flow.pendingRequest(requestId, binding);
        String clientName = flow.clientName(request);
        SignInResult result;
        SsoConnection connection;
        try {
            connection = ssoSignIn.connection(connectionId);
            VerifiedIdentity identity = finish.apply(connection);
            if (!identity.requestId().equals(request.id())) {
                throw new ProblemException(ProblemType.INVALID_OAUTH_STATE, "The sign-in was started for another request.");
            }
            result = ssoAccounts.signIn(connection, identity, info);
        } catch (ProblemException e) {
            return new Page(e.type().status(), pages.password(request, clientName, providers.names(), null,
                    "Single sign-on did not work: " + e.getMessage()), null, request);
        }
        return steps.afterFirstFactor(request.withTenantHint(connection.tenantId().toString()), clientName, result);
    }
}
