package dev.gatehouse.tokens;

import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.TokenClaims;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Issues the RS256 access tokens that MicroProfile JWT verifies: iss, aud, sub (the user id), upn,
 * tenant_id, groups, iat, exp, jti, sid (the session: its refresh-token family), so that ending a session
 * ends its access tokens, token_version, which lets logout-all and deactivation refuse tokens issued
 * before them, auth_time (the sign-in's time), and amr (RFC 8176: pwd, otp, mfa) when the session's
 * methods are known.
 */
@ApplicationScoped
public class AccessTokens {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    @Inject
    @ConfigProperty(name = "gatehouse.jwt.access-token-minutes")
    int lifetimeMinutes;

    @Inject
    @ConfigProperty(name = JwtConfigSource.ISSUER_KEY)
    String issuer;

    @Inject
    @ConfigProperty(name = JwtConfigSource.AUDIENCE_KEY)
    String audience;

    private SigningKeys keys;
    private String encodedHeader;

    @PostConstruct
    void init() {
        keys = SigningKeys.get();
        String header = Json.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").add("kid", keys.keyId()).build().toString();
        encodedHeader = BASE64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8));
    }

    public long lifetimeSeconds() {
        return lifetimeMinutes * 60L;
    }

    /**
     * {@code amr}: the session's authentication methods, space separated; no claim when empty (OAuth).
     * {@code authenticatedAt}: when the person signed in (claim auth_time, as OpenID Connect's ID token has it).
     */
    public String issue(UUID userId, UUID tenantId, UUID sessionId, int tokenVersion, Collection<String> groups,
                        String amr, Instant authenticatedAt) {
        JsonObjectBuilder claims = claims(userId, tenantId, sessionId, tokenVersion, groups)
                .add(TokenClaims.AUTH_TIME, authenticatedAt.getEpochSecond());
        if (!amr.isEmpty()) {
            JsonArrayBuilder methods = Json.createArrayBuilder();
            for (String method : amr.split(" ")) {
                methods.add(method);
            }
            claims.add(TokenClaims.AMR, methods);
        }
        return signed(claims);
    }

    /**
     * A service account's token (the client-credentials grant): sub and client_id (RFC 9068) are the account,
     * sid the credential it authenticated with, so that revoking the credential ends the token; token_version
     * is {@link CallerView#SERVICE_ACCOUNT_TOKEN_VERSION}; no auth_time or amr, as no person signed in.
     */
    public String issueForServiceAccount(UUID serviceAccountId, UUID tenantId, UUID credentialId, Collection<String> groups) {
        return signed(claims(serviceAccountId, tenantId, credentialId, CallerView.SERVICE_ACCOUNT_TOKEN_VERSION, groups)
                .add(TokenClaims.CLIENT_ID, serviceAccountId.toString()));
    }

    /** The claims of every access token: issuer, audience, subject, tenant, session, roles, version, times, id. */
    private JsonObjectBuilder claims(UUID subject, UUID tenantId, UUID sessionId, int tokenVersion, Collection<String> groups) {
        JsonArrayBuilder groupArray = Json.createArrayBuilder();
        groups.forEach(groupArray::add);
        long iat = Instant.now().getEpochSecond();
        return Json.createObjectBuilder()
                .add("iss", issuer)
                .add("aud", audience)
                .add("sub", subject.toString())
                .add("upn", subject.toString())
                .add(TokenClaims.TENANT, tenantId.toString())
                .add(TokenClaims.SESSION, sessionId.toString())
                .add("groups", groupArray)
                .add(TokenClaims.TOKEN_VERSION, tokenVersion)
                .add("iat", iat)
                .add("exp", iat + lifetimeSeconds())
                .add("jti", UUID.randomUUID().toString());
    }

    private String signed(JsonObjectBuilder claims) {
        String signingInput = encodedHeader + "." + BASE64URL.encodeToString(claims.build().toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + BASE64URL.encodeToString(sign(signingInput));
    }

    private byte[] sign(String signingInput) {
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return rsa.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign an access token", e);
        }
    }
}
