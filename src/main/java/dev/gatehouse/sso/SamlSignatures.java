package dev.gatehouse.sso;

import java.security.NoSuchProviderException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The enveloped XML signature of one SAML element (a Response or an Assertion), checked with the JDK's XML
 * Digital Signature implementation (JSR 105, Apache Santuario's code as maintained in the JDK) in its secure
 * validation mode. Signature wrapping is refused here: the signature must be a child of the element, with one
 * Reference whose URI is that element's own ID, an ID no other element of the document carries, and only the
 * transforms a SAML signature uses; so what it covers is the very element the caller then reads.
 */
final class SamlSignatures {

    private static final Set<String> SAML_TRANSFORMS = Set.of(Transform.ENVELOPED,
            CanonicalizationMethod.EXCLUSIVE, CanonicalizationMethod.EXCLUSIVE_WITH_COMMENTS);

    private SamlSignatures() {
    }

    /**
     * Whether {@code signed} carries a signature; if it does, that signature is valid for one of the
     * certificates, or this refuses the response.
     */
    static boolean verify(Element signed, List<X509Certificate> certificates) throws SamlRejected {
        Element signature = SamlXml.child(signed, SamlXml.DSIG, "Signature");
        if (signature == null) {
            return false;
        }
        String id = SamlXml.attribute(signed, "ID");
        if (id == null || id.isBlank()) {
            throw new SamlRejected("signed " + signed.getLocalName() + " has no ID");
        }
        if (elementsWithId(signed.getOwnerDocument().getDocumentElement(), id) != 1) {
            throw new SamlRejected("the ID of the signed " + signed.getLocalName() + " is not unique (signature wrapping)");
        }
        signed.setIdAttributeNS(null, "ID", true);
        XMLSignatureFactory factory = jdkFactory();
        for (X509Certificate certificate : certificates) {
            DOMValidateContext context = new DOMValidateContext(certificate.getPublicKey(), signature);
            context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
            try {
                XMLSignature xmlSignature = factory.unmarshalXMLSignature(context);
                checkReference(xmlSignature, id, signed.getLocalName());
                if (xmlSignature.validate(context)) {
                    return true;
                }
            } catch (MarshalException | XMLSignatureException e) {
                throw new SamlRejected("signature of the " + signed.getLocalName() + " cannot be checked");
            }
        }
        throw new SamlRejected("signature of the " + signed.getLocalName() + " is not valid for the IdP's certificates");
    }

    /**
     * The JDK's own provider ("XMLDSig") by name: another one on the server's class path (Santuario's
     * "ApacheXMLDSig") would read its secure validation switch under another property name.
     */
    private static XMLSignatureFactory jdkFactory() {
        try {
            return XMLSignatureFactory.getInstance("DOM", "XMLDSig");
        } catch (NoSuchProviderException e) {
            throw new IllegalStateException("the JDK's XML signature provider is missing", e);
        }
    }

    private static void checkReference(XMLSignature signature, String id, String element) throws SamlRejected {
        List<?> references = signature.getSignedInfo().getReferences();
        if (references.size() != 1 || !(references.getFirst() instanceof Reference reference)
                || !("#" + id).equals(reference.getURI())) {
            throw new SamlRejected("signature of the " + element + " does not reference it (signature wrapping)");
        }
        for (Object transform : reference.getTransforms()) {
            if (!SAML_TRANSFORMS.contains(((Transform) transform).getAlgorithm())) {
                throw new SamlRejected("signature of the " + element + " uses a transform SAML does not");
            }
        }
    }

    /** How many elements under {@code root} (itself included) carry this value in an attribute named ID or Id. */
    private static int elementsWithId(Element root, String id) {
        int count = 0;
        NodeList elements = root.getElementsByTagNameNS("*", "*");
        for (int i = -1; i < elements.getLength(); i++) {
            Element element = i < 0 ? root : (Element) elements.item(i);
            NamedNodeMap attributes = element.getAttributes();
            for (int a = 0; a < attributes.getLength(); a++) {
                Node attribute = attributes.item(a);
                String name = attribute.getLocalName() != null ? attribute.getLocalName() : attribute.getNodeName();
                if (name.equalsIgnoreCase("id") && id.equals(attribute.getNodeValue())) {
                    count++;
                }
            }
        }
        return count;
    }
}
