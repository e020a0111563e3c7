package dev.gatehouse.sso;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a SAML connection says about both sides: this service provider's entity id and assertion consumer
 * service URL, the IdP's entity id and SSO URL, its signing certificates (one, or two during a rollover) and
 * the clock skew allowed on the assertion's times (at most {@link #MAX_CLOCK_SKEW}); {@code spKey}, when given,
 * signs the AuthnRequests and is published in the SP metadata.
 */
public record SamlSettings(String spEntityId, String acsUrl, String idpEntityId, String idpSsoUrl,
                           List<X509Certificate> idpCertificates, Duration clockSkew, SamlSpKey spKey) {

    /** A larger skew would let an old assertion be replayed that much longer. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    public SamlSettings {
        Objects.requireNonNull(spEntityId, "spEntityId");
        Objects.requireNonNull(acsUrl, "acsUrl");
        Objects.requireNonNull(idpEntityId, "idpEntityId");
        Objects.requireNonNull(idpSsoUrl, "idpSsoUrl");
        Objects.requireNonNull(clockSkew, "clockSkew");
        idpCertificates = List.copyOf(idpCertificates);
        if (idpCertificates.isEmpty() || idpCertificates.size() > 2) {
            throw new IllegalArgumentException("one or two IdP certificates, not " + idpCertificates.size());
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew between 0 and " + MAX_CLOCK_SKEW + ", not " + clockSkew);
        }
    }

    /** Without a signing key: unsigned AuthnRequests. */
    public SamlSettings(String spEntityId, String acsUrl, String idpEntityId, String idpSsoUrl,
                        List<X509Certificate> idpCertificates, Duration clockSkew) {
        this(spEntityId, acsUrl, idpEntityId, idpSsoUrl, idpCertificates, clockSkew, null);
    }
}
