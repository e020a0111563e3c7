package dev.gatehouse.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.caller.VerificationKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Kids and JWKs of both algorithms as a JOSE library not written here computes and reads them, and an ES256
 * signature in the form JWS wants (R || S), which the integration suite, running RS256, does not sign.
 */
class SigningKeysTest {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    @Test
    void anRsaKeysKidAndJwkAreWhatNimbusMakesOfIt() throws Exception {
        KeyPair pair = SigningKeys.generate("RS256");
        String kid = SigningKeys.keyId(pair.getPublic());
        JWK jwk = JWK.parse(SigningKeys.jwk(published(kid, "RS256", pair)).toString());
        assertEquals(kid, jwk.computeThumbprint().toString());
        assertTrue(JWSObject.parse(signed(kid, "RS256", "SHA256withRSA", pair)).verify(new RSASSAVerifier((RSAKey) jwk)));
    }

    @Test
    void anEs256KeysKidJwkAndSignatureAreWhatNimbusMakesOfThem() throws Exception {
        for (int i = 0; i < 20; i++) { // coordinates with a leading zero byte come up now and then: padded to 32
            KeyPair pair = SigningKeys.generate("ES256");
            String kid = SigningKeys.keyId(pair.getPublic());
            ECKey jwk = (ECKey) JWK.parse(SigningKeys.jwk(published(kid, "ES256", pair)).toString());
            assertEquals(kid, jwk.computeThumbprint().toString());
            assertEquals("P-256", jwk.getCurve().getName());
            assertTrue(JWSObject.parse(signed(kid, "ES256", "SHA256withECDSAinP1363Format", pair)).verify(new ECDSAVerifier(jwk)));
        }
    }

    @Test
    void theJwksIsCachedForAQuarterOfTheNextKeysPublicationAndAtMostAnHour() {
        assertEquals(3600, JwksResource.cacheSeconds(24));
        assertEquals(900, JwksResource.cacheSeconds(1));
        assertEquals(60, JwksResource.cacheSeconds(0));
    }

    private static VerificationKeys.PublishedKey published(String kid, String algorithm, KeyPair pair) {
        return new VerificationKeys.PublishedKey(kid, algorithm, "current", pair.getPublic(), null);
    }

    private static String signed(String kid, String alg, String jcaName, KeyPair pair) throws Exception {
        String header = BASE64URL.encodeToString(("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.UTF_8));
        String input = header + "." + BASE64URL.encodeToString("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance(jcaName);
        signature.initSign(pair.getPrivate());
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + BASE64URL.encodeToString(signature.sign());
    }
}
