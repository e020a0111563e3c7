package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.mfa.Totp;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The hosted sign-in page in a real browser (Chromium): a relying party's authorization request (built by the
 * Nimbus SDK) opens it, the person types, and the browser lands on the client's callback, a small HTTP server of
 * the test, with a code the library redeems. Covers the second factor, the tenant chooser and single sign-on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SignInPageChecks {

    private ChromeDriver browser;
    private HttpServer callbackServer;
    private String callback;
    private String clientId;
    private OIDCProviderMetadata provider;

    @BeforeAll
    void startBrowserAndClient() throws Exception {
        callbackServer = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        callbackServer.createContext("/callback", exchange -> {
            byte[] body = "<!DOCTYPE html><title>Signed in</title><p>Back at the application.".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        callbackServer.start();
        callback = "http://localhost:" + callbackServer.getAddress().getPort() + "/callback";
        clientId = OpenIdProviderChecks.registerClient(Api.deploymentAdmin(), "public", List.of(callback))
                .getString("client.client_id");
        provider = OIDCProviderMetadata.resolve(new Issuer(TestServer.baseUrl()));
        browser = Chromium.start();
    }

    /** Every test starts signed out: no cookie of an earlier one, whatever its path (deleteAllCookies sees the page's only). */
    @BeforeEach
    void signedOut() {
        browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        browser.get("about:blank");
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (callbackServer != null) {
            callbackServer.stop(0);
        }
    }

    @Test
    void aPersonWithASecondFactorSignsInWithPasswordAndCode() throws Exception {
        MfaChecks.Enrolled person = MfaChecks.enrol(Api.register("Page MFA Co"));
        Flow flow = new Flow();
        browser.get(flow.uri().toString());
        Chromium.screenshot(browser, "sign-in-password");
        browser.findElement(By.id("email")).sendKeys(person.account().email());
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("submit")).click();
        awaitElement("code");
        Chromium.screenshot(browser, "sign-in-second-factor");
        browser.findElement(By.id("code")).sendKeys("000000");
        browser.findElement(By.id("submit")).click();
        assertTrue(awaitElement("status").getText().contains("not right"), "a wrong code shows the page again");
        browser.findElement(By.id("code")).sendKeys(person.nextCode());
        browser.findElement(By.id("submit")).click();
        IDTokenClaimsSet id = flow.redeemAtCallback();
        assertEquals(person.account().userId(), id.getSubject().getValue());
        assertEquals(List.of("pwd", "otp", "mfa"), id.getStringListClaim("amr"));
        assertEquals("mfa", id.getACR().getValue());
    }

    @Test
    void aMemberOfATenantThatRequiresASecondFactorSetsOneUpOnThePage() throws Exception {
        Api.Account person = Api.register("Page Enrol Co");
        person.as().contentType(ContentType.JSON).body(Map.of("require_all", true, "required_permissions", List.of()))
                .put("/api/v1/tenant/mfa-policy").then().statusCode(200);
        Flow flow = new Flow();
        browser.get(flow.uri().toString());
        browser.findElement(By.id("email")).sendKeys(person.email());
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("submit")).click();
        String secret = awaitElement("secret").getText();
        Chromium.screenshot(browser, "sign-in-enrolment");
        assertTrue(browser.findElement(By.cssSelector("img[src^='data:image/png;base64,']")).isDisplayed(), "the QR code shows");
        browser.findElement(By.id("code")).sendKeys(Totp.code(MfaChecks.base32(secret), Totp.stepAt(System.currentTimeMillis() / 1000)));
        browser.findElement(By.id("submit")).click();
        assertEquals(10, awaitElement("recovery-codes").findElements(By.tagName("li")).size());
        Chromium.screenshot(browser, "sign-in-recovery-codes");
        browser.findElement(By.id("submit")).click();
        IDTokenClaimsSet id = flow.redeemAtCallback();
        assertEquals("mfa", id.getACR().getValue());
        assertEquals(Boolean.TRUE, TestDatabase.queryValue(
                "select confirmed_at is not null from mfa_totp where user_id = ?::uuid", person.userId()));
    }

    @Test
    void aPersonInTwoTenantsChoosesOneAndTheNextClientNeedsNoPage() throws Exception {
        Api.Account person = Api.register("Page First Co");
        String second = person.as().contentType(ContentType.JSON).body(Map.of("name", "Page Second Co"))
                .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
        Flow flow = new Flow();
        browser.get(flow.uri().toString());
        browser.findElement(By.id("email")).sendKeys(person.email());
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.findElements(By.cssSelector("button[name=tenant]")).isEmpty());
        Chromium.screenshot(browser, "sign-in-tenant-chooser");
        assertEquals(2, browser.findElements(By.cssSelector("button[name=tenant]")).size());
        browser.findElement(By.cssSelector("button[name=tenant][value='" + second + "']")).click();
        assertEquals(second, flow.redeemAtCallback().getStringClaim("tenant_id"));

        Flow again = new Flow();
        browser.get(again.uri().toString() + "&tenant=" + person.tenantId());
        assertEquals(person.tenantId(), again.redeemAtCallback().getStringClaim("tenant_id"), "single sign-on: no page");
    }

    @Test
    void theProvidersButtonSignsInUpstreamAndComesBackWithACode() throws Exception {
        String email = Api.uniqueEmail("upstream");
        FakeIdentityProvider.signBrowsersInAs("page-" + email, email, "Upstream Person");
        Flow flow = new Flow();
        browser.get(flow.uri().toString());
        browser.findElement(By.id("provider-fakeoidc")).click();
        IDTokenClaimsSet id = flow.redeemAtCallback();
        assertEquals(email, id.getStringClaim("email"));
        assertEquals("federated", id.getACR().getValue());
        assertEquals(1L, TestDatabase.queryLong("select count(*) from users where email = ? and oauth_provider = 'fakeoidc'", email));
    }

    @Test
    void aWrongPasswordShowsThePageAgainWithTheSameWordsAsAnUnknownEmail() {
        Api.Account person = Api.register("Page Wrong Co");
        String[] messages = new String[2];
        String[] emails = {person.email(), Api.uniqueEmail("nobody")};
        for (int i = 0; i < 2; i++) {
            browser.get(new Flow().uri().toString());
            browser.findElement(By.id("email")).sendKeys(emails[i]);
            browser.findElement(By.id("password")).sendKeys("not the password at all");
            browser.findElement(By.id("submit")).click();
            messages[i] = awaitElement("status").getText();
        }
        assertEquals("Incorrect email or password.", messages[0]);
        assertEquals(messages[0], messages[1]);
    }

    @Test
    void aPersonOfAProvedDomainSignsInThroughTheTenantsOidcIdpAndJoinsJustInTime() throws Exception {
        KeycloakServer idp = KeycloakServer.get();
        Api.Account acme = Api.register("Page OIDC SSO Co");
        String domain = EnterpriseSsoChecks.uniqueDomain("oidc");
        EnterpriseSsoChecks.provedDomain(acme, domain);
        String engineers = AccessChecks.createRole(acme, "engineers", List.of("users:read"));
        acme.as().contentType(ContentType.JSON).body(Map.of("name", "Acme Keycloak", "protocol", "oidc",
                        "oidc", Map.of("issuer", idp.issuer(), "client_id", KeycloakServer.OIDC_CLIENT_ID,
                                "client_secret", KeycloakServer.OIDC_CLIENT_SECRET),
                        "attributes", Map.of("groups", "groups"),
                        "default_role_ids", List.of(AccessChecks.roleId(acme, "member")),
                        "group_roles", Map.of("engineering", List.of(engineers))))
                .post("/api/v1/sso/connections").then().statusCode(201);
        String email = "carol@" + domain;
        idp.createUser(email, "carol-at-the-idp", List.of("engineering"));
        // Carol has an account already, with a tenant of her own and a verified address: SSO links it, Acme adds her
        String ownTenant = json(Map.of("email", email, "password", PASSWORD, "full_name", "Carol", "tenant_name", "Carol's Own"))
                .post("/api/v1/auth/register").then().statusCode(201).extract().path("user.tenant_id");
        json(Map.of("token", MailServer.awaitMail(email, "Confirm your email").token())).post("/api/v1/auth/verify-email")
                .then().statusCode(204);

        Flow flow = new Flow();
        browser.get(flow.uri().toString());
        continueWithSso(email);
        signInAtKeycloak(idp, email, "carol-at-the-idp");
        IDTokenClaimsSet id = flow.redeemAtCallback();
        assertEquals(email, id.getStringClaim("email"));
        assertEquals(acme.tenantId(), id.getStringClaim("tenant_id"));
        String userId = id.getSubject().getValue();
        assertEquals(List.of("engineers", "member"), rolesIn(acme, userId), "the default role and the group's");
        assertEquals(ownTenant, Api.login(email, PASSWORD, ownTenant).getString("tenant.id"), "her own tenant, as before");
        assertEquals(1L, TestDatabase.queryLong("select count(*) from security_events where type = 'sso.membership_created' "
                + "and subject_user_id = ?::uuid", userId));

        // a leaver: the membership deactivated, the IdP's next "yes" opens nothing
        acme.as().post("/api/v1/users/" + userId + "/deactivate").then().statusCode(200);
        Flow again = new Flow();
        browser.get(again.uri().toString());
        continueWithSso(email);
        signInAtKeycloak(idp, email, "carol-at-the-idp");
        assertTrue(awaitElement("status").getText().contains("deactivated"), browser.getPageSource());
        assertEquals(1L, TestDatabase.queryLong("select count(*) from security_events where type = 'sso.sign_in_refused' "
                + "and tenant_id = ?::uuid and details->>'reason' = 'inactive'", acme.tenantId()));
    }

    @Test
    void aPersonSignsInThroughTheTenantsSamlIdp() throws Exception {
        KeycloakServer idp = KeycloakServer.get();
        Api.Account acme = Api.register("Page SAML SSO Co");
        String domain = EnterpriseSsoChecks.uniqueDomain("saml");
        EnterpriseSsoChecks.provedDomain(acme, domain);
        String connection = EnterpriseSsoChecks.samlConnection(acme, idp, false);
        String email = "dana@" + domain;
        idp.createUser(email, "dana-at-the-idp", List.of());

        Flow flow = new Flow();
        browser.get(flow.uri().toString());
        continueWithSso(email);
        signInAtKeycloak(idp, email, "dana-at-the-idp");
        IDTokenClaimsSet id = flow.redeemAtCallback(); // Keycloak's page posted the response to the ACS, which sent it on
        assertEquals(email, id.getStringClaim("email"));
        assertEquals(acme.tenantId(), id.getStringClaim("tenant_id"));
        assertEquals(1L, TestDatabase.queryLong("select count(*) from sso_identities where connection_id = ?::uuid "
                + "and subject = ?", connection, email));
    }

    /** The page's single sign-on form, then the organisation's button it answers with. */
    private void continueWithSso(String email) {
        browser.findElement(By.id("sso-email")).sendKeys(email);
        browser.findElement(By.id("sso-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> !d.findElements(By.cssSelector("a[id^=sso-]")).isEmpty());
        Chromium.screenshot(browser, "sso-organisation");
        browser.findElement(By.cssSelector("a[id^=sso-]")).click();
    }

    /** Keycloak's login form, when it shows one (a live Keycloak session skips it). */
    private void signInAtKeycloak(KeycloakServer idp, String username, String password) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.getCurrentUrl().startsWith(TestServer.baseUrl() + "/")
                || d.findElements(By.id("status")).stream().anyMatch(e -> !e.getText().isEmpty()));
        if (browser.getCurrentUrl().startsWith(idp.baseUrl().toString()) && !browser.findElements(By.id("username")).isEmpty()) {
            Chromium.screenshot(browser, "sso-idp-login");
            browser.findElement(By.id("username")).sendKeys(username);
            browser.findElement(By.id("password")).sendKeys(password);
            browser.findElement(By.id("kc-login")).click();
        }
    }

    private static List<String> rolesIn(Api.Account admin, String userId) {
        return admin.as().get("/api/v1/users/" + userId + "/roles").then().statusCode(200).extract().jsonPath()
                .getList("name", String.class).stream().sorted().toList();
    }

    /** The element once the next page shows it; the status line once it says something. */
    private WebElement awaitElement(String id) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.id(id)).stream()
                        .filter(element -> !"status".equals(id) || !element.getText().isEmpty()).findFirst().orElse(null));
    }

    /** One authorization request of the relying party, with its PKCE verifier, state and nonce. */
    final class Flow {
        final CodeVerifier verifier = new CodeVerifier();
        final State state = new State();
        final Nonce nonce = new Nonce();

        URI uri() {
            return new AuthenticationRequest.Builder(ResponseType.CODE, Scope.parse("openid email"), new ClientID(clientId),
                    URI.create(callback)).endpointURI(provider.getAuthorizationEndpointURI()).state(state).nonce(nonce)
                    .codeChallenge(verifier, CodeChallengeMethod.S256).build().toURI();
        }

        /** Waits for the browser at the callback, then redeems its code and validates the ID token. */
        IDTokenClaimsSet redeemAtCallback() throws Exception {
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().startsWith(callback));
            AuthenticationResponse response = AuthenticationResponseParser.parse(URI.create(browser.getCurrentUrl()));
            assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
            assertEquals(state, response.getState());
            TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
                    new ClientID(clientId), new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(),
                    URI.create(callback), verifier)).toHTTPRequest().send());
            assertTrue(tokens.indicatesSuccess(), () -> tokens.toErrorResponse().getErrorObject().toString());
            return new IDTokenValidator(provider.getIssuer(), new ClientID(clientId), JWSAlgorithm.RS256,
                    provider.getJWKSetURI().toURL()).validate(((OIDCTokenResponse) tokens).getOIDCTokens().getIDToken(), nonce);
        }
    }
}
