package dev.gatehouse.sso;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The key a SAML connection signs its AuthnRequests with, and the self-signed certificate its SP metadata
 * publishes for it (what an IdP that requires signed requests checks them with). One per connection, made with
 * it; the private key is kept sealed (SsoConnections). Never logged (toString names the certificate only).
 */
public record SamlSpKey(PrivateKey privateKey, X509Certificate certificate) {

    /** Long enough to outlive the connection: IdPs do not check an SP certificate's dates, they pin it. */
    private static final Duration VALIDITY = Duration.ofDays(3650);

    /** A new RSA-2048 key and its certificate, subject "CN=" + {@code name}. */
    static SamlSpKey generate(String name) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            X500Principal subject = new X500Principal("CN=" + name.replaceAll("[^A-Za-z0-9 ._-]", "_"));
            Instant now = Instant.now();
            byte[] der = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())).getEncoded();
            return new SamlSpKey(pair.getPrivate(), certificate(der));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a SAML signing key", e);
        }
    }

    /** From what SsoConnections stores: the private key's PKCS#8 bytes and the certificate's DER. */
    static SamlSpKey of(byte[] pkcs8, byte[] certificateDer) {
        try {
            return new SamlSpKey(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)),
                    certificate(certificateDer));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored SAML signing key cannot be read", e);
        }
    }

    private static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    @Override
    public String toString() {
        return "SamlSpKey[" + certificate.getSubjectX500Principal() + "]";
    }
}
