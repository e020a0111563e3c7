package dev.gatehouse.sso;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.Init;
import org.apache.xml.security.algorithms.MessageDigestAlgorithm;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Assertions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * An identity provider for the unit tests: an RSA key and self-signed certificate made at test time (no private
 * key is committed), SAML Responses from a template, signed with Apache Santuario (an implementation other
 * than the JDK's that verifies them), and the DOM edits the hostile tests make.
 */
final class TestIdp {

    static final String IDP_ENTITY_ID = "https://idp.acme.test/saml";
    static final String IDP_SSO_URL = "https://idp.acme.test/saml/sso";
    static final String SP_ENTITY_ID = "https://gatehouse.test/sso/saml/acme";
    static final String ACS_URL = "https://gatehouse.test/sso/saml/acme/acs";
    static final String REQUEST_ID = "_request-1";
    static final Instant NOW = Instant.parse("2026-12-07T07:00:00Z");
    static final Duration SKEW = Duration.ofSeconds(60);

    static {
        Init.init();
    }

    final KeyPair keys;
    final X509Certificate certificate;

    TestIdp(String name) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(System.nanoTime()), Date.from(NOW.minus(Duration.ofDays(1))),
                Date.from(NOW.plus(Duration.ofDays(365))), subject, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }

    static SamlSettings settings(X509Certificate... certificates) {
        return new SamlSettings(SP_ENTITY_ID, ACS_URL, IDP_ENTITY_ID, IDP_SSO_URL, List.of(certificates), SKEW);
    }

    /** An unsigned Response to REQUEST_ID for alice, valid at NOW: what a well-behaved IdP sends before signing. */
    static Document response() throws Exception {
        return parse("""
                <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
                    ID="_response-1" Version="2.0" IssueInstant="%1$s" Destination="%3$s" InResponseTo="%4$s">
                  <saml:Issuer>%5$s</saml:Issuer>
                  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
                  <saml:Assertion ID="_assertion-1" Version="2.0" IssueInstant="%1$s">
                    <saml:Issuer>%5$s</saml:Issuer>
                    <saml:Subject>
                      <saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">alice@acme.test</saml:NameID>
                      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
                        <saml:SubjectConfirmationData InResponseTo="%4$s" Recipient="%3$s" NotOnOrAfter="%2$s"/>
                      </saml:SubjectConfirmation>
                    </saml:Subject>
                    <saml:Conditions NotBefore="%1$s" NotOnOrAfter="%6$s">
                      <saml:AudienceRestriction><saml:Audience>%7$s</saml:Audience></saml:AudienceRestriction>
                    </saml:Conditions>
                    <saml:AuthnStatement AuthnInstant="%1$s" SessionIndex="session-7">
                      <saml:AuthnContext>
                        <saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>
                      </saml:AuthnContext>
                    </saml:AuthnStatement>
                    <saml:AttributeStatement>
                      <saml:Attribute Name="email"><saml:AttributeValue>alice@acme.test</saml:AttributeValue></saml:Attribute>
                      <saml:Attribute Name="groups">
                        <saml:AttributeValue>engineering</saml:AttributeValue><saml:AttributeValue>admins</saml:AttributeValue>
                      </saml:Attribute>
                    </saml:AttributeStatement>
                  </saml:Assertion>
                </samlp:Response>
                """.formatted(NOW.minusSeconds(5), NOW.plusSeconds(300), ACS_URL, REQUEST_ID, IDP_ENTITY_ID,
                NOW.plusSeconds(600), SP_ENTITY_ID));
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Signs the element (a Response or an Assertion) enveloped, RSA-SHA256, after its Issuer, as IdPs do. */
    void sign(Element element) throws Exception {
        sign(element, XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256, MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256);
    }

    void sign(Element element, String signatureAlgorithm, String digestAlgorithm) throws Exception {
        Document document = element.getOwnerDocument();
        element.setIdAttributeNS(null, "ID", true);
        XMLSignature signature = new XMLSignature(document, null, signatureAlgorithm, Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        Element issuer = (Element) element.getElementsByTagNameNS(SamlXml.ASSERTION, "Issuer").item(0);
        element.insertBefore(signature.getElement(), issuer.getNextSibling());
        Transforms transforms = new Transforms(document);
        transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
        signature.addDocument("#" + element.getAttribute("ID"), transforms, digestAlgorithm);
        signature.addKeyInfo(certificate);
        signature.sign(keys.getPrivate());
    }

    /** The template with its Assertion signed by this IdP. */
    Document signedAssertion() throws Exception {
        Document response = response();
        sign(TestIdp.assertion(response));
        return response;
    }

    /** The response validated at NOW for REQUEST_ID by a connection that trusts this IdP's certificate. */
    SamlAssertion validate(Document response) throws Exception {
        return new SamlServiceProvider().validate(settings(certificate), encode(response), REQUEST_ID, NOW);
    }

    /** Why validate refuses the response. */
    String refusal(Document response) {
        return Assertions.assertThrows(SamlRejected.class, () -> validate(response)).reason();
    }

    /** The SAMLResponse form value of this document. */
    static String encode(Document document) throws Exception {
        return Base64.getEncoder().encodeToString(write(document).getBytes(StandardCharsets.UTF_8));
    }

    static String write(Document document) throws Exception {
        StringWriter out = new StringWriter();
        TransformerFactory.newDefaultInstance().newTransformer().transform(new DOMSource(document), new StreamResult(out));
        return out.toString();
    }

    /** The first element of this local name in document order. */
    static Element element(Document document, String localName) {
        NodeList found = document.getElementsByTagNameNS("*", localName);
        if (found.getLength() == 0) {
            throw new AssertionError("no " + localName);
        }
        return (Element) found.item(0);
    }

    static Element assertion(Document document) {
        return element(document, "Assertion");
    }

    /** Sets the attribute of the first element of that local name; null removes it. */
    static void set(Document document, String localName, String attribute, String value) {
        if (value == null) {
            element(document, localName).removeAttribute(attribute);
        } else {
            element(document, localName).setAttribute(attribute, value);
        }
    }
}
