package dev.gatehouse.it;

import static dev.gatehouse.it.Api.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Enterprise SSO's administration (docs/enterprise-sso.md): domains proved by a TXT record served by a real DNS
 * server (dnsmasq, {@link TestDns}) and noticed when lost, one tenant per proved domain, home-realm discovery
 * without an account oracle, and connections under the escalation rules with their secrets kept back.
 */
abstract class EnterpriseSsoChecks {

    static String uniqueDomain(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
    }

    /** The admin claims the domain, publishes its record, and proves it. */
    static String provedDomain(Api.Account admin, String domain) {
        JsonPath claimed = admin.as().contentType(ContentType.JSON).body(Map.of("domain", domain))
                .post("/api/v1/sso/domains").then().statusCode(201).extract().jsonPath();
        TestDns.publish(claimed.getString("record_name"), claimed.getString("record_value"));
        admin.as().post("/api/v1/sso/domains/" + claimed.getString("id") + "/verify").then().statusCode(200)
                .body("status", equalTo("verified"));
        return claimed.getString("id");
    }

    /**
     * A SAML connection to the suite's Keycloak, from its metadata (the XML, or {@code byUrl} its URL), and Keycloak's
     * client from Gatehouse's.
     */
    static String samlConnection(Api.Account admin, KeycloakServer idp, boolean byUrl) {
        Map<String, String> saml = byUrl ? Map.of("metadata_url", idp.issuer() + "/protocol/saml/descriptor")
                : Map.of("metadata_xml", idp.samlIdpMetadata());
        String connection = admin.as().contentType(ContentType.JSON).body(Map.of("name", "Acme SAML", "protocol", "saml",
                        "saml", saml))
                .post("/api/v1/sso/connections").then().statusCode(201)
                .body("saml.entity_id", equalTo(idp.issuer())).body("saml.certificates.size()", equalTo(1))
                .extract().path("id");
        String spMetadata = given().get("/api/v1/oauth/sign-in/sso/" + connection + "/metadata").then().statusCode(200)
                .contentType(startsWith("application/samlmetadata+xml")).extract().asString();
        idp.createSamlClient(spMetadata);
        return connection;
    }

    static void ssoRequired(ValidatableResponse response) {
        response.statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:gatehouse:problem:sso-required"));
    }

    static Map<String, Object> oidcConnection(String issuer, List<String> defaultRoleIds) {
        return Map.of("name", "Acme Keycloak", "protocol", "oidc",
                "oidc", Map.of("issuer", issuer, "client_id", "gatehouse", "client_secret", "it-client-secret"),
                "default_role_ids", defaultRoleIds);
    }

    @Test
    void aDomainIsProvedByItsTxtRecordAndHeldByOneTenant() {
        Api.Account acme = Api.register("Acme Domains");
        Api.Account rival = Api.register("Rival Domains");
        String domain = uniqueDomain("acme");

        JsonPath claimed = acme.as().contentType(ContentType.JSON).body(Map.of("domain", domain.toUpperCase() + "."))
                .post("/api/v1/sso/domains").then().statusCode(201)
                .body("domain", equalTo(domain)).body("status", equalTo("pending"))
                .body("record_name", equalTo("_gatehouse-challenge." + domain)).extract().jsonPath();
        String id = claimed.getString("id");
        acme.as().post("/api/v1/sso/domains/" + id + "/verify").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:gatehouse:problem:domain-not-proved"));
        TestDns.publish(claimed.getString("record_name"), "gatehouse-domain-verification=someone-elses-proof");
        acme.as().post("/api/v1/sso/domains/" + id + "/verify").then().statusCode(409)
                .body("type", equalTo("urn:gatehouse:problem:domain-not-proved"));

        TestDns.publish(claimed.getString("record_name"), claimed.getString("record_value"));
        acme.as().post("/api/v1/sso/domains/" + id + "/verify").then().statusCode(200)
                .body("status", equalTo("verified")).body("verified_at", not(nullValue()));
        assertEquals(1, TestDatabase.queryLong("select count(*) from security_events where type = 'domain.verified' "
                + "and tenant_id = ?::uuid and details->>'domain' = ?", acme.tenantId(), domain));
        acme.as().contentType(ContentType.JSON).body(Map.of("require_sso", true)).patch("/api/v1/sso/domains/" + id)
                .then().statusCode(409).body("type", equalTo("urn:gatehouse:problem:conflict")); // no connection yet

        // the rival may claim it, and even serve its own record, but not take it while Acme holds it
        JsonPath rivalClaim = rival.as().contentType(ContentType.JSON).body(Map.of("domain", domain))
                .post("/api/v1/sso/domains").then().statusCode(201).extract().jsonPath();
        TestDns.publish(rivalClaim.getString("record_name") + ".", rivalClaim.getString("record_value"));
        rival.as().post("/api/v1/sso/domains/" + rivalClaim.getString("id") + "/verify").then().statusCode(409);
        rival.as().get("/api/v1/sso/domains/" + id).then().statusCode(404); // another tenant's claim is not the rival's
        acme.as().contentType(ContentType.JSON).body(Map.of("domain", domain)).post("/api/v1/sso/domains").then().statusCode(409);
        json(Map.of("domain", "not a domain")).header("Authorization", "Bearer " + acme.accessToken())
                .post("/api/v1/sso/domains").then().statusCode(422);
    }

    @Test
    void aRecordGoneIsNoticedByTheScheduleAndReported() {
        Api.Account acme = Api.register("Acme Lost Domain");
        String domain = uniqueDomain("lost");
        String id = provedDomain(acme, domain);
        TestDns.remove("_gatehouse-challenge." + domain);
        Polling.awaitTrue(Duration.ofSeconds(30), "the re-check notices the record gone", () ->
                "lost".equals(acme.as().get("/api/v1/sso/domains/" + id).then().statusCode(200).extract().path("status")));
        assertEquals(1, TestDatabase.queryLong("select count(*) from security_events where type = "
                + "'domain.verification_lost' and tenant_id = ?::uuid and details->>'domain' = ?", acme.tenantId(), domain));
    }

    @Test
    void discoveryAnswersFromTheDomainAloneTheSameForEveryAddress() {
        Api.Account acme = Api.register("Acme Discovery");
        String domain = uniqueDomain("disco");
        provedDomain(acme, domain);
        String connection = acme.as().contentType(ContentType.JSON)
                .body(oidcConnection("https://idp.example.com/realms/acme", List.of()))
                .post("/api/v1/sso/connections").then().statusCode(201).extract().path("id");

        // an address with an account and one without: the same answer
        JsonPath known = json(Map.of("email", acme.email().replace("@example.com", "@" + domain)))
                .post("/api/v1/auth/discover").then().statusCode(200).extract().jsonPath();
        JsonPath unknown = json(Map.of("email", "nobody-" + UUID.randomUUID() + "@" + domain))
                .post("/api/v1/auth/discover").then().statusCode(200).extract().jsonPath();
        assertEquals(known.getMap(""), unknown.getMap(""));
        assertEquals("sso", known.getString("method"));
        assertEquals(connection, known.getString("sso[0].connection_id"));
        assertEquals(TestDatabase.queryValue("select slug from tenants where id = ?::uuid", acme.tenantId()),
                known.getString("sso[0].tenant_slug"));
        assertEquals(true, known.getBoolean("password_allowed"));

        // one statement whatever the address (docs/architecture.md's budget): no account is read
        assertEquals(1, TestServer.statements(json(Map.of("email", "nobody-" + UUID.randomUUID() + "@" + domain)),
                r -> r.post("/api/v1/auth/discover"), 200));
        assertEquals(1, TestServer.statements(json(Map.of("email", acme.email())), r -> r.post("/api/v1/auth/discover"), 200));

        // an address in a domain nobody proved: password, the same shape
        JsonPath elsewhere = json(Map.of("email", acme.email())).post("/api/v1/auth/discover").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(Map.of("method", "password", "sso", List.of(), "password_allowed", true), elsewhere.getMap(""));
        json(Map.of("email", "not-an-address")).post("/api/v1/auth/discover").then().statusCode(422);
    }

    @Test
    void connectionsKeepTheirSecretAndHandOutOnlyRolesTheirWriterHolds() {
        Api.Account acme = Api.register("Acme Connections");
        JsonPath created = acme.as().contentType(ContentType.JSON)
                .body(oidcConnection("https://idp.example.com/realms/acme", List.of(AccessChecks.roleId(acme, "admin"))))
                .post("/api/v1/sso/connections").then().statusCode(201)
                .body("oidc.client_secret_set", equalTo(true)).body("oidc", not(hasKey("client_secret")))
                .body("oidc.scopes", equalTo("openid email profile")).extract().jsonPath();
        String id = created.getString("id");
        assertEquals(TestServer.baseUrl() + "/api/v1/oauth/sign-in/sso/" + id + "/callback",
                created.getString("service_provider.redirect_uri"));
        String stored = TestDatabase.queryValue("select encode(oidc_client_secret, 'escape') from sso_connections "
                + "where id = ?::uuid", id).toString();
        assertEquals(false, stored.contains("it-client-secret"), "the client secret is sealed at rest");

        // a replace without the secret keeps it
        acme.as().contentType(ContentType.JSON).body(Map.of("name", "Renamed", "protocol", "oidc",
                        "oidc", Map.of("issuer", "https://idp.example.com/realms/acme", "client_id", "gatehouse")))
                .put("/api/v1/sso/connections/" + id).then().statusCode(200)
                .body("name", equalTo("Renamed")).body("oidc.client_secret_set", equalTo(true));

        // someone who manages SSO but does not hold the admin role's permissions cannot make IdP sign-ins admins
        Api.Account ssoManager = AccessChecks.userWith(acme, List.of("sso:manage"));
        ssoManager.as().contentType(ContentType.JSON)
                .body(oidcConnection("https://idp.example.com/realms/acme", List.of(AccessChecks.roleId(acme, "admin"))))
                .post("/api/v1/sso/connections").then().statusCode(403)
                .body("type", equalTo("urn:gatehouse:problem:privilege-escalation"));
        Api.Account other = Api.register("Other Connections");
        other.as().get("/api/v1/sso/connections/" + id).then().statusCode(404);
        other.as().delete("/api/v1/sso/connections/" + id).then().statusCode(404);

        // plain http only to this machine; a SAML certificate must parse
        acme.as().contentType(ContentType.JSON).body(oidcConnection("http://idp.example.com/realms/acme", List.of()))
                .post("/api/v1/sso/connections").then().statusCode(422);
        acme.as().contentType(ContentType.JSON).body(Map.of("name", "Bad SAML URL", "protocol", "saml",
                        "saml", Map.of("metadata_url", "http://metadata.example.com/saml")))
                .post("/api/v1/sso/connections").then().statusCode(422);
        acme.as().contentType(ContentType.JSON).body(Map.of("name", "Bad SAML", "protocol", "saml",
                        "saml", Map.of("entity_id", "https://idp.example.com", "sso_url", "https://idp.example.com/sso",
                                "certificates", List.of("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))))
                .post("/api/v1/sso/connections").then().statusCode(422);
        assertEquals(1, TestDatabase.queryLong("select count(*) from security_events where type = "
                + "'sso_connection.changed' and tenant_id = ?::uuid", acme.tenantId()));
        acme.as().delete("/api/v1/sso/connections/" + id).then().statusCode(204);
    }

    @Test
    void aTenantThatRequiresSsoRefusesPasswordsThereButNotInTheMembersOtherTenants() {
        Api.Account acme = Api.register("Acme Enforcement");
        String domain = uniqueDomain("enforced");
        String domainId = provedDomain(acme, domain);
        acme.as().contentType(ContentType.JSON).body(oidcConnection("https://idp.example.com/realms/acme", List.of()))
                .post("/api/v1/sso/connections").then().statusCode(201);

        // Ada: her own tenant, and a member of Acme by invitation; Bob: Acme's only
        String ada = "ada@" + domain;
        String adasTenant = json(Map.of("email", ada, "password", Api.PASSWORD, "full_name", "Ada", "tenant_name", "Ada's Own"))
                .post("/api/v1/auth/register").then().statusCode(201).extract().path("user.tenant_id");
        InvitationChecks.invite(acme, ada, List.of());
        json(Map.of("token", InvitationChecks.invitationToken(ada), "password", Api.PASSWORD, "full_name", "Ada"))
                .post("/api/v1/invitations/accept").then().statusCode(201);
        String bob = "bob@" + domain;
        String bobId = acme.as().contentType(ContentType.JSON)
                .body(Map.of("email", bob, "password", Api.PASSWORD, "full_name", "Bob"))
                .post("/api/v1/users").then().statusCode(201).extract().path("id");
        Api.login(ada, Api.PASSWORD, acme.tenantId()); // before: a password opens Acme

        // Ada's account is shared with her own tenant, yet Acme manages it (its domain): within the domain only
        String adaId = TestDatabase.queryValue("select id from users where email = ?", ada).toString();
        acme.as().contentType(ContentType.JSON).body(Map.of("full_name", "Ada L.")).patch("/api/v1/users/" + adaId)
                .then().statusCode(200).body("full_name", equalTo("Ada L."));
        acme.as().contentType(ContentType.JSON).body(Map.of("email", "ada@elsewhere.test")).patch("/api/v1/users/" + adaId)
                .then().statusCode(409).body("type", equalTo("urn:gatehouse:problem:account-shared"));

        acme.as().contentType(ContentType.JSON).body(Map.of("require_sso", true)).patch("/api/v1/sso/domains/" + domainId)
                .then().statusCode(200).body("require_sso", equalTo(true));

        ssoRequired(json(Map.of("email", ada, "password", Api.PASSWORD, "tenant", acme.tenantId()))
                .post("/api/v1/auth/login").then());
        JsonPath own = Api.login(ada, Api.PASSWORD, adasTenant); // her own tenant still takes the password
        ssoRequired(given().header("Authorization", "Bearer " + own.getString("access_token"))
                .contentType(ContentType.JSON).body(Map.of("tenant", acme.tenantId()))
                .post("/api/v1/auth/switch-tenant").then());
        ssoRequired(json(Map.of("email", bob, "password", Api.PASSWORD))
                .post("/api/v1/auth/login").then());
        // the acme admin's own address is not in the domain: untouched
        Api.login(acme.email(), Api.PASSWORD, acme.tenantId());

        JsonPath discovered = json(Map.of("email", bob)).post("/api/v1/auth/discover").then().statusCode(200).extract().jsonPath();
        assertEquals("sso", discovered.getString("method"));
        assertEquals(false, discovered.getBoolean("password_allowed"));

        // a reset link for Bob would open nothing: none is written, the answer is the same
        json(Map.of("email", bob)).post("/api/v1/auth/forgot-password").then().statusCode(202);
        assertEquals(1, TestDatabase.queryLong("select count(*) from security_events where type = 'password.reset_requested' "
                + "and subject_user_id = ?::uuid and details->>'reason' = 'sso_required'", bobId));

        // Bob as a break-glass admin: a password, and then a second factor, which he must have
        acme.as().contentType(ContentType.JSON).body(Map.of("user_ids", List.of(bobId))).put("/api/v1/sso/break-glass")
                .then().statusCode(200).body("user_ids", equalTo(List.of(bobId)));
        ValidatableResponse bobWithoutMfa = json(Map.of("email", bob, "password", Api.PASSWORD)).post("/api/v1/auth/login").then();
        ssoRequired(bobWithoutMfa);
        assertEquals(true, bobWithoutMfa.extract().jsonPath().getString("detail").contains("second factor"));

        acme.as().contentType(ContentType.JSON).body(Map.of("require_sso", false)).patch("/api/v1/sso/domains/" + domainId)
                .then().statusCode(200);
        JsonPath bobSignedIn = Api.login(bob, Api.PASSWORD, acme.tenantId());
        MfaChecks.enrol(new Api.Account(bob, bobId, acme.tenantId(), bobSignedIn.getString("access_token"),
                bobSignedIn.getString("refresh_token")));
        acme.as().contentType(ContentType.JSON).body(Map.of("require_sso", true)).patch("/api/v1/sso/domains/" + domainId)
                .then().statusCode(200);
        json(Map.of("email", bob, "password", Api.PASSWORD)).post("/api/v1/auth/login").then().statusCode(200)
                .body("mfa_required", equalTo(true));
    }

    @Test
    void hostileSamlResponsesAreRefusedAtTheAssertionConsumerServiceAndChangeNothing() throws Exception {
        KeycloakServer idp = KeycloakServer.get();
        Api.Account acme = Api.register("Acme Hostile SAML");
        String domain = uniqueDomain("hostile");
        provedDomain(acme, domain);
        String connection = samlConnection(acme, idp, true);
        String email = "erin@" + domain;
        idp.createUser(email, "erin-at-the-idp", List.of());
        String client = OpenIdProviderChecks.registerClient(Api.deploymentAdmin(), "public",
                List.of(OpenIdProviderChecks.CALLBACK)).getString("client.client_id");
        OpenIdProviderChecks.Browser browser = new OpenIdProviderChecks.Browser();

        KeycloakServer.SamlPost first = samlSignIn(browser, client, connection, idp, email, "erin-at-the-idp");
        HttpResponse<String> accepted = postToAcs(browser, first.action(), first.samlResponse(), first.relayState());
        assertEquals(303, accepted.statusCode(), accepted.body());
        HttpResponse<String> replayed = postToAcs(browser, first.action(), first.samlResponse(), first.relayState());
        assertEquals(400, replayed.statusCode(), "the same response again");

        KeycloakServer.SamlPost second = samlSignIn(browser, client, connection, idp, email, "erin-at-the-idp");
        String xml = new String(Base64.getMimeDecoder().decode(second.samlResponse()), StandardCharsets.UTF_8);
        String tampered = Base64.getEncoder().encodeToString(xml.replace(email, "ceo@" + domain).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> forged = postToAcs(browser, second.action(), tampered, second.relayState());
        assertEquals(400, forged.statusCode(), "a NameID changed after signing");
        assertTrue(forged.body().contains("signature"), forged.body());
        // another browser's sign-in (one browser keeps one upstream sign-in in its cookie)
        KeycloakServer.SamlPost third = samlSignIn(new OpenIdProviderChecks.Browser(), client, connection, idp, email, "erin-at-the-idp");
        assertEquals(400, postToAcs(browser, second.action(), second.samlResponse(), third.relayState()).statusCode(),
                "a response to another sign-in (InResponseTo)");
        assertEquals(400, postToAcs(browser, second.action(), second.samlResponse(), "").statusCode(), "unsolicited");
        assertEquals(400, postToAcs(browser, second.action(), Base64.getEncoder().encodeToString("""
                <?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"""
                .getBytes(StandardCharsets.UTF_8)), second.relayState()).statusCode(), "XXE");

        // none of that spent the second sign-in: its own response still finishes it, with a code for the client
        HttpResponse<String> answered = postToAcs(browser, second.action(), second.samlResponse(), second.relayState());
        assertEquals(303, answered.statusCode(), answered.body());
        HttpResponse<String> finished = browser.get(URI.create(answered.headers().firstValue("Location").orElseThrow()));
        assertEquals(303, finished.statusCode(), finished.body());
        String callback = finished.headers().firstValue("Location").orElseThrow();
        assertTrue(callback.startsWith(OpenIdProviderChecks.CALLBACK + "?code="), callback);
        assertEquals(0L, TestDatabase.queryLong("select count(*) from users where email = ?", "ceo@" + domain));
        for (String reason : List.of("no sign-in waits for this response (unknown, answered already, or expired)",
                "signature of the % is not valid for the IdP's certificates", "Response InResponseTo is not the request's ID",
                "unsolicited response (no RelayState)", "a DTD (DOCTYPE) is not allowed")) {
            assertEquals(1L, TestDatabase.queryLong("select count(*) from security_events where type = 'sso.sign_in_refused' "
                    + "and details->>'connection' = ? and details->>'reason' like ?", connection, reason), reason);
        }
    }

    /** A browser's sign-in through the SAML connection up to Keycloak's answer (not yet posted back). */
    private static KeycloakServer.SamlPost samlSignIn(OpenIdProviderChecks.Browser browser, String client, String connection,
                                                      KeycloakServer idp, String email, String password) throws Exception {
        HttpResponse<String> page = browser.get(URI.create(TestServer.baseUrl() + "/api/v1/oauth/authorize?response_type=code"
                + "&client_id=" + client + "&redirect_uri=" + URLEncoder.encode(OpenIdProviderChecks.CALLBACK, StandardCharsets.UTF_8)
                + "&scope=openid&state=s&nonce=n&code_challenge_method=S256"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        HttpResponse<String> toIdp = browser.get(URI.create(TestServer.baseUrl() + "/api/v1/oauth/sign-in/sso/" + connection
                + "?request=" + OpenIdProviderChecks.requestId(page)));
        assertEquals(303, toIdp.statusCode(), toIdp.body());
        return idp.samlLogin(URI.create(toIdp.headers().firstValue("Location").orElseThrow()), email, password);
    }

    private static HttpResponse<String> postToAcs(OpenIdProviderChecks.Browser browser, URI acs, String samlResponse,
                                                  String relayState) throws Exception {
        assertTrue(acs.toString().startsWith(TestServer.baseUrl()), acs::toString);
        return browser.post(acs.getPath(), Map.of("SAMLResponse", samlResponse, "RelayState", relayState));
    }
}
