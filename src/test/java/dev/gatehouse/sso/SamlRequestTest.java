package dev.gatehouse.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** SamlServiceProvider.authnRequest and metadata: what Gatehouse sends an IdP. */
class SamlRequestTest {

    private static SamlSettings settings;
    private final SamlServiceProvider serviceProvider = new SamlServiceProvider();

    @BeforeAll
    static void settings() throws Exception {
        settings = TestIdp.settings(new TestIdp("idp").certificate);
    }

    @Test
    void theRedirectCarriesADeflatedAuthnRequestAndTheRelayState() throws Exception {
        URI redirect = serviceProvider.authnRequest(settings, "_request-42", "state with spaces&more");
        assertTrue(redirect.toString().startsWith(TestIdp.IDP_SSO_URL + "?SAMLRequest="), redirect.toString());
        Map<String, String> query = Arrays.stream(redirect.getRawQuery().split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
        assertEquals("state with spaces&more", query.get("RelayState"));

        Element request = TestIdp.parse(inflate(Base64.getDecoder().decode(query.get("SAMLRequest")))).getDocumentElement();
        assertEquals(SamlXml.PROTOCOL, request.getNamespaceURI());
        assertEquals("AuthnRequest", request.getLocalName());
        assertEquals("_request-42", request.getAttribute("ID"));
        assertEquals("2.0", request.getAttribute("Version"));
        assertEquals(TestIdp.IDP_SSO_URL, request.getAttribute("Destination"));
        assertEquals(TestIdp.ACS_URL, request.getAttribute("AssertionConsumerServiceURL"));
        assertEquals(SamlXml.HTTP_POST, request.getAttribute("ProtocolBinding"));
        assertEquals(TestIdp.SP_ENTITY_ID, request.getElementsByTagNameNS(SamlXml.ASSERTION, "Issuer").item(0).getTextContent());
    }

    @Test
    void withTheSpsKeyTheRedirectIsSignedAndTheMetadataPublishesItsCertificate() throws Exception {
        SamlSpKey key = SamlSpKey.generate("Gatehouse SP test");
        SamlSettings signing = new SamlSettings(settings.spEntityId(), settings.acsUrl(), settings.idpEntityId(),
                settings.idpSsoUrl(), settings.idpCertificates(), settings.clockSkew(), key);
        String query = serviceProvider.authnRequest(signing, "_signed-1", "relay").getRawQuery();
        int signatureAt = query.indexOf("&Signature=");
        String signedPart = query.substring(0, signatureAt);
        assertTrue(signedPart.matches("SAMLRequest=[^&]+&RelayState=relay&SigAlg=[^&]+"), signedPart);
        assertEquals(SamlServiceProvider.RSA_SHA256,
                URLDecoder.decode(signedPart.substring(signedPart.indexOf("&SigAlg=") + 8), StandardCharsets.UTF_8));
        java.security.Signature verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key.certificate().getPublicKey());
        verifier.update(signedPart.getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(Base64.getDecoder().decode(URLDecoder.decode(query.substring(signatureAt + 11),
                StandardCharsets.UTF_8))), "the signature covers the query as sent");
        verifier.initVerify(key.certificate().getPublicKey());
        verifier.update(signedPart.replace("RelayState=relay", "RelayState=other").getBytes(StandardCharsets.UTF_8));
        assertFalse(verifier.verify(Base64.getDecoder().decode(URLDecoder.decode(query.substring(signatureAt + 11),
                StandardCharsets.UTF_8))), "and nothing else");

        Element descriptor = (Element) TestIdp.parse(serviceProvider.metadata(signing))
                .getElementsByTagNameNS(SamlXml.METADATA, "SPSSODescriptor").item(0);
        assertEquals("true", descriptor.getAttribute("AuthnRequestsSigned"));
        Element keyDescriptor = (Element) descriptor.getElementsByTagNameNS(SamlXml.METADATA, "KeyDescriptor").item(0);
        assertEquals("signing", keyDescriptor.getAttribute("use"));
        assertEquals(Base64.getEncoder().encodeToString(key.certificate().getEncoded()),
                keyDescriptor.getElementsByTagNameNS(SamlXml.DSIG, "X509Certificate").item(0).getTextContent());
        assertEquals("false", ((Element) TestIdp.parse(serviceProvider.metadata(settings))
                .getElementsByTagNameNS(SamlXml.METADATA, "SPSSODescriptor").item(0)).getAttribute("AuthnRequestsSigned"));
    }

    @Test
    void anSsoUrlWithAQueryKeepsIt() {
        SamlSettings withQuery = new SamlSettings(settings.spEntityId(), settings.acsUrl(), settings.idpEntityId(),
                "https://idp.acme.test/sso?tenant=acme", settings.idpCertificates(), settings.clockSkew());
        assertTrue(serviceProvider.authnRequest(withQuery, "_r", null).toString().startsWith("https://idp.acme.test/sso?tenant=acme&SAMLRequest="));
    }

    @Test
    void aRequestIdThatIsNotAnXmlIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> serviceProvider.authnRequest(settings, "42", null));
        assertThrows(IllegalArgumentException.class, () -> serviceProvider.authnRequest(settings, "_a\"b", null));
    }

    @Test
    void theMetadataDescribesThisServiceProvider() throws Exception {
        Document metadata = TestIdp.parse(serviceProvider.metadata(settings));
        Element entity = metadata.getDocumentElement();
        assertEquals(TestIdp.SP_ENTITY_ID, entity.getAttribute("entityID"));
        Element sp = TestIdp.element(metadata, "SPSSODescriptor");
        assertEquals("false", sp.getAttribute("AuthnRequestsSigned"));
        assertEquals("true", sp.getAttribute("WantAssertionsSigned"));
        assertEquals(SamlXml.EMAIL_FORMAT, TestIdp.element(metadata, "NameIDFormat").getTextContent());
        Element acs = TestIdp.element(metadata, "AssertionConsumerService");
        assertEquals(SamlXml.HTTP_POST, acs.getAttribute("Binding"));
        assertEquals(TestIdp.ACS_URL, acs.getAttribute("Location"));
    }

    @Test
    void settingsBoundTheSkewAndTheCertificates() {
        assertThrows(IllegalArgumentException.class, () -> new SamlSettings("sp", "acs", "idp", "sso",
                settings.idpCertificates(), SamlSettings.MAX_CLOCK_SKEW.plusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new SamlSettings("sp", "acs", "idp", "sso",
                List.of(), settings.clockSkew()));
    }

    private static String inflate(byte[] deflated) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!inflater.finished()) {
            out.write(buffer, 0, inflater.inflate(buffer));
        }
        inflater.end();
        return out.toString(StandardCharsets.UTF_8);
    }
}
