package dev.gatehouse.sessions;

import java.util.UUID;

/**
 * The OAuth client a session was started for (openid/: the authorization-code grant), and the hosted sign-in
 * page's session it came from. Its refresh tokens are refused to anyone but that client; v1 sessions have none.
 */
public record OAuthClientBinding(UUID clientId, UUID browserSession) {

    /** The binding of a row's columns: null for a session of no client. */
    static OAuthClientBinding of(UUID clientId, UUID browserSession) {
        return clientId == null ? null : new OAuthClientBinding(clientId, browserSession);
    }
}
