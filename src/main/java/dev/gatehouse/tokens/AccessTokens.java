package dev.gatehouse.tokens;

import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.TokenClaims;
import dev.gatehouse.caller.VerificationKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Issues the access tokens (signed RS256 or ES256 with the current signing key, its kid in the header) that
 * caller/VerifiedTokenCache verifies: iss, aud, sub (the user id), upn,
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

    @Inject
    VerificationKeys verificationKeys;

    @Inject
    SigningKeyStore store;

    /** The private key that signs, with its kid and algorithm: read once after each rotation. */
    record SigningKey(String kid, String algorithm, PrivateKey privateKey, String encodedHeader) {

        SigningKey(String kid, String algorithm, PrivateKey privateKey) {
            this(kid, algorithm, privateKey, headerOf(algorithm, "JWT", kid));
        }
    }

    private volatile SigningKey signing;

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
        return sign(claims);
    }

    /**
     * A service account's token (the client-credentials grant): sub and client_id (RFC 9068) are the account,
     * sid the credential it authenticated with, so that revoking the credential ends the token; token_version
     * is {@link CallerView#SERVICE_ACCOUNT_TOKEN_VERSION}; no auth_time or amr, as no person signed in.
     */
    public String issueForServiceAccount(UUID serviceAccountId, UUID tenantId, UUID credentialId, Collection<String> groups) {
        return sign(claims(serviceAccountId, tenantId, credentialId, CallerView.SERVICE_ACCOUNT_TOKEN_VERSION, groups)
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

    /** A token with these claims, signed by the current key: access tokens, and openid/'s ID tokens. */
    public String sign(JsonObjectBuilder claims) {
        SigningKey key = currentKey();
        return signed(key.encodedHeader(), key, claims);
    }

    /**
     * A token of another type (its header's typ, say logout+jwt: a token a verifier of another type must refuse)
     * signed by the current key.
     */
    public String sign(String typ, JsonObjectBuilder claims) {
        SigningKey key = currentKey();
        return signed(headerOf(key.algorithm(), typ, key.kid()), key, claims);
    }

    /** The JWS header, base64url: alg, typ, kid. */
    private static String headerOf(String algorithm, String typ, String kid) {
        return BASE64URL.encodeToString(Json.createObjectBuilder().add("alg", algorithm).add("typ", typ).add("kid", kid)
                .build().toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String signed(String encodedHeader, SigningKey key, JsonObjectBuilder claims) {
        String signingInput = encodedHeader + "." + BASE64URL.encodeToString(claims.build().toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + BASE64URL.encodeToString(sign(key, signingInput));
    }

    /** The key the key set says is current: no SQL unless it changed since the last token. */
    private SigningKey currentKey() {
        String kid = verificationKeys.currentKid();
        SigningKey key = signing;
        if (key == null || !key.kid().equals(kid)) {
            key = store.signingKey(kid);
            signing = key;
        }
        return key;
    }

    private static byte[] sign(SigningKey key, String signingInput) {
        try {
            // JWS ES256 wants R || S (IEEE P1363), not the DER the plain ECDSA signature gives
            Signature signature = Signature.getInstance(key.algorithm().equals("ES256") ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
            signature.initSign(key.privateKey());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign an access token", e);
        }
    }
}
