package dev.gatehouse.sso;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parsing SAML and metadata XML without DTDs (so no external or expanding entities: XXE and entity bombs fail
 * at the DOCTYPE), writing it, and reading elements by namespace and local name.
 */
final class SamlXml {

    static final String PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
    static final String ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String METADATA = "urn:oasis:names:tc:SAML:2.0:metadata";
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    static final String HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    static final String EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

    /** Thrown for a parse failure instead of the default handler's printing to standard error. */
    private static final ErrorHandler FAIL = new ErrorHandler() {
        @Override public void warning(SAXParseException e) { }
        @Override public void error(SAXParseException e) throws SAXException { throw e; }
        @Override public void fatalError(SAXParseException e) throws SAXException { throw e; }
    };

    private SamlXml() {
    }

    static Document parse(byte[] xml) throws SamlRejected {
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(FAIL);
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a safety feature", e);
        } catch (SAXException e) {
            String message = String.valueOf(e.getMessage());
            throw new SamlRejected(message.contains("DOCTYPE") ? "a DTD (DOCTYPE) is not allowed" : "not well-formed XML");
        } catch (java.io.IOException e) {
            throw new SamlRejected("not well-formed XML");
        }
    }

    /** The JDK's own parser (newDefaultInstance), whatever else the server's class path holds. */
    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        return factory;
    }

    static Document newDocument() {
        try {
            return factory().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a safety feature", e);
        }
    }

    static String write(Document document) {
        try {
            Transformer transformer = TransformerFactory.newDefaultInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("writing XML", e);
        }
    }

    static boolean is(Element element, String namespace, String localName) {
        return namespace.equals(element.getNamespaceURI()) && localName.equals(element.getLocalName());
    }

    static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && is(element, namespace, localName)) {
                found.add(element);
            }
        }
        return found;
    }

    /** The child of that name, null if there is none; more than one is refused. */
    static Element child(Element parent, String namespace, String localName) throws SamlRejected {
        List<Element> found = children(parent, namespace, localName);
        if (found.size() > 1) {
            throw new SamlRejected("more than one " + localName + " in " + parent.getLocalName());
        }
        return found.isEmpty() ? null : found.getFirst();
    }

    static Element required(Element parent, String namespace, String localName) throws SamlRejected {
        Element found = child(parent, namespace, localName);
        if (found == null) {
            throw new SamlRejected("no " + localName + " in " + parent.getLocalName());
        }
        return found;
    }

    /** The attribute's value, null when it is absent (DOM answers "" for both). */
    static String attribute(Element element, String name) {
        return element.hasAttributeNS(null, name) ? element.getAttributeNS(null, name) : null;
    }

    /**
     * The element's text, trimmed: all its text nodes, so that a comment inserted into a signed value (which
     * canonicalisation without comments ignores) cannot cut it short.
     */
    static String text(Element element) {
        return element.getTextContent().strip();
    }
}
