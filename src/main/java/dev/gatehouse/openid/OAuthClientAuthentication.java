package dev.gatehouse.openid;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.platform.requestlog.RequestContext;
import dev.gatehouse.serviceaccounts.ClientAuthenticator.ClientAuthentication;
import dev.gatehouse.serviceaccounts.TokenEndpointError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Objects;

/**
 * Authenticates an OAuth client of the OpenID Provider at the token and revocation endpoints: a public one by its
 * client_id alone (PKCE, not a secret, protects its codes), a confidential one by its secret (HTTP Basic or in
 * the form). Wrong secrets are counted per client and address as the service accounts' are; callers run inside
 * a transaction that commits the count when it refuses.
 */
@ApplicationScoped
public class OAuthClientAuthentication {

    @Inject
    OAuthClients clients;

    @Inject
    LoginAttempts attempts;

    @Inject
    RequestContext request;

    /** The active client; any failure is the same invalid_client (401). */
    OAuthClients.Client authenticate(ClientAuthentication authentication) {
        OAuthClients.Client client = clients.find(authentication.clientId()).filter(OAuthClients.Client::active)
                .orElseThrow(TokenEndpointError::invalidClient);
        if (authentication.assertion() != null) {
            throw TokenEndpointError.invalidClient(); // private_key_jwt: service accounts only, so far
        }
        if (!client.confidential()) {
            if (authentication.secret() != null) {
                throw TokenEndpointError.invalidClient();
            }
            return client;
        }
        if (authentication.secret() == null) {
            throw TokenEndpointError.invalidClient();
        }
        LoginAttempts.Attempt attempt = attempts.claim("client:" + client.id() + "@" + Objects.toString(request.clientAddress(), ""));
        attempt.requireAllowed();
        if (!clients.secretMatches(client.id(), authentication.secret())) {
            attempts.failed(attempt, SecurityEvent.of(SecurityEventType.OAUTH_CLIENT_AUTHENTICATION_FAILED, null).actor(null)
                    .failed().detail("client_id", client.id().toString()));
            throw TokenEndpointError.invalidClient();
        }
        attempts.succeeded(attempt);
        return client;
    }
}
