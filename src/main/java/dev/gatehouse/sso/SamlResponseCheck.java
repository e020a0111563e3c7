package dev.gatehouse.sso;

import static dev.gatehouse.sso.SamlXml.ASSERTION;
import static dev.gatehouse.sso.SamlXml.PROTOCOL;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The checks of one parsed SAML Response against its connection and the request it answers, in order. */
final class SamlResponseCheck {

    private static final String SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
    private static final String BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

    private final SamlSettings settings;
    private final String expectedInResponseTo;
    private final Instant now;
    private final Duration skew;

    SamlResponseCheck(SamlSettings settings, String expectedInResponseTo, Instant now) {
        this.settings = settings;
        this.expectedInResponseTo = expectedInResponseTo;
        this.now = now;
        this.skew = settings.clockSkew();
    }

    SamlAssertion check(Document document) throws SamlRejected {
        Element response = document.getDocumentElement();
        if (!SamlXml.is(response, PROTOCOL, "Response") || !"2.0".equals(SamlXml.attribute(response, "Version"))) {
            throw new SamlRejected("not a SAML 2.0 Response");
        }
        checkStatus(response);
        // the sign-in state is found by the request's ID, so an unsolicited (IdP-initiated) response never has one
        String inResponseTo = SamlXml.attribute(response, "InResponseTo");
        if (inResponseTo == null) {
            throw new SamlRejected("Response has no InResponseTo (unsolicited)");
        }
        if (!inResponseTo.equals(expectedInResponseTo)) {
            throw new SamlRejected("Response InResponseTo is not the request's ID");
        }
        String destination = SamlXml.attribute(response, "Destination");
        if (destination != null && !destination.equals(settings.acsUrl())) {
            throw new SamlRejected("Response Destination is not this connection's ACS URL");
        }
        Element assertion = theOnlyAssertion(document, response);
        boolean responseSigned = SamlSignatures.verify(response, settings.idpCertificates());
        boolean assertionSigned = SamlSignatures.verify(assertion, settings.idpCertificates());
        if (!responseSigned && !assertionSigned) {
            throw new SamlRejected("neither the Response nor the Assertion is signed");
        }
        Element responseIssuer = SamlXml.child(response, ASSERTION, "Issuer");
        if (responseIssuer != null && !SamlXml.text(responseIssuer).equals(settings.idpEntityId())) {
            throw new SamlRejected("Response Issuer is not the IdP's entity id");
        }
        return readAssertion(assertion);
    }

    private void checkStatus(Element response) throws SamlRejected {
        Element code = SamlXml.required(SamlXml.required(response, PROTOCOL, "Status"), PROTOCOL, "StatusCode");
        String value = String.valueOf(SamlXml.attribute(code, "Value"));
        if (!value.equals(SUCCESS)) {
            // the status URI's last word (Requester, AuthnFailed...), limited to what is safe to log
            String word = value.substring(value.lastIndexOf(':') + 1).replaceAll("[^A-Za-z]", "");
            throw new SamlRejected("status is not Success: " + word.substring(0, Math.min(word.length(), 40)));
        }
    }

    /** Exactly one Assertion in the whole document, a child of the Response: no second one for a reader to prefer. */
    private static Element theOnlyAssertion(Document document, Element response) throws SamlRejected {
        if (document.getElementsByTagNameNS(ASSERTION, "EncryptedAssertion").getLength() > 0) {
            throw new SamlRejected("encrypted assertions are not supported");
        }
        NodeList assertions = document.getElementsByTagNameNS(ASSERTION, "Assertion");
        if (assertions.getLength() != 1) {
            throw new SamlRejected("expected exactly one Assertion, found " + assertions.getLength());
        }
        Element assertion = (Element) assertions.item(0);
        if (assertion.getParentNode() != response) {
            throw new SamlRejected("the Assertion is not a child of the Response");
        }
        return assertion;
    }

    private SamlAssertion readAssertion(Element assertion) throws SamlRejected {
        String id = SamlXml.attribute(assertion, "ID");
        if (id == null || id.isBlank() || !"2.0".equals(SamlXml.attribute(assertion, "Version"))) {
            throw new SamlRejected("Assertion has no ID or is not SAML 2.0");
        }
        if (!SamlXml.text(SamlXml.required(assertion, ASSERTION, "Issuer")).equals(settings.idpEntityId())) {
            throw new SamlRejected("Assertion Issuer is not the IdP's entity id");
        }
        Element subject = SamlXml.required(assertion, ASSERTION, "Subject");
        Element nameId = SamlXml.child(subject, ASSERTION, "NameID");
        if (nameId == null || SamlXml.text(nameId).isEmpty()) {
            throw new SamlRejected("Subject has no NameID (an EncryptedID is not supported)");
        }
        Instant confirmedUntil = checkBearerConfirmation(subject);
        Instant conditionsUntil = checkConditions(SamlXml.required(assertion, ASSERTION, "Conditions"));
        Element authn = SamlXml.children(assertion, ASSERTION, "AuthnStatement").stream().findFirst()
                .orElseThrow(() -> new SamlRejected("Assertion has no AuthnStatement"));
        String sessionNotOnOrAfter = SamlXml.attribute(authn, "SessionNotOnOrAfter");
        if (sessionNotOnOrAfter != null && !now.minus(skew).isBefore(time(sessionNotOnOrAfter))) {
            throw new SamlRejected("the IdP session has ended (SessionNotOnOrAfter)");
        }
        Element context = SamlXml.child(authn, ASSERTION, "AuthnContext");
        Element classRef = context == null ? null : SamlXml.child(context, ASSERTION, "AuthnContextClassRef");
        Instant until = conditionsUntil != null && conditionsUntil.isBefore(confirmedUntil) ? conditionsUntil : confirmedUntil;
        return new SamlAssertion(id, until.plus(skew), SamlXml.text(nameId), SamlXml.attribute(nameId, "Format"),
                attributes(assertion), classRef == null ? null : SamlXml.text(classRef),
                SamlXml.attribute(authn, "SessionIndex"));
    }

    /** A bearer SubjectConfirmation for this ACS, this request and now; its NotOnOrAfter. */
    private Instant checkBearerConfirmation(Element subject) throws SamlRejected {
        String refusal = "Subject has no bearer SubjectConfirmation";
        for (Element confirmation : SamlXml.children(subject, ASSERTION, "SubjectConfirmation")) {
            if (!BEARER.equals(SamlXml.attribute(confirmation, "Method"))) {
                continue;
            }
            Element data = SamlXml.child(confirmation, ASSERTION, "SubjectConfirmationData");
            String notOnOrAfter = data == null ? null : SamlXml.attribute(data, "NotOnOrAfter");
            if (data == null || !settings.acsUrl().equals(SamlXml.attribute(data, "Recipient"))) {
                refusal = "SubjectConfirmationData Recipient is not this connection's ACS URL";
            } else if (!expectedInResponseTo.equals(SamlXml.attribute(data, "InResponseTo"))) {
                refusal = "SubjectConfirmationData InResponseTo is not the request's ID";
            } else if (notOnOrAfter == null) {
                refusal = "SubjectConfirmationData has no NotOnOrAfter";
            } else if (!now.minus(skew).isBefore(time(notOnOrAfter))) {
                refusal = "expired (SubjectConfirmationData NotOnOrAfter)";
            } else {
                return time(notOnOrAfter);
            }
        }
        throw new SamlRejected(refusal);
    }

    /** NotBefore and NotOnOrAfter with the skew, and every AudienceRestriction naming this SP; NotOnOrAfter or null. */
    private Instant checkConditions(Element conditions) throws SamlRejected {
        String notBefore = SamlXml.attribute(conditions, "NotBefore");
        if (notBefore != null && now.plus(skew).isBefore(time(notBefore))) {
            throw new SamlRejected("not yet valid (Conditions NotBefore)");
        }
        String notOnOrAfter = SamlXml.attribute(conditions, "NotOnOrAfter");
        if (notOnOrAfter != null && !now.minus(skew).isBefore(time(notOnOrAfter))) {
            throw new SamlRejected("expired (Conditions NotOnOrAfter)");
        }
        List<Element> restrictions = SamlXml.children(conditions, ASSERTION, "AudienceRestriction");
        if (restrictions.isEmpty()) {
            throw new SamlRejected("Conditions have no AudienceRestriction");
        }
        for (Element restriction : restrictions) {
            boolean names = SamlXml.children(restriction, ASSERTION, "Audience").stream()
                    .anyMatch(audience -> SamlXml.text(audience).equals(settings.spEntityId()));
            if (!names) {
                throw new SamlRejected("Audience does not name this service provider");
            }
        }
        return notOnOrAfter == null ? null : time(notOnOrAfter);
    }

    private static Map<String, List<String>> attributes(Element assertion) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Element statement : SamlXml.children(assertion, ASSERTION, "AttributeStatement")) {
            for (Element attribute : SamlXml.children(statement, ASSERTION, "Attribute")) {
                String name = String.valueOf(SamlXml.attribute(attribute, "Name"));
                List<String> values = new ArrayList<>(attributes.getOrDefault(name, List.of()));
                SamlXml.children(attribute, ASSERTION, "AttributeValue").forEach(value -> values.add(SamlXml.text(value)));
                attributes.put(name, List.copyOf(values));
            }
        }
        return attributes;
    }

    private static Instant time(String xsDateTime) throws SamlRejected {
        try {
            return OffsetDateTime.parse(xsDateTime).toInstant();
        } catch (DateTimeParseException e) {
            throw new SamlRejected("malformed time in the assertion");
        }
    }
}
