package dev.gatehouse.sso;

import static dev.gatehouse.sso.TestIdp.NOW;
import static dev.gatehouse.sso.TestIdp.REQUEST_ID;
import static dev.gatehouse.sso.TestIdp.assertion;
import static dev.gatehouse.sso.TestIdp.element;
import static dev.gatehouse.sso.TestIdp.encode;
import static dev.gatehouse.sso.TestIdp.response;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** SamlServiceProvider.validate and signatures: what must be signed, by whom, and signature wrapping refused. */
class SamlSignatureTest {

    private static TestIdp idp;
    private static TestIdp other;

    private final SamlServiceProvider serviceProvider = new SamlServiceProvider();

    @BeforeAll
    static void keys() throws Exception {
        idp = new TestIdp("idp.acme.test");
        other = new TestIdp("attacker.test");
    }

    @Test
    void aSignedResponseCoversItsAssertion() throws Exception {
        Document response = response();
        idp.sign(response.getDocumentElement());
        assertEquals("alice@acme.test", idp.validate(response).nameId());
    }

    @Test
    void bothSignedPass() throws Exception {
        Document response = idp.signedAssertion();
        idp.sign(response.getDocumentElement());
        assertEquals("alice@acme.test", idp.validate(response).nameId());
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
        assertEquals("neither the Response nor the Assertion is signed", idp.refusal(response()));
    }

    @Test
    void signedByAnotherKeyIsRefused() throws Exception {
        Document response = response();
        other.sign(assertion(response));
        assertEquals("signature of the Assertion is not valid for the IdP's certificates", idp.refusal(response));
    }

    @Test
    void aSha1SignatureIsRefused() throws Exception {
        Document response = response();
        idp.sign(assertion(response), "http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2000/09/xmldsig#sha1");
        assertEquals("signature of the Assertion cannot be checked", idp.refusal(response));
    }

    @Test
    void aNameIdChangedAfterSigningIsRefused() throws Exception {
        Document response = idp.signedAssertion();
        element(response, "NameID").setTextContent("bob@acme.test");
        assertEquals("signature of the Assertion is not valid for the IdP's certificates", idp.refusal(response));
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
        assertEquals("alice@acme.test.evil.test", idp.validate(response).nameId());
    }

    @Test
    void wrappingASecondUnsignedAssertionBesideTheSignedOneIsRefused() throws Exception {
        Document response = idp.signedAssertion();
        Element evil = (Element) assertion(response).cloneNode(true);
        evil.setAttribute("ID", "_evil");
        evil.removeChild(evil.getElementsByTagNameNS(SamlXml.DSIG, "Signature").item(0));
        evil.getElementsByTagNameNS(SamlXml.ASSERTION, "NameID").item(0).setTextContent("admin@acme.test");
        // first, for a reader that takes the first Assertion it finds
        response.getDocumentElement().insertBefore(evil, assertion(response));
        assertEquals("expected exactly one Assertion, found 2", idp.refusal(response));
    }

    @Test
    void wrappingTheSignedAssertionMovedIntoExtensionsIsRefused() throws Exception {
        Document response = idp.signedAssertion();
        Element signed = assertion(response);
        Element evil = (Element) signed.cloneNode(true);
        evil.removeChild(evil.getElementsByTagNameNS(SamlXml.DSIG, "Signature").item(0));
        evil.getElementsByTagNameNS(SamlXml.ASSERTION, "NameID").item(0).setTextContent("admin@acme.test");
        Element extensions = response.createElementNS(SamlXml.PROTOCOL, "samlp:Extensions");
        response.getDocumentElement().replaceChild(evil, signed);
        extensions.appendChild(signed);
        response.getDocumentElement().insertBefore(extensions, element(response, "Status"));
        assertEquals("expected exactly one Assertion, found 2", idp.refusal(response));
    }

    @Test
    void wrappingTheSignedAssertionMovedIntoTheSignaturesObjectIsRefused() throws Exception {
        Document response = idp.signedAssertion();
        Element signed = assertion(response);
        Element evil = (Element) signed.cloneNode(true);
        evil.getElementsByTagNameNS(SamlXml.ASSERTION, "NameID").item(0).setTextContent("admin@acme.test");
        Element object = response.createElementNS(SamlXml.DSIG, "ds:Object");
        evil.getElementsByTagNameNS(SamlXml.DSIG, "Signature").item(0).appendChild(object);
        response.getDocumentElement().replaceChild(evil, signed);
        object.appendChild(signed);
        assertEquals("expected exactly one Assertion, found 2", idp.refusal(response));
    }

    @Test
    void wrappingAnotherElementWithTheSignedIdIsRefused() throws Exception {
        Document response = idp.signedAssertion();
        Element extensions = response.createElementNS(SamlXml.PROTOCOL, "samlp:Extensions");
        Element decoy = response.createElementNS("urn:evil", "evil:Decoy");
        decoy.setAttributeNS(null, "ID", "_assertion-1");
        extensions.appendChild(decoy);
        response.getDocumentElement().insertBefore(extensions, element(response, "Status"));
        assertEquals("the ID of the signed Assertion is not unique (signature wrapping)", idp.refusal(response));
    }

    @Test
    void aSignedResponseWhoseAssertionWasReplacedIsRefused() throws Exception {
        Document response = response();
        idp.sign(response.getDocumentElement());
        element(response, "NameID").setTextContent("admin@acme.test");
        assertEquals("signature of the Response is not valid for the IdP's certificates", idp.refusal(response));
    }

    @Test
    void aSignatureReferencingAnotherElementIsRefused() throws Exception {
        Document response = idp.signedAssertion();
        // the signature moved from the Assertion onto the Response it does not reference
        Element signature = (Element) assertion(response).getElementsByTagNameNS(SamlXml.DSIG, "Signature").item(0);
        response.getDocumentElement().insertBefore(signature, element(response, "Status"));
        assertEquals("signature of the Response does not reference it (signature wrapping)", idp.refusal(response));
    }
}
