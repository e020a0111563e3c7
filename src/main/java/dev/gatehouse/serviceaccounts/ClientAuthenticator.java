package dev.gatehouse.serviceaccounts;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.requestlog.RequestContext;
import dev.gatehouse.serviceaccounts.ServiceAccountCredentials.Client;
import dev.gatehouse.tokens.JwtConfigSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Authenticates the client of an OAuth endpoint (the token endpoint, introspection) by a client secret
 * (client_secret_basic or client_secret_post) or a signed assertion (private_key_jwt, RFC 7523). Today every
 * client is a service account; {@link #authenticate} is where another kind of client would be told apart.
 * Wrong secrets and assertions are counted per client and address as wrong passwords are ({@link LoginAttempts});
 * the count is never across addresses, so nobody can throttle a machine from elsewhere by guessing at its
 * client_id. A failure is recorded as a security event and answered invalid_client.
 */
@ApplicationScoped
public class ClientAuthenticator {

    /** How the client authenticated: a secret (Basic or in the form) or an assertion, and the client_id it named. */
    public record ClientAuthentication(String clientId, String secret, String assertion) {

        /**
         * The client it claims to be, before anything is verified: the client_id, or an assertion's sub;
         * invalid_client when that is no client_id of ours or the two disagree.
         */
        UUID claimedClientId() {
            UUID id = assertion != null ? ClientAssertions.claimedClient(assertion) : Ids.parseOrNull(clientId);
            if (id == null || clientId != null && !clientId.equals(id.toString())) {
                throw TokenEndpointError.invalidClient();
            }
            return id;
        }
    }

    /** The kinds of client that authenticate at Gatehouse's OAuth endpoints. */
    public enum Kind {
        SERVICE_ACCOUNT
    }

    /** A client that has authenticated: its client_id, its kind, and the tenant it belongs to. */
    public record AuthenticatedClient(UUID id, Kind kind, UUID tenantId) {
    }

    @Inject
    ServiceAccountCredentials credentials;

    @Inject
    LoginAttempts attempts;

    @Inject
    RequestContext request;

    @Inject
    @ConfigProperty(name = JwtConfigSource.ISSUER_KEY)
    String issuer;

    /**
     * The client, authenticated. {@code endpoints}: the URLs an assertion's aud may name besides the issuer (the
     * endpoint as the client reached it). Commits what it counted when it refuses, as a login does.
     */
    @Transactional(dontRollbackOn = TokenEndpointError.class)
    public AuthenticatedClient authenticate(ClientAuthentication authentication, Collection<String> endpoints) {
        Client client = authenticateServiceAccount(authentication, endpoints);
        return new AuthenticatedClient(client.serviceAccountId(), Kind.SERVICE_ACCOUNT, client.tenantId());
    }

    /** As {@link #authenticate}, for a service account: the credential it authenticated with, its roles, its state. */
    @Transactional(dontRollbackOn = TokenEndpointError.class)
    public Client authenticateServiceAccount(ClientAuthentication authentication, Collection<String> endpoints) {
        UUID clientId = authentication.claimedClientId();
        LoginAttempts.Attempt attempt = attempts.claim("client:" + clientId + "@" + Objects.toString(request.clientAddress(), ""));
        attempt.requireAllowed();
        List<String> audiences = new ArrayList<>(endpoints);
        audiences.add(issuer);
        Optional<Client> client = authentication.assertion() == null
                ? credentials.bySecret(clientId, authentication.secret())
                : ClientAssertions.verify(authentication.assertion(), credentials.publicKeys(clientId), Client::publicJwk,
                                audiences, Instant.now())
                        .filter(verified -> credentials.firstUseOf(clientId, verified.jti(), verified.expiresAt()))
                        .map(ClientAssertions.Verified::key);
        if (client.isEmpty() || !client.get().usable()) {
            attempts.failed(attempt, SecurityEvent.of(SecurityEventType.SERVICE_ACCOUNT_AUTHENTICATION_FAILED,
                            client.map(Client::tenantId).orElse(null)).actor(null).failed()
                    .detail("client_id", clientId.toString())
                    .detail("method", authentication.assertion() == null ? "client_secret" : "private_key_jwt"));
            throw TokenEndpointError.invalidClient();
        }
        attempts.succeeded(attempt);
        return client.get();
    }
}
