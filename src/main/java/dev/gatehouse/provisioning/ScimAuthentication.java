package dev.gatehouse.provisioning;

import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.http.RateLimits;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Base64;

/**
 * Authenticates a SCIM request by its bearer token (one statement: ScimTokens.directory) after taking a request
 * from the token's bucket (gatehouse.rate-limit.scim.per-minute). Before this, every SCIM resource has taken one
 * from its client address's bucket ({@link #ADDRESS_LIMIT}, RateLimitFilter): made-up tokens are one bucket
 * each, so only the address's budget bounds how many lookups a flood of them costs. The bucket is keyed by the token's SHA-256,
 * which is one bucket per credential without a database read, so a directory over its limit costs nothing
 * but this check. Any failure is a SCIM error: 401 for a missing, unknown, expired or revoked token (the same
 * answer for each), 429 with Retry-After over the limit.
 */
@Provider
@ScimAuthenticated
@Priority(Priorities.AUTHENTICATION)
public class ScimAuthentication implements ContainerRequestFilter {

    /** The per client address limit of every SCIM resource: gatehouse.rate-limit.scim-address.per-minute. */
    static final String ADDRESS_LIMIT = "scim-address";

    private static final String BEARER = "Bearer ";

    @Inject
    ScimTokens tokens;

    @Inject
    ScimCaller caller;

    @Inject
    RateLimits rateLimits;

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.length() == BEARER.length()) {
            throw new ScimException(401, null, "A SCIM token is required: Authorization: Bearer <token>.");
        }
        String token = header.substring(BEARER.length()).strip();
        if (rateLimits.enabled()) {
            String key = Base64.getEncoder().encodeToString(RandomTokens.sha256(token));
            RateLimits.Outcome outcome = rateLimits.take("scim", key);
            if (!outcome.allowed()) {
                request.abortWith(Response.fromResponse(ScimException.response(429, null,
                                "Too many requests with this token. Try again later."))
                        .header(HttpHeaders.RETRY_AFTER, outcome.resetSeconds()).build());
                return;
            }
        }
        caller.authenticated(tokens.directory(token)
                .orElseThrow(() -> new ScimException(401, null, "The SCIM token is unknown, expired or revoked.")));
    }
}
