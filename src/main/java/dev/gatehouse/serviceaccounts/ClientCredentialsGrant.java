package dev.gatehouse.serviceaccounts;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.http.RateLimits;
import dev.gatehouse.platform.http.RetryLater;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.platform.requestlog.RequestContext;
import dev.gatehouse.serviceaccounts.ServiceAccountCredentials.Client;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.TokenAnswer;
import dev.gatehouse.tokens.AccessTokens;
import dev.gatehouse.tokens.JwtConfigSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The OAuth 2 client-credentials grant (RFC 6749 §4.4) for service accounts: the client authenticates with a
 * client secret or a signed assertion, and gets an access token that resource servers verify like a person's,
 * naming the tenant, the account and its roles; no refresh token. Wrong secrets are counted per client and
 * address as wrong passwords are ({@link LoginAttempts}); the count is never across addresses, so nobody can
 * throttle a machine from elsewhere by guessing at its client_id.
 */
@ApplicationScoped
public class ClientCredentialsGrant {

    /** How the client authenticated: a secret (Basic or in the form) or an assertion, and the client_id it named. */
    public record ClientAuthentication(String clientId, String secret, String assertion) {
    }

    @Inject
    ServiceAccountCredentials credentials;

    @Inject
    LoginAttempts attempts;

    @Inject
    AccessTokens accessTokens;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    RateLimits rateLimits;

    @Inject
    RequestContext request;

    @Inject
    @ConfigProperty(name = JwtConfigSource.ISSUER_KEY)
    String issuer;

    /**
     * Authenticates the client and issues its token. {@code tokenEndpoint}: this endpoint's URL as the client
     * reached it, which an assertion's aud may name instead of the issuer. Commits what it counted when it
     * refuses, as a login does.
     */
    @Transactional(dontRollbackOn = TokenEndpointError.class)
    public TokenAnswer grant(ClientAuthentication authentication, String tokenEndpoint) {
        UUID clientId = authentication.assertion() != null
                ? ClientAssertions.claimedClient(authentication.assertion()) : Ids.parseOrNull(authentication.clientId());
        if (clientId == null || authentication.clientId() != null && !authentication.clientId().equals(clientId.toString())) {
            throw TokenEndpointError.invalidClient();
        }
        requireWithinClientLimit(clientId);
        LoginAttempts.Attempt attempt = attempts.claim("client:" + clientId + "@" + Objects.toString(request.clientAddress(), ""));
        attempt.requireAllowed();
        Optional<Client> client = authentication.assertion() == null
                ? credentials.bySecret(clientId, authentication.secret())
                : ClientAssertions.verify(authentication.assertion(), credentials.publicKeys(clientId),
                                List.of(issuer, tokenEndpoint), Instant.now())
                        .filter(verified -> credentials.firstUseOf(clientId, verified.jti(), verified.expiresAt()))
                        .map(ClientAssertions.Verified::client);
        if (client.isEmpty() || !client.get().usable()) {
            attempts.failed(attempt, SecurityEvent.of(SecurityEventType.SERVICE_ACCOUNT_AUTHENTICATION_FAILED,
                            client.map(Client::tenantId).orElse(null)).actor(null).failed()
                    .detail("client_id", clientId.toString())
                    .detail("method", authentication.assertion() == null ? "client_secret" : "private_key_jwt"));
            throw TokenEndpointError.invalidClient();
        }
        attempts.succeeded(attempt);
        Client authenticated = client.get();
        securityEvents.record(SecurityEvent.of(SecurityEventType.SERVICE_ACCOUNT_TOKEN_ISSUED, authenticated.tenantId())
                .actor(authenticated.serviceAccountId())
                .detail("service_account_id", authenticated.serviceAccountId().toString())
                .detail("credential_id", authenticated.credentialId().toString()));
        String token = accessTokens.issueForServiceAccount(authenticated.serviceAccountId(), authenticated.tenantId(),
                authenticated.credentialId(), authenticated.roles());
        return new TokenAnswer(token, "Bearer", accessTokens.lifetimeSeconds(), null);
    }

    /** gatehouse.rate-limit.client-token.per-minute tokens per client and instance, whatever its addresses. */
    private void requireWithinClientLimit(UUID clientId) {
        if (!rateLimits.enabled()) {
            return;
        }
        RateLimits.Outcome outcome = rateLimits.take("client-token", clientId.toString());
        if (!outcome.allowed()) {
            throw new RetryLater(ProblemType.RATE_LIMITED, "Too many token requests for this client. Try again later.",
                    outcome.resetSeconds(), Map.of());
        }
    }
}
