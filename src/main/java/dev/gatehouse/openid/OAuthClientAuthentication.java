package dev.gatehouse.openid;

import com.nimbusds.jose.jwk.JWK;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.platform.requestlog.RequestContext;
import dev.gatehouse.serviceaccounts.ClientAssertions;
import dev.gatehouse.serviceaccounts.ClientAuthenticator.ClientAuthentication;
import dev.gatehouse.serviceaccounts.TokenEndpointError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Authenticates an OAuth client of the OpenID Provider at the token and revocation endpoints: a public one by its
 * client_id alone (PKCE, not a secret, protects its codes), a confidential one by its secret (HTTP Basic or in
 * the form) or by an assertion signed with one of its registered keys (private_key_jwt). Wrong secrets are counted per client and address as the service accounts' are; callers run inside
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

    @Inject
    SignInFlow flow;

    /** The active client; any failure is the same invalid_client (401). */
    OAuthClients.Client authenticate(ClientAuthentication authentication) {
        String clientId = authentication.clientId() != null || authentication.assertion() == null ? authentication.clientId()
                : String.valueOf(ClientAssertions.claimedClient(authentication.assertion()));
        OAuthClients.Client client = clients.find(clientId).filter(OAuthClients.Client::active)
                .orElseThrow(TokenEndpointError::invalidClient);
        if (!client.confidential()) {
            if (authentication.secret() != null || authentication.assertion() != null) {
                throw TokenEndpointError.invalidClient();
            }
            return client;
        }
        if (authentication.secret() == null && authentication.assertion() == null) {
            throw TokenEndpointError.invalidClient();
        }
        LoginAttempts.Attempt attempt = attempts.claim("client:" + client.id() + "@" + Objects.toString(request.clientAddress(), ""));
        attempt.requireAllowed();
        boolean authenticated = authentication.assertion() == null
                ? clients.secretMatches(client.id(), authentication.secret())
                : assertionVerifies(client, authentication.assertion());
        if (!authenticated) {
            attempts.failed(attempt, SecurityEvent.of(SecurityEventType.OAUTH_CLIENT_AUTHENTICATION_FAILED, null).actor(null)
                    .failed().detail("client_id", client.id().toString())
                    .detail("method", authentication.assertion() == null ? "client_secret" : "private_key_jwt"));
            throw TokenEndpointError.invalidClient();
        }
        attempts.succeeded(attempt);
        return client;
    }

    /**
     * private_key_jwt: signed by one of the client's registered keys, for this provider (aud its issuer, or the
     * token or revocation endpoint's public URL), and never seen before.
     */
    private boolean assertionVerifies(OAuthClients.Client client, String assertion) {
        String issuer = flow.issuer();
        return ClientAssertions.verify(assertion, client.keys(), JWK::toJSONString,
                        List.of(issuer, issuer + "/api/v1/oauth/token", issuer + "/api/v1/oauth/revoke"), Instant.now())
                .filter(verified -> client.id().equals(ClientAssertions.claimedClient(assertion)))
                .filter(verified -> clients.firstUseOf(client.id(), verified.jti(), verified.expiresAt()))
                .isPresent();
    }
}
