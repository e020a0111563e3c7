package dev.gatehouse.sso;

import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sso.ConnectionRecords.AttributeNames;
import dev.gatehouse.sso.ConnectionRecords.ConnectionRequest;
import dev.gatehouse.sso.ConnectionRecords.OidcSettings;
import dev.gatehouse.sso.ConnectionRecords.SamlIdp;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a connection request must say, checked before anything is written: the protocol's own settings, URLs
 * that are https (plain http only to this machine, for a test IdP), certificates that parse, role ids.
 */
final class ConnectionRules {

    /** The subject's NameID, for a SAML connection whose IdP sends the email there rather than in an attribute. */
    static final String NAME_ID = "NameID";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

    private ConnectionRules() {
    }

    /** The request as it is stored. */
    record Checked(String oidcIssuer, String oidcClientId, String oidcClientSecret, String oidcScopes,
                   String samlEntityId, String samlSsoUrl, String samlCertificatesPem, AttributeNames attributes,
                   List<UUID> defaultRoleIds, Map<String, List<UUID>> groupRoles) {
    }

    /** {@code creating}: a new OIDC connection needs its client secret; a replaced one may keep the stored one. */
    static Checked check(ConnectionRequest request, boolean creating) {
        List<UUID> defaultRoles = roleIds("default_role_ids", request.defaultRoleIds());
        Map<String, List<UUID>> groupRoles = new LinkedHashMap<>();
        if (request.groupRoles() != null) {
            request.groupRoles().forEach((group, roles) -> groupRoles.put(group.strip(), roleIds("group_roles", roles)));
        }
        AttributeNames given = request.attributes() == null ? new AttributeNames(null, null, null) : request.attributes();
        if (SsoConnection.OIDC.equals(request.protocol())) {
            OidcSettings oidc = request.oidc();
            if (oidc == null) {
                throw ProblemException.invalidField("oidc", "is required for an OIDC connection");
            }
            if (creating && (oidc.clientSecret() == null || oidc.clientSecret().isBlank())) {
                throw ProblemException.invalidField("oidc.client_secret", "is required");
            }
            String scopes = oidc.scopes() == null || oidc.scopes().isBlank() ? "openid email profile" : oidc.scopes().strip();
            if (!List.of(scopes.split(" +")).contains("openid")) {
                throw ProblemException.invalidField("oidc.scopes", "must include openid");
            }
            String issuer = url("oidc.issuer", oidc.issuer()).toString();
            AttributeNames names = new AttributeNames(or(given.email(), "email"), or(given.name(), "name"), blankToNull(given.groups()));
            return new Checked(issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer,
                    oidc.clientId().strip(), blankToNull(oidc.clientSecret()), scopes, null, null, null, names,
                    defaultRoles, groupRoles);
        }
        SamlIdp saml = request.saml();
        if (saml == null) {
            throw ProblemException.invalidField("saml", "is required for a SAML connection");
        }
        if (saml.metadataXml() != null && !saml.metadataXml().isBlank()) {
            saml = fromMetadata(saml.metadataXml());
        }
        if (saml.entityId() == null || saml.entityId().isBlank()) {
            throw ProblemException.invalidField("saml.entity_id", "is required");
        }
        if (saml.certificates() == null || saml.certificates().isEmpty() || saml.certificates().size() > 2) {
            throw ProblemException.invalidField("saml.certificates", "needs the IdP's signing certificate (two during a rollover)");
        }
        String pem = String.join("\n", saml.certificates().stream().map(String::strip).toList());
        if (certificates(pem).size() != saml.certificates().size()) {
            throw ProblemException.invalidField("saml.certificates", "each must be one PEM certificate");
        }
        AttributeNames names = new AttributeNames(or(given.email(), NAME_ID), blankToNull(given.name()), blankToNull(given.groups()));
        return new Checked(null, null, null, null, saml.entityId().strip(), url("saml.sso_url", saml.ssoUrl()).toString(), pem, names,
                defaultRoles, groupRoles);
    }

    /** The IdP's side as its metadata says (parsed without DTDs, as responses are): 422 with the reason otherwise. */
    private static SamlIdp fromMetadata(String xml) {
        try {
            SamlIdpMetadata metadata = SamlIdpMetadata.parse(xml);
            List<String> pems = new ArrayList<>();
            for (X509Certificate certificate : metadata.signingCertificates()) {
                pems.add("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----");
            }
            return new SamlIdp(null, null, metadata.entityId(), metadata.ssoUrl(), pems);
        } catch (SamlRejected e) {
            throw ProblemException.invalidField("saml.metadata_xml", e.reason());
        } catch (CertificateEncodingException e) {
            throw ProblemException.invalidField("saml.metadata_xml", "a certificate that cannot be encoded");
        }
    }

    /** The PEM certificates in this text, parsed; 422 for one that does not parse. */
    static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        if (pem == null) {
            return certificates;
        }
        Matcher matcher = PEM.matcher(pem);
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (matcher.find()) {
                byte[] der = Base64.getMimeDecoder().decode(matcher.group(1).getBytes(StandardCharsets.US_ASCII));
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw ProblemException.invalidField("saml.certificates", "not a PEM X.509 certificate");
        }
        return certificates;
    }

    /** https, or http to this machine only (a test IdP); nothing else. */
    static URI url(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalidField(field, "is required");
        }
        try {
            URI uri = new URI(value.strip());
            boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
            if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback)) {
                throw ProblemException.invalidField(field, "must be an https URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw ProblemException.invalidField(field, "must be an https URL");
        }
    }

    private static List<UUID> roleIds(String field, List<String> values) {
        List<UUID> ids = new ArrayList<>();
        for (String value : values == null ? List.<String>of() : values) {
            UUID id = Ids.parseOrNull(value);
            if (id == null) {
                throw ProblemException.invalidField(field, "must hold role ids");
            }
            ids.add(id);
        }
        return ids;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
