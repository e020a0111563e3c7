package dev.gatehouse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.sso.SamlAssertion;
import dev.gatehouse.sso.SamlIdpMetadata;
import dev.gatehouse.sso.SamlRejected;
import dev.gatehouse.sso.SamlServiceProvider;
import dev.gatehouse.sso.SamlSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Gatehouse's SAML service provider against a real IdP, Keycloak (KeycloakServer): Keycloak's client made from
 * Gatehouse's SP metadata, Gatehouse's settings from Keycloak's IdP metadata, a real login through Keycloak's
 * form, and the real signed response validated, then refused once changed. Needs no Gatehouse server.
 */
class SamlKeycloakIT {

    private static final String SP_ENTITY_ID = "http://localhost:8080/api/v1/sso/saml/it-connection";
    private static final String ACS_URL = "http://localhost:8080/api/v1/sso/saml/it-connection/acs";

    private final SamlServiceProvider serviceProvider = new SamlServiceProvider();

    @Test
    void keycloaksSignedResponseIsAcceptedForItsRequestAndRefusedOnceChanged() throws Exception {
        KeycloakServer keycloak = KeycloakServer.get();
        SamlIdpMetadata idp = SamlIdpMetadata.parse(keycloak.samlIdpMetadata());
        assertEquals(keycloak.issuer(), idp.entityId());
        SamlSettings settings = new SamlSettings(SP_ENTITY_ID, ACS_URL, idp.entityId(), idp.ssoUrl(),
                idp.signingCertificates(), Duration.ofSeconds(30));
        keycloak.createSamlClient(serviceProvider.metadata(settings));

        String requestId = "_" + UUID.randomUUID();
        KeycloakServer.SamlPost post = keycloak.samlLogin(serviceProvider.authnRequest(settings, requestId, "relay-state-1"),
                KeycloakServer.ALICE, KeycloakServer.ALICE_PASSWORD);
        assertEquals(URI.create(ACS_URL), post.action());
        assertEquals("relay-state-1", post.relayState());

        SamlAssertion assertion = serviceProvider.validate(settings, post.samlResponse(), requestId, Instant.now());
        assertEquals(KeycloakServer.ALICE, assertion.nameId());
        assertEquals("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", assertion.nameIdFormat());
        assertEquals(List.of(KeycloakServer.ALICE), assertion.attributes().get("email"));
        assertEquals(List.of("engineering"), assertion.attributes().get("groups"));
        assertTrue(assertion.notOnOrAfter().isAfter(Instant.now()));
        String xml = new String(Base64.getMimeDecoder().decode(post.samlResponse()), StandardCharsets.UTF_8);
        assertTrue(xml.contains("InResponseTo=\"" + requestId + "\""), "the response answers the request");

        SamlRejected otherRequest = assertThrows(SamlRejected.class,
                () -> serviceProvider.validate(settings, post.samlResponse(), "_another-request", Instant.now()));
        assertEquals("Response InResponseTo is not the request's ID", otherRequest.reason());

        String tampered = xml.replaceFirst("(NameID[^>]*>)" + KeycloakServer.ALICE + "<", "$1" + KeycloakServer.BOB + "<");
        assertTrue(tampered.contains(KeycloakServer.BOB), "the NameID was replaced");
        SamlRejected changedName = assertThrows(SamlRejected.class, () -> serviceProvider.validate(settings,
                Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8)), requestId, Instant.now()));
        assertTrue(changedName.reason().matches("signature of the (Response|Assertion) is not valid for the IdP's certificates"),
                changedName.reason());
    }
}
