package dev.gatehouse.serviceaccounts;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.platform.http.RateLimits;
import dev.gatehouse.platform.http.RetryLater;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.serviceaccounts.ClientAuthenticator.ClientAuthentication;
import dev.gatehouse.serviceaccounts.ServiceAccountCredentials.Client;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.TokenAnswer;
import dev.gatehouse.tokens.AccessTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The OAuth 2 client-credentials grant (RFC 6749 §4.4) for service accounts: the client authenticates
 * ({@link ClientAuthenticator}: a client secret or a signed assertion), and gets an access token that resource
 * servers verify like a person's, naming the tenant, the account and its roles; no refresh token.
 */
@ApplicationScoped
public class ClientCredentialsGrant {

    @Inject
    ClientAuthenticator clients;

    @Inject
    AccessTokens accessTokens;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    RateLimits rateLimits;

    /**
     * Authenticates the client and issues its token. {@code tokenEndpoint}: this endpoint's URL as the client
     * reached it, which an assertion's aud may name instead of the issuer. Commits what it counted when it
     * refuses, as a login does.
     */
    @Transactional(dontRollbackOn = TokenEndpointError.class)
    public TokenAnswer grant(ClientAuthentication authentication, String tokenEndpoint) {
        requireWithinClientLimit(authentication.claimedClientId());
        Client authenticated = clients.authenticateServiceAccount(authentication, List.of(tokenEndpoint));
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
