package dev.gatehouse.sso;

import static dev.gatehouse.sso.SamlXml.DSIG;
import static dev.gatehouse.sso.SamlXml.METADATA;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.w3c.dom.Element;

/**
 * An IdP's metadata XML, parsed safely (no DTD): entity id, the SSO URL of the HTTP-Redirect binding, the
 * signing certificates (KeyDescriptors with use "signing" or no use). The metadata's own signature, if any, is
 * not checked: an admin gives it over the API or Gatehouse fetches it over HTTPS. {@link #parse} refuses
 * unusable metadata with {@link SamlRejected}, whose reason can be shown to that admin.
 */
public record SamlIdpMetadata(String entityId, String ssoUrl, List<X509Certificate> signingCertificates) {

    public SamlIdpMetadata {
        signingCertificates = List.copyOf(signingCertificates);
    }

    public static SamlIdpMetadata parse(String xml) throws SamlRejected {
        Element root = SamlXml.parse(xml.getBytes(StandardCharsets.UTF_8)).getDocumentElement();
        Element entity = root;
        if (SamlXml.is(root, METADATA, "EntitiesDescriptor")) {
            List<Element> entities = SamlXml.children(root, METADATA, "EntityDescriptor");
            if (entities.size() != 1) {
                throw new SamlRejected("metadata: expected one EntityDescriptor, found " + entities.size());
            }
            entity = entities.getFirst();
        }
        if (!SamlXml.is(entity, METADATA, "EntityDescriptor") || SamlXml.attribute(entity, "entityID") == null) {
            throw new SamlRejected("metadata: no EntityDescriptor with an entityID");
        }
        Element idp = SamlXml.child(entity, METADATA, "IDPSSODescriptor");
        if (idp == null) {
            throw new SamlRejected("metadata: no IDPSSODescriptor");
        }
        String ssoUrl = SamlXml.children(idp, METADATA, "SingleSignOnService").stream()
                .filter(service -> SamlXml.HTTP_REDIRECT.equals(SamlXml.attribute(service, "Binding")))
                .map(service -> SamlXml.attribute(service, "Location"))
                .filter(location -> location != null && !location.isBlank())
                .findFirst().orElseThrow(() -> new SamlRejected("metadata: no SingleSignOnService with the HTTP-Redirect binding"));
        List<X509Certificate> certificates = signingCertificates(idp);
        if (certificates.isEmpty()) {
            throw new SamlRejected("metadata: no signing certificate");
        }
        return new SamlIdpMetadata(SamlXml.attribute(entity, "entityID"), ssoUrl, certificates);
    }

    private static List<X509Certificate> signingCertificates(Element idp) throws SamlRejected {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Element key : SamlXml.children(idp, METADATA, "KeyDescriptor")) {
            String use = SamlXml.attribute(key, "use");
            Element keyInfo = SamlXml.child(key, DSIG, "KeyInfo");
            if ((use != null && !use.equals("signing")) || keyInfo == null) {
                continue;
            }
            for (Element data : SamlXml.children(keyInfo, DSIG, "X509Data")) {
                for (Element certificate : SamlXml.children(data, DSIG, "X509Certificate")) {
                    certificates.add(certificate(SamlXml.text(certificate)));
                }
            }
        }
        return certificates;
    }

    private static X509Certificate certificate(String base64) throws SamlRejected {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64);
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException e) {
            throw new SamlRejected("metadata: an X509Certificate cannot be read");
        }
    }
}
