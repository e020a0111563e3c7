package dev.gatehouse.sso;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Gatehouse as a SAML 2.0 service provider, SP-initiated Web Browser SSO: the AuthnRequest sent with the
 * HTTP-Redirect binding, the SP metadata, and the checks of the Response that comes back with the HTTP-POST
 * binding. Stateless: the caller keeps the request's ID and the used assertion ids.
 */
@ApplicationScoped
public class SamlServiceProvider {

    /** A response larger than this is refused before parsing (a real one is a few kilobytes). */
    static final int MAX_RESPONSE_CHARS = 256 * 1024;
    static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    /** The request ID is an xs:ID: a letter or underscore first (a random value needs a prefix). */
    private static final Pattern WHITESPACE = Pattern.compile("\\s");
    private static final Pattern XML_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,255}");

    /**
     * The HTTP-Redirect binding URL to the IdP's SSO service carrying a new AuthnRequest with this ID and RelayState,
     * signed when the settings hold the SP's key.
     */
    public URI authnRequest(SamlSettings s, String requestId, String relayState) {
        if (!XML_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("a request ID must be an xs:ID (a letter or _ first)");
        }
        Document document = SamlXml.newDocument();
        Element request = document.createElementNS(SamlXml.PROTOCOL, "samlp:AuthnRequest");
        document.appendChild(request);
        request.setAttributeNS(null, "ID", requestId);
        request.setAttributeNS(null, "Version", "2.0");
        request.setAttributeNS(null, "IssueInstant", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        request.setAttributeNS(null, "Destination", s.idpSsoUrl());
        request.setAttributeNS(null, "AssertionConsumerServiceURL", s.acsUrl());
        request.setAttributeNS(null, "ProtocolBinding", SamlXml.HTTP_POST);
        Element issuer = document.createElementNS(SamlXml.ASSERTION, "saml:Issuer");
        issuer.setTextContent(s.spEntityId());
        request.appendChild(issuer);
        Element policy = document.createElementNS(SamlXml.PROTOCOL, "samlp:NameIDPolicy");
        policy.setAttributeNS(null, "Format", SamlXml.EMAIL_FORMAT);
        policy.setAttributeNS(null, "AllowCreate", "true");
        request.appendChild(policy);

        String query = "SAMLRequest=" + urlEncode(Base64.getEncoder().encodeToString(deflate(SamlXml.write(document))))
                + (relayState == null ? "" : "&RelayState=" + urlEncode(relayState));
        if (s.spKey() != null) {
            query = signed(query, s.spKey());
        }
        return URI.create(s.idpSsoUrl() + (s.idpSsoUrl().contains("?") ? "&" : "?") + query);
    }

    /**
     * The SP's EntityDescriptor XML: entity id, ACS (HTTP-POST binding), WantAssertionsSigned=true, NameIDFormat
     * emailAddress, and with the SP's key AuthnRequestsSigned=true and its certificate as the signing KeyDescriptor.
     */
    public String metadata(SamlSettings s) {
        Document document = SamlXml.newDocument();
        Element entity = document.createElementNS(SamlXml.METADATA, "md:EntityDescriptor");
        document.appendChild(entity);
        entity.setAttributeNS(null, "entityID", s.spEntityId());
        Element sp = document.createElementNS(SamlXml.METADATA, "md:SPSSODescriptor");
        entity.appendChild(sp);
        sp.setAttributeNS(null, "AuthnRequestsSigned", String.valueOf(s.spKey() != null));
        sp.setAttributeNS(null, "WantAssertionsSigned", "true");
        sp.setAttributeNS(null, "protocolSupportEnumeration", SamlXml.PROTOCOL);
        if (s.spKey() != null) {
            Element key = document.createElementNS(SamlXml.METADATA, "md:KeyDescriptor");
            key.setAttributeNS(null, "use", "signing");
            Element keyInfo = document.createElementNS(SamlXml.DSIG, "ds:KeyInfo");
            Element data = document.createElementNS(SamlXml.DSIG, "ds:X509Data");
            Element certificate = document.createElementNS(SamlXml.DSIG, "ds:X509Certificate");
            try {
                certificate.setTextContent(Base64.getEncoder().encodeToString(s.spKey().certificate().getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
            data.appendChild(certificate);
            keyInfo.appendChild(data);
            key.appendChild(keyInfo);
            sp.appendChild(key);
        }
        Element format = document.createElementNS(SamlXml.METADATA, "md:NameIDFormat");
        format.setTextContent(SamlXml.EMAIL_FORMAT);
        sp.appendChild(format);
        Element acs = document.createElementNS(SamlXml.METADATA, "md:AssertionConsumerService");
        acs.setAttributeNS(null, "Binding", SamlXml.HTTP_POST);
        acs.setAttributeNS(null, "Location", s.acsUrl());
        acs.setAttributeNS(null, "index", "0");
        acs.setAttributeNS(null, "isDefault", "true");
        sp.appendChild(acs);
        return SamlXml.write(document);
    }

    /**
     * Validates the base64 SAMLResponse form value of the HTTP-POST binding: the response to the request with
     * ID {@code expectedInResponseTo} (always given: IdP-initiated responses are refused), at {@code now}.
     * What is checked is in docs/enterprise-sso.md, "SAML: how responses are checked".
     */
    public SamlAssertion validate(SamlSettings s, String samlResponse, String expectedInResponseTo, Instant now)
            throws SamlRejected {
        if (samlResponse == null || samlResponse.length() > MAX_RESPONSE_CHARS) {
            throw new SamlRejected("SAMLResponse missing or too large");
        }
        byte[] xml;
        try {
            // some IdPs wrap the base64 in lines; anything else that is not base64 is refused
            xml = Base64.getDecoder().decode(WHITESPACE.matcher(samlResponse).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw new SamlRejected("SAMLResponse is not base64");
        }
        return new SamlResponseCheck(s, expectedInResponseTo, now).check(SamlXml.parse(xml));
    }

    /** Raw DEFLATE, as the HTTP-Redirect binding wants (no zlib header). */
    /**
     * The HTTP-Redirect binding's signature (SAML 2.0 Bindings §3.4.4.1): RSA-SHA256 over the query exactly as
     * sent, SAMLRequest, RelayState and SigAlg in that order, appended as the Signature parameter.
     */
    private static String signed(String query, SamlSpKey key) {
        String withAlgorithm = query + "&SigAlg=" + urlEncode(RSA_SHA256);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key.privateKey());
            signature.update(withAlgorithm.getBytes(StandardCharsets.UTF_8));
            return withAlgorithm + "&Signature=" + urlEncode(Base64.getEncoder().encodeToString(signature.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the AuthnRequest", e);
        }
    }

    private static byte[] deflate(String xml) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(xml.getBytes(StandardCharsets.UTF_8));
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
