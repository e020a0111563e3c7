package dev.gatehouse.serviceaccounts;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.ProblemException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Client authentication by a signed JWT (RFC 7523 §2.2, OpenID Connect's private_key_jwt), parsed and checked
 * with Nimbus JOSE + JWT: iss and sub are the client_id, aud names this server, exp is near, jti is new, and the
 * signature verifies with one of the client's registered keys (RS256, PS256 or ES256; never "none" or HMAC, which
 * a public key cannot check). The clients are service accounts and the OpenID Provider's OAuth clients.
 */
public final class ClientAssertions {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    private static final Duration SKEW = Duration.ofSeconds(60);
    /** An assertion lives minutes: one that claims longer would make the replay table a store of the client's choosing. */
    private static final Duration LONGEST_LIFETIME = Duration.ofMinutes(10);

    /** An assertion that passed: the key (a credential, for a service account) it was verified with, and the id that may not come again. */
    public record Verified<K>(K key, String jti, Instant expiresAt) {
    }

    private ClientAssertions() {
    }

    /** The client_id an assertion claims (its sub), before anything is verified: to find its keys. Null when unreadable. */
    public static UUID claimedClient(String assertion) {
        try {
            return Ids.parseOrNull(SignedJWT.parse(assertion).getJWTClaimsSet().getSubject());
        } catch (ParseException e) {
            return null;
        }
    }

    /**
     * The assertion verified against the client's keys ({@code jwkOf} gives each one's JWK JSON) and the audiences
     * this server answers to; empty when it fails.
     */
    public static <K> Optional<Verified<K>> verify(String assertion, List<K> keys, Function<K, String> jwkOf,
                                                   Collection<String> audiences, Instant now) {
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (claims.getSubject() == null || !claims.getSubject().equals(claims.getIssuer()) || claims.getJWTID() == null
                    || claims.getJWTID().length() > 200 || claims.getAudience().stream().noneMatch(audiences::contains)
                    || !timely(claims, now)) {
                return Optional.empty();
            }
            String kid = jwt.getHeader().getKeyID();
            boolean elliptic = JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm());
            for (K key : keys) {
                JWK jwk = JWK.parse(jwkOf.apply(key));
                if ((kid == null || kid.equals(jwk.getKeyID())) && (jwk instanceof ECKey) == elliptic
                        && jwt.verify(verifierFor(jwk))) {
                    return Optional.of(new Verified<>(key, claims.getJWTID(), claims.getExpirationTime().toInstant()));
                }
            }
            return Optional.empty();
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean timely(JWTClaimsSet claims, Instant now) {
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().isAfter(now.minus(SKEW)) || exp.toInstant().isAfter(now.plus(LONGEST_LIFETIME))) {
            return false;
        }
        Date nbf = claims.getNotBeforeTime();
        Date iat = claims.getIssueTime();
        return (nbf == null || !nbf.toInstant().isAfter(now.plus(SKEW))) && (iat == null || !iat.toInstant().isAfter(now.plus(SKEW)));
    }

    private static JWSVerifier verifierFor(JWK jwk) throws JOSEException {
        return jwk instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) jwk);
    }

    /**
     * A key a service account may register: RSA of 2048 bits or more, or EC P-256; public members only. Answers it
     * with a kid (its own, or its RFC 7638 thumbprint); 422 otherwise.
     */
    public static JWK acceptablePublicKey(Map<String, Object> members) {
        JWK jwk;
        try {
            jwk = JWK.parse(members);
        } catch (ParseException | RuntimeException e) {
            throw ProblemException.invalidField("jwk", "is not a JSON Web Key (RFC 7517)");
        }
        if (jwk.isPrivate()) {
            throw ProblemException.invalidField("jwk", "must hold the public key only");
        }
        if (jwk.getKeyID() != null && jwk.getKeyID().length() > 200) {
            throw ProblemException.invalidField("jwk", "kid must be 200 characters at most");
        }
        boolean acceptable = jwk instanceof RSAKey rsa ? rsa.size() >= 2048
                : jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
        if (!acceptable) {
            throw ProblemException.invalidField("jwk", "must be an RSA key of 2048 bits or more, or an EC key on P-256");
        }
        try {
            if (jwk.getKeyID() != null) {
                return jwk.toPublicJWK();
            }
            return jwk instanceof RSAKey rsa ? new RSAKey.Builder(rsa).keyIDFromThumbprint().build().toPublicJWK()
                    : new ECKey.Builder((ECKey) jwk).keyIDFromThumbprint().build().toPublicJWK();
        } catch (JOSEException e) {
            throw ProblemException.invalidField("jwk", "is not a usable key");
        }
    }
}
