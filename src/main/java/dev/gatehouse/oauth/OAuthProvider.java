package dev.gatehouse.oauth;

import java.time.Duration;

/**
 * One configured identity provider. With an {@code issuer} it is an OpenID Connect provider: endpoints not
 * configured explicitly come from its discovery document, and the identity from its ID token. Without one
 * it is a plain OAuth 2 provider whose identity comes from its userinfo endpoint (and, for GitHub, its
 * list of verified emails). The client secret is never logged or shown.
 */
public record OAuthProvider(
        String name,
        String clientId,
        String clientSecret,
        String issuer,
        String authorizeUrl,
        String tokenUrl,
        String userinfoUrl,
        String emailsUrl,
        String scopes,
        Duration connectTimeout,
        Duration readTimeout) {

    public boolean openIdConnect() {
        return issuer != null;
    }

    @Override
    public String toString() {
        return "OAuthProvider[" + name + ", client " + clientId + "]";
    }
}
