package dev.gatehouse.openid;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.VerificationKeys;
import dev.gatehouse.caller.VerifiedToken;
import dev.gatehouse.openid.SignInFlow.AskFirst;
import dev.gatehouse.openid.SignInFlow.Page;
import dev.gatehouse.openid.SignInFlow.Redirect;
import dev.gatehouse.openid.SignInFlow.Step;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.RefreshTokens;
import dev.gatehouse.sessions.RefreshTokens.BrowserSession;
import dev.gatehouse.sessions.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;

/**
 * OpenID Connect RP-Initiated Logout 1.0 (/api/v1/oauth/logout): ends the browser's sign-in session (its cookie)
 * and every client session that came from it, so back-channel logout tells their clients; then back to the
 * client's registered post_logout_redirect_uri, or a "signed out" page. The id_token_hint is an ID token this
 * provider signed, expired or not: it names the client (aud) and the browser session (sid), and a cookie of
 * another session is left alone, since the client asked to end the one it knows.
 */
@ApplicationScoped
public class RpInitiatedLogout {

    @Inject
    VerificationKeys keys;

    @Inject
    SignInFlow flow;

    @Inject
    OAuthClients clients;

    @Inject
    RefreshTokens refreshTokens;

    @Inject
    Sessions sessions;

    @Inject
    SignInPages pages;

    @Inject
    SecurityEvents securityEvents;

    @Transactional
    public Step logout(MultivaluedMap<String, String> parameters, String sessionCookie) {
        String hint = single(parameters, "id_token_hint");
        String clientId = single(parameters, "client_id");
        String redirectUri = single(parameters, "post_logout_redirect_uri");
        String state = single(parameters, "state");
        String sid = null;
        if (hint != null) {
            JsonObject claims = VerifiedToken.signedClaims(hint, keys);
            if (claims == null || !flow.issuer().equals(claims.getString("iss", null))
                    || !(claims.get("aud") instanceof JsonString aud) || !(claims.get("sid") instanceof JsonString hintSid)) {
                throw refused("id_token_hint is not an ID token this provider issued.");
            }
            if (clientId != null && !clientId.equals(aud.getString())) {
                throw refused("client_id is not the client the id_token_hint was issued to.");
            }
            clientId = aud.getString();
            sid = hintSid.getString();
        }
        OAuthClients.Client client = null;
        if (clientId != null) {
            client = clients.find(clientId).orElseThrow(() -> refused("client_id names no registered client."));
        }
        BrowserSession session = sessionCookie == null ? null : refreshTokens.liveBrowserSession(sessionCookie).orElse(null);
        boolean confirmed = "yes".equals(single(parameters, "confirm"));
        if (session != null && hint == null && !confirmed) {
            // no client vouches for this request: any page could have sent the browser here, so the person decides
            return new AskFirst(new Page(200, pages.confirmLogout(client == null ? null : client.name(), clientId, redirectUri,
                    state), null, null));
        }
        if (session != null && (sid == null || sid.equals(session.id().toString()))) {
            String endedClient = client == null ? null : client.id().toString();
            sessions.endBrowserSession(session.userId(), session.id()).ifPresent(ended -> {
                SecurityEvent event = SecurityEvent.of(SecurityEventType.OAUTH_LOGOUT, ended.tenantId())
                        .actor(ended.userId()).subjectUser(ended.userId()).detail("session_id", ended.sessionId().toString());
                securityEvents.record(endedClient == null ? event : event.detail("client_id", endedClient));
            });
        }
        // exactly a registered URI, never a prefix: an unverified one would be an open redirect
        boolean registered = redirectUri != null && client != null && client.postLogoutRedirectUris().contains(redirectUri);
        if (registered && !confirmed) {
            return new Redirect(SignInFlow.withQuery(redirectUri, "state", state));
        }
        // after the person's own confirmation (a form post), a link back: the page's form-action allows no other site
        return new Page(200, pages.signedOut(registered ? SignInFlow.withQuery(redirectUri, "state", state).toString() : null,
                client == null ? null : client.name()), null, null);
    }

    private static String single(MultivaluedMap<String, String> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty() || values.getFirst().isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw refused(name + " is given more than once.");
        }
        return values.getFirst();
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(ProblemType.INVALID_LOGOUT_REQUEST, detail);
    }
}
