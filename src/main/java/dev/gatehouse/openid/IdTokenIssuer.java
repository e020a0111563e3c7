package dev.gatehouse.openid;

import dev.gatehouse.caller.TokenClaims;
import dev.gatehouse.tenants.TenantSummary;
import dev.gatehouse.tokens.AccessTokens;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * ID tokens (OpenID Connect Core §2), signed like the access tokens by the current signing key, so that the
 * JWKS that verifies one verifies the other. iss is the provider's issuer URL; aud and azp the client; sid the
 * hosted page's sign-in session, the one every client of that browser shares (what back-channel logout names);
 * acr "mfa" when a second factor was passed, else "pwd" after a password, "federated" after an upstream provider.
 */
@ApplicationScoped
public class IdTokenIssuer {

    @Inject
    AccessTokens accessTokens;

    String issue(String issuer, UUID clientId, User user, TenantSummary tenant, AuthorizationCodes.Grant grant) {
        long now = Instant.now().getEpochSecond();
        JsonArrayBuilder amr = Json.createArrayBuilder();
        List<String> methods = List.of(grant.amr().split(" "));
        methods.stream().filter(method -> !method.isEmpty()).forEach(amr::add);
        JsonObjectBuilder claims = Json.createObjectBuilder()
                .add("iss", issuer)
                .add("sub", grant.userId().toString())
                .add("aud", clientId.toString())
                .add("azp", clientId.toString())
                .add("iat", now)
                .add("exp", now + accessTokens.lifetimeSeconds())
                .add(TokenClaims.AUTH_TIME, grant.authenticatedAt().getEpochSecond())
                .add(TokenClaims.AMR, amr)
                .add("acr", methods.contains(AuthorizationRequest.MFA) ? "mfa" : methods.contains("pwd") ? "pwd" : "federated")
                .add(TokenClaims.SESSION, grant.browserSession().toString())
                .add(TokenClaims.TENANT, tenant.id().toString())
                .add("tenant_slug", tenant.slug());
        if (grant.nonce() != null) {
            claims.add("nonce", grant.nonce());
        }
        List<String> scopes = List.of(grant.scope().split(" "));
        if (scopes.contains("email")) {
            claims.add("email", user.email()).add("email_verified", user.emailVerified());
        }
        if (scopes.contains("profile") && user.fullName() != null) {
            claims.add("name", user.fullName());
        }
        return accessTokens.sign(claims);
    }
}
