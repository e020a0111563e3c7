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

/** SamlServiceProvider.validate: a good response passes; each hostile one is refused with its reason. */
class SamlResponseValidationTest {

    private static TestIdp idp;
    private static TestIdp other;

    private final SamlServiceProvider serviceProvider = new SamlServiceProvider();

    @BeforeAll
    static void keys() throws Exception {
        idp = new TestIdp("idp.acme.test");
        other = new TestIdp("attacker.test");
    }

    private SamlAssertion validate(Document response) throws Exception {
        return serviceProvider.validate(TestIdp.settings(idp.certificate), encode(response), REQUEST_ID, NOW);
    }

    private String refusal(Document response) {
        return assertThrows(SamlRejected.class, () -> validate(response)).reason();
    }

    /** The template with its Assertion signed by the IdP. */
    private static Document signedAssertion() throws Exception {
        Document response = response();
        idp.sign(assertion(response));
        return response;
    }

    @Test
    void aSignedAssertionIsReadWhole() throws Exception {
        SamlAssertion assertion = validate(signedAssertion());
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
    void aSignedResponseCoversItsAssertion() throws Exception {
        Document response = response();
        idp.sign(response.getDocumentElement());
        assertEquals("alice@acme.test", validate(response).nameId());
    }

    @Test
    void bothSignedPass() throws Exception {
        Document response = signedAssertion();
        idp.sign(response.getDocumentElement());
        assertEquals("alice@acme.test", validate(response).nameId());
    }

    @Test
    void theSecondCertificateOfARolloverValidates() throws Exception {
        TestIdp next = new TestIdp("idp.acme.test next");
        Document response = response();
        next.sign(assertion(response));
        SamlSettings rollover = TestIdp.settings(idp.certificate, next.certificate);
        assertEquals("alice@acme.test", serviceProvider.validate(rollover, encode(response), REQUEST_ID, NOW).nameId());
    }

    @Test
    void unsignedIsRefused() throws Exception {
        assertEquals("neither the Response nor the Assertion is signed", refusal(response()));
    }

    @Test
    void signedByAnotherKeyIsRefused() throws Exception {
        Document response = response();
        other.sign(assertion(response));
        assertEquals("signature of the Assertion is not valid for the IdP's certificates", refusal(response));
    }

    @Test
    void aSha1SignatureIsRefused() throws Exception {
        Document response = response();
        idp.sign(assertion(response), "http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1");
        assertEquals("signature of the Assertion cannot be checked", refusal(response));
    }

    @Test
    void aNameIdChangedAfterSigningIsRefused() throws Exception {
        Document response = signedAssertion();
        element(response, "NameID").setTextContent("bob@acme.test");
        assertEquals("signature of the Assertion is not valid for the IdP's certificates", refusal(response));
    }

    @Test
    void aCommentInsertedIntoTheNameIdDoesNotShortenIt() throws Exception {
        Document response = response();
        element(response, "NameID").setTextContent("alice@acme.test.evil.test");
        idp.sign(assertion(response));
        Element nameId = element(response, "NameID");
        nameId.setTextContent("alice@acme.test");
        nameId.appendChild(response.createComment(""));
        nameId.appendChild(response.createTextNode(".evil.test"));
        // canonicalisation ignores comments, so the signature holds: the whole text must be read
        assertEquals("alice@acme.test.evil.test", validate(response).nameId());
    }

    @Test
    void wrappingASecondUnsignedAssertionBesideTheSignedOneIsRefused() throws Exception {
        Document response = signedAssertion();
        Element evil = (Element) assertion(response).cloneNode(true);
        evil.setAttribute("ID", "_evil");
        evil.removeChild(evil.getElementsByTagNameNS(SamlXml.DSIG, "Signature").item(0));
        evil.getElementsByTagNameNS(SamlXml.ASSERTION, "NameID").item(0).setTextContent("admin@acme.test");
        // first, for a reader that takes the first Assertion it finds
        response.getDocumentElement().insertBefore(evil, assertion(response));
        assertEquals("expected exactly one Assertion, found 2", refusal(response));
    }

    @Test
    void wrappingTheSignedAssertionMovedIntoExtensionsIsRefused() throws Exception {
        Document response = signedAssertion();
        Element signed = assertion(response);
        Element evil = (Element) signed.cloneNode(true);
        evil.removeChild(evil.getElementsByTagNameNS(SamlXml.DSIG, "Signature").item(0));
        evil.getElementsByTagNameNS(SamlXml.ASSERTION, "NameID").item(0).setTextContent("admin@acme.test");
        Element extensions = response.createElementNS(SamlXml.PROTOCOL, "samlp:Extensions");
        response.getDocumentElement().replaceChild(evil, signed);
        extensions.appendChild(signed);
        response.getDocumentElement().insertBefore(extensions, element(response, "Status"));
        assertEquals("expected exactly one Assertion, found 2", refusal(response));
    }

    @Test
    void wrappingTheSignedAssertionMovedIntoTheSignaturesObjectIsRefused() throws Exception {
        Document response = signedAssertion();
        Element signed = assertion(response);
        Element evil = (Element) signed.cloneNode(true);
        evil.getElementsByTagNameNS(SamlXml.ASSERTION, "NameID").item(0).setTextContent("admin@acme.test");
        Element object = response.createElementNS(SamlXml.DSIG, "ds:Object");
        evil.getElementsByTagNameNS(SamlXml.DSIG, "Signature").item(0).appendChild(object);
        response.getDocumentElement().replaceChild(evil, signed);
        object.appendChild(signed);
        assertEquals("expected exactly one Assertion, found 2", refusal(response));
    }

    @Test
    void wrappingAnotherElementWithTheSignedIdIsRefused() throws Exception {
        Document response = signedAssertion();
        Element extensions = response.createElementNS(SamlXml.PROTOCOL, "samlp:Extensions");
        Element decoy = response.createElementNS("urn:evil", "evil:Decoy");
        decoy.setAttributeNS(null, "ID", "_assertion-1");
        extensions.appendChild(decoy);
        response.getDocumentElement().insertBefore(extensions, element(response, "Status"));
        assertEquals("the ID of the signed Assertion is not unique (signature wrapping)", refusal(response));
    }

    @Test
    void aSignedResponseWhoseAssertionWasReplacedIsRefused() throws Exception {
        Document response = response();
        idp.sign(response.getDocumentElement());
        element(response, "NameID").setTextContent("admin@acme.test");
        assertEquals("signature of the Response is not valid for the IdP's certificates", refusal(response));
    }

    @Test
    void aSignatureReferencingAnotherElementIsRefused() throws Exception {
        Document response = signedAssertion();
        // the signature moved from the Assertion onto the Response it does not reference
        Element signature = (Element) assertion(response).getElementsByTagNameNS(SamlXml.DSIG, "Signature").item(0);
        response.getDocumentElement().insertBefore(signature, element(response, "Status"));
        assertEquals("signature of the Response does not reference it (signature wrapping)", refusal(response));
    }

    @Test
    void expiredConfirmationIsRefusedBeyondTheSkew() throws Exception {
        Document response = response();
        set(response, "SubjectConfirmationData", "NotOnOrAfter", NOW.minusSeconds(61).toString());
        idp.sign(assertion(response));
        assertEquals("expired (SubjectConfirmationData NotOnOrAfter)", refusal(response));
    }

    @Test
    void expiredConditionsAreRefusedBeyondTheSkewAndPassWithinIt() throws Exception {
        Document response = response();
        set(response, "Conditions", "NotOnOrAfter", NOW.minusSeconds(61).toString());
        idp.sign(assertion(response));
        assertEquals("expired (Conditions NotOnOrAfter)", refusal(response));

        Document withinSkew = response();
        set(withinSkew, "Conditions", "NotOnOrAfter", NOW.minusSeconds(30).toString());
        idp.sign(assertion(withinSkew));
        assertEquals(NOW.plusSeconds(30), validate(withinSkew).notOnOrAfter());
    }

    @Test
    void notBeforeInTheFutureIsRefusedBeyondTheSkew() throws Exception {
        Document response = response();
        set(response, "Conditions", "NotBefore", NOW.plusSeconds(61).toString());
        idp.sign(assertion(response));
        assertEquals("not yet valid (Conditions NotBefore)", refusal(response));

        Document withinSkew = response();
        set(withinSkew, "Conditions", "NotBefore", NOW.plusSeconds(30).toString());
        idp.sign(assertion(withinSkew));
        assertEquals("alice@acme.test", validate(withinSkew).nameId());
    }

    @Test
    void anotherAudienceIsRefused() throws Exception {
        Document response = response();
        element(response, "Audience").setTextContent("https://other-sp.test");
        idp.sign(assertion(response));
        assertEquals("Audience does not name this service provider", refusal(response));
    }

    @Test
    void anotherRecipientIsRefused() throws Exception {
        Document response = response();
        set(response, "SubjectConfirmationData", "Recipient", "https://other-sp.test/acs");
        idp.sign(assertion(response));
        assertEquals("SubjectConfirmationData Recipient is not this connection's ACS URL", refusal(response));
    }

    @Test
    void anotherDestinationIsRefused() throws Exception {
        Document response = signedAssertion();
        set(response, "Response", "Destination", "https://other-sp.test/acs");
        assertEquals("Response Destination is not this connection's ACS URL", refusal(response));
    }

    @Test
    void anotherInResponseToIsRefused() throws Exception {
        Document response = signedAssertion();
        String reason = assertThrows(SamlRejected.class, () -> serviceProvider.validate(TestIdp.settings(idp.certificate),
                encode(response), "_another-request", NOW)).reason();
        assertEquals("Response InResponseTo is not the request's ID", reason);

        Document confirmation = response();
        set(confirmation, "SubjectConfirmationData", "InResponseTo", "_another-request");
        idp.sign(assertion(confirmation));
        assertEquals("SubjectConfirmationData InResponseTo is not the request's ID", refusal(confirmation));
    }

    @Test
    void anUnsolicitedResponseIsRefused() throws Exception {
        Document response = response();
        set(response, "Response", "InResponseTo", null);
        set(response, "SubjectConfirmationData", "InResponseTo", null);
        idp.sign(assertion(response));
        assertEquals("Response has no InResponseTo (unsolicited)", refusal(response));
    }

    @Test
    void aStatusOtherThanSuccessIsRefused() throws Exception {
        Document response = signedAssertion();
        set(response, "StatusCode", "Value", "urn:oasis:names:tc:SAML:2.0:status:Requester");
        assertEquals("status is not Success: Requester", refusal(response));
    }

    @Test
    void anotherIssuerIsRefused() throws Exception {
        Document response = response();
        assertion(response).getElementsByTagNameNS(SamlXml.ASSERTION, "Issuer").item(0).setTextContent("https://evil.test");
        idp.sign(assertion(response));
        assertEquals("Assertion Issuer is not the IdP's entity id", refusal(response));
    }

    @Test
    void anEncryptedAssertionIsRefused() throws Exception {
        Document response = response();
        Element encrypted = response.createElementNS(SamlXml.ASSERTION, "saml:EncryptedAssertion");
        response.getDocumentElement().replaceChild(encrypted, assertion(response));
        assertEquals("encrypted assertions are not supported", refusal(response));
    }

    @Test
    void aDoctypeWithAnExternalEntityIsRefused(@TempDir Path directory) throws Exception {
        Path secret = Files.writeString(directory.resolve("secret.txt"), "local-file-content");
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + TestIdp.write(signedAssertion()).replaceFirst("<\\?xml[^>]*>", "").replace("alice@acme.test</saml:NameID>", "&x;</saml:NameID>");
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
        SamlAssertion assertion = validate(response);
        assertNull(assertion.sessionIndex());
        assertNull(assertion.authnContextClassRef());
    }
}
