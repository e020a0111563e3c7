package dev.gatehouse.sso;

import static dev.gatehouse.sso.TestIdp.NOW;
import static dev.gatehouse.sso.TestIdp.REQUEST_ID;
import static dev.gatehouse.sso.TestIdp.assertion;
import static dev.gatehouse.sso.TestIdp.element;
import static dev.gatehouse.sso.TestIdp.encode;
import static dev.gatehouse.sso.TestIdp.response;
import static dev.gatehouse.sso.TestIdp.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** SamlServiceProvider.validate: a good response is read whole; each hostile one is refused with its reason. */
class SamlResponseValidationTest {

    private static TestIdp idp;

    private final SamlServiceProvider serviceProvider = new SamlServiceProvider();

    @BeforeAll
    static void keys() throws Exception {
        idp = new TestIdp("idp.acme.test");
    }

    @Test
    void aSignedAssertionIsReadWhole() throws Exception {
        SamlAssertion assertion = idp.validate(idp.signedAssertion());
        assertEquals("_assertion-1", assertion.assertionId());
        assertEquals("alice@acme.test", assertion.nameId());
        assertEquals("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", assertion.nameIdFormat());
        assertEquals(Map.of("email", List.of("alice@acme.test"), "groups", List.of("engineering", "admins")), assertion.attributes());
        assertEquals("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", assertion.authnContextClassRef());
        assertEquals("session-7", assertion.sessionIndex());
        // the earlier of the confirmation's and the conditions' NotOnOrAfter, plus the skew validate allows
        assertEquals(NOW.plusSeconds(300).plus(TestIdp.SKEW), assertion.notOnOrAfter());
    }

    @Test
    void expiredConfirmationIsRefusedBeyondTheSkew() throws Exception {
        Document response = response();
        set(response, "SubjectConfirmationData", "NotOnOrAfter", NOW.minusSeconds(61).toString());
        idp.sign(assertion(response));
        assertEquals("expired (SubjectConfirmationData NotOnOrAfter)", idp.refusal(response));
    }

    @Test
    void expiredConditionsAreRefusedBeyondTheSkewAndPassWithinIt() throws Exception {
        Document response = response();
        set(response, "Conditions", "NotOnOrAfter", NOW.minusSeconds(61).toString());
        idp.sign(assertion(response));
        assertEquals("expired (Conditions NotOnOrAfter)", idp.refusal(response));

        Document withinSkew = response();
        set(withinSkew, "Conditions", "NotOnOrAfter", NOW.minusSeconds(30).toString());
        idp.sign(assertion(withinSkew));
        assertEquals(NOW.plusSeconds(30), idp.validate(withinSkew).notOnOrAfter());
    }

    @Test
    void notBeforeInTheFutureIsRefusedBeyondTheSkew() throws Exception {
        Document response = response();
        set(response, "Conditions", "NotBefore", NOW.plusSeconds(61).toString());
        idp.sign(assertion(response));
        assertEquals("not yet valid (Conditions NotBefore)", idp.refusal(response));

        Document withinSkew = response();
        set(withinSkew, "Conditions", "NotBefore", NOW.plusSeconds(30).toString());
        idp.sign(assertion(withinSkew));
        assertEquals("alice@acme.test", idp.validate(withinSkew).nameId());
    }

    @Test
    void anotherAudienceIsRefused() throws Exception {
        Document response = response();
        element(response, "Audience").setTextContent("https://other-sp.test");
        idp.sign(assertion(response));
        assertEquals("Audience does not name this service provider", idp.refusal(response));
    }

    @Test
    void anotherRecipientIsRefused() throws Exception {
        Document response = response();
        set(response, "SubjectConfirmationData", "Recipient", "https://other-sp.test/acs");
        idp.sign(assertion(response));
        assertEquals("SubjectConfirmationData Recipient is not this connection's ACS URL", idp.refusal(response));
    }

    @Test
    void anotherDestinationIsRefused() throws Exception {
        Document response = idp.signedAssertion();
        set(response, "Response", "Destination", "https://other-sp.test/acs");
        assertEquals("Response Destination is not this connection's ACS URL", idp.refusal(response));
    }

    @Test
    void anotherInResponseToIsRefused() throws Exception {
        Document response = idp.signedAssertion();
        String reason = assertThrows(SamlRejected.class, () -> serviceProvider.validate(TestIdp.settings(idp.certificate),
                encode(response), "_another-request", NOW)).reason();
        assertEquals("Response InResponseTo is not the request's ID", reason);

        Document confirmation = response();
        set(confirmation, "SubjectConfirmationData", "InResponseTo", "_another-request");
        idp.sign(assertion(confirmation));
        assertEquals("SubjectConfirmationData InResponseTo is not the request's ID", idp.refusal(confirmation));
    }

    @Test
    void anUnsolicitedResponseIsRefused() throws Exception {
        Document response = response();
        set(response, "Response", "InResponseTo", null);
        set(response, "SubjectConfirmationData", "InResponseTo", null);
        idp.sign(assertion(response));
        assertEquals("Response has no InResponseTo (unsolicited)", idp.refusal(response));
    }

    @Test
    void aStatusOtherThanSuccessIsRefused() throws Exception {
        Document response = idp.signedAssertion();
        set(response, "StatusCode", "Value", "urn:oasis:names:tc:SAML:2.0:status:Requester");
        assertEquals("status is not Success: Requester", idp.refusal(response));
    }

    @Test
    void anotherIssuerIsRefused() throws Exception {
        Document response = response();
        assertion(response).getElementsByTagNameNS(SamlXml.ASSERTION, "Issuer").item(0).setTextContent("https://evil.test");
        idp.sign(assertion(response));
        assertEquals("Assertion Issuer is not the IdP's entity id", idp.refusal(response));
    }

    @Test
    void anEncryptedAssertionIsRefused() throws Exception {
        Document response = response();
        Element encrypted = response.createElementNS(SamlXml.ASSERTION, "saml:EncryptedAssertion");
        response.getDocumentElement().replaceChild(encrypted, assertion(response));
        assertEquals("encrypted assertions are not supported", idp.refusal(response));
    }

    @Test
    void aDoctypeWithAnExternalEntityIsRefused(@TempDir Path directory) throws Exception {
        Path secret = Files.writeString(directory.resolve("secret.txt"), "local-file-content");
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + TestIdp.write(idp.signedAssertion()).replaceFirst("<\\?xml[^>]*>", "").replace("alice@acme.test</saml:NameID>", "&x;</saml:NameID>");
        SamlRejected rejected = assertThrows(SamlRejected.class, () -> serviceProvider.validate(TestIdp.settings(idp.certificate),
                Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8)), REQUEST_ID, NOW));
        assertEquals("a DTD (DOCTYPE) is not allowed", rejected.reason());
    }

    @Test
    void notBase64IsRefused() {
        String reason = assertThrows(SamlRejected.class, () -> serviceProvider.validate(TestIdp.settings(idp.certificate),
                "<samlp:Response/>", REQUEST_ID, NOW)).reason();
        assertEquals("SAMLResponse is not base64", reason);
    }

    @Test
    void anAbsentSessionIndexAndAuthnContextAreNull() throws Exception {
        Document response = response();
        Element authn = element(response, "AuthnStatement");
        authn.removeAttribute("SessionIndex");
        authn.removeChild(element(response, "AuthnContext"));
        idp.sign(assertion(response));
        SamlAssertion assertion = idp.validate(response);
        assertNull(assertion.sessionIndex());
        assertNull(assertion.authnContextClassRef());
    }
}
