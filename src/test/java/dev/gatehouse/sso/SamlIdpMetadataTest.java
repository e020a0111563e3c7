package dev.gatehouse.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SamlIdpMetadata.parse: what a connection needs from an IdP's metadata, and no DTD. */
class SamlIdpMetadataTest {

    private static TestIdp current;
    private static TestIdp next;
    private static TestIdp encryption;

    @BeforeAll
    static void keys() throws Exception {
        current = new TestIdp("idp current");
        next = new TestIdp("idp next");
        encryption = new TestIdp("idp encryption");
    }

    private static String keyDescriptor(String use, TestIdp idp) throws Exception {
        return "<md:KeyDescriptor" + (use == null ? "" : " use=\"" + use + "\"") + "><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n"
                + Base64.getMimeEncoder().encodeToString(idp.certificate.getEncoded())
                + "\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
    }

    private static String metadata(String keyDescriptors, String services) {
        return """
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
                    entityID="https://idp.acme.test/saml">
                  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                    %s
                    %s
                  </md:IDPSSODescriptor>
                </md:EntityDescriptor>
                """.formatted(keyDescriptors, services);
    }

    private static final String SERVICES = """
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.acme.test/saml/post"/>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.acme.test/saml/redirect"/>
            """;

    @Test
    void entityIdRedirectUrlAndTheSigningCertificatesOfARollover() throws Exception {
        SamlIdpMetadata metadata = SamlIdpMetadata.parse(metadata(keyDescriptor("signing", current)
                + keyDescriptor(null, next) + keyDescriptor("encryption", encryption), SERVICES));
        assertEquals("https://idp.acme.test/saml", metadata.entityId());
        assertEquals("https://idp.acme.test/saml/redirect", metadata.ssoUrl());
        assertEquals(List.of(current.certificate, next.certificate), metadata.signingCertificates());
    }

    @Test
    void anEntitiesDescriptorOfOneEntityIsRead() throws Exception {
        String single = metadata(keyDescriptor("signing", current), SERVICES);
        SamlIdpMetadata metadata = SamlIdpMetadata.parse("<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">"
                + single + "</md:EntitiesDescriptor>");
        assertEquals("https://idp.acme.test/saml", metadata.entityId());
    }

    @Test
    void aDoctypeWithAnExternalEntityIsRefused(@TempDir Path directory) throws Exception {
        Path secret = Files.writeString(directory.resolve("secret.txt"), "local-file-content");
        String xml = "<!DOCTYPE md:EntityDescriptor [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + metadata(keyDescriptor("signing", current), SERVICES).replace("https://idp.acme.test/saml/redirect", "&x;");
        assertEquals("a DTD (DOCTYPE) is not allowed", assertThrows(SamlRejected.class, () -> SamlIdpMetadata.parse(xml)).reason());
    }

    @Test
    void anEntityExpansionBombIsRefused() {
        String xml = "<!DOCTYPE b [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><b>&b;</b>";
        assertEquals("a DTD (DOCTYPE) is not allowed", assertThrows(SamlRejected.class, () -> SamlIdpMetadata.parse(xml)).reason());
    }

    @Test
    void metadataWithoutARedirectBindingOrASigningCertificateIsRefused() throws Exception {
        String postOnly = metadata(keyDescriptor("signing", current),
                "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://idp.acme.test/saml/post\"/>");
        assertEquals("metadata: no SingleSignOnService with the HTTP-Redirect binding",
                assertThrows(SamlRejected.class, () -> SamlIdpMetadata.parse(postOnly)).reason());
        String encryptionOnly = metadata(keyDescriptor("encryption", encryption), SERVICES);
        assertEquals("metadata: no signing certificate",
                assertThrows(SamlRejected.class, () -> SamlIdpMetadata.parse(encryptionOnly)).reason());
    }

    @Test
    void spMetadataIsNotIdpMetadata() {
        SamlServiceProvider serviceProvider = new SamlServiceProvider();
        String spMetadata = serviceProvider.metadata(TestIdp.settings(current.certificate));
        assertEquals("metadata: no IDPSSODescriptor", assertThrows(SamlRejected.class, () -> SamlIdpMetadata.parse(spMetadata)).reason());
    }
}
