package dev.gatehouse.it;

import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.TestServer.statements;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Service accounts: a tenant's machines with roles of the tenant, which obtain access tokens by the
 * client-credentials grant at POST /api/v1/oauth/token with a client secret or a signed assertion (made here with
 * Nimbus JOSE + JWT, as a client would), and are callers like people on every endpoint guarded by a permission.
 */
abstract class ServiceAccountChecks {

    static final String TOKEN_ENDPOINT = "/api/v1/oauth/token";
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** A role of the admin's tenant holding these permissions: its id. */
    static String role(Api.Account admin, String name, List<String> permissions) {
        return admin.as().contentType(ContentType.JSON).body(Map.of("name", name, "permissions", permissions))
                .post("/api/v1/roles").then().statusCode(201).extract().path("id");
    }

    /** A service account with these roles, created by the admin: its id, which is its client_id. */
    static String serviceAccount(Api.Account admin, String name, List<String> roleIds) {
        return admin.as().contentType(ContentType.JSON).body(Map.of("name", name, "role_ids", roleIds))
                .post("/api/v1/service-accounts").then().statusCode(201)
                .body("client_id", not(nullValue())).extract().path("id");
    }

    /** A new client secret of the account: its credential id and the secret. */
    static Map<String, String> secret(Api.Account admin, String serviceAccountId) {
        var body = admin.as().contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/service-accounts/" + serviceAccountId + "/secrets").then().statusCode(201)
                .body("client_id", equalTo(serviceAccountId)).extract().jsonPath();
        return Map.of("id", body.getString("id"), "secret", body.getString("client_secret"));
    }

    /** client_secret_basic. */
    static Response tokenBySecret(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post(TOKEN_ENDPOINT);
    }

    static String accessToken(String clientId, String secret) {
        return tokenBySecret(clientId, secret).then().statusCode(200).extract().path("access_token");
    }

    static RequestSpecification as(String accessToken) {
        return given().header("Authorization", "Bearer " + accessToken);
    }

    /** A tenant, its reader role (users:read) and a service account holding it, with a secret. */
    record Machine(Api.Account admin, String roleId, String id, String credentialId, String secret) {
        String token() {
            return accessToken(id, secret);
        }
    }

    static Machine machine(String tenantName) {
        Api.Account admin = Api.register(tenantName);
        String reader = role(admin, "reader", List.of("users:read"));
        String id = serviceAccount(admin, "nightly sync", List.of(reader));
        Map<String, String> secret = secret(admin, id);
        return new Machine(admin, reader, id, secret.get("id"), secret.get("secret"));
    }

    @Test
    void aServiceAccountCallsWhatItsRoleAllowsAndNothingElse() {
        Machine machine = machine("Machine Calls Co");
        tokenBySecret(machine.id(), machine.secret()).then().statusCode(200)
                .contentType(ContentType.JSON).header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(900))
                .body("refresh_token", nullValue());
        String token = machine.token();
        as(token).get("/api/v1/users").then().statusCode(200).body("items.id", hasItem(machine.admin().userId()));
        as(token).get("/api/v1/roles").then().statusCode(403).body("type", equalTo("urn:gatehouse:problem:forbidden"));
        as(token).contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail("by-machine"), "password", Api.PASSWORD, "full_name", "X"))
                .post("/api/v1/users").then().statusCode(403);
        // the security log names the machine as the actor of its token
        machine.admin().as().get("/api/v1/audit-events?type=service_account.token_issued").then().statusCode(200)
                .body("items.actor_user_id", hasItem(machine.id()));
    }

    @Test
    void endpointsOfAPersonsOwnAccountRefuseAServiceAccount() {
        String token = machine("Person Only Co").token();
        for (String path : List.of("/api/v1/users/me", "/api/v1/users/me/sessions", "/api/v1/auth/me")) {
            as(token).get(path).then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("urn:gatehouse:problem:person-only"));
        }
        as(token).contentType(ContentType.JSON).body(Map.of("name", "Machine's Own Co")).post("/api/v1/tenants")
                .then().statusCode(403).body("type", equalTo("urn:gatehouse:problem:person-only"));
        as(token).contentType(ContentType.JSON).body(Map.of()).post("/api/v1/users/me/mfa/totp")
                .then().statusCode(403).body("type", equalTo("urn:gatehouse:problem:person-only"));
    }

    @Test
    void aSecretInTheFormWorksAsInTheHeader() {
        Machine machine = machine("Secret Post Co");
        given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", machine.id()).formParam("client_secret", machine.secret())
                .post(TOKEN_ENDPOINT).then().statusCode(200).body("access_token", not(nullValue()));
    }

    @Test
    void aSignedAssertionAuthenticatesOnceWithARegisteredKey() throws JOSEException {
        Machine machine = machine("Assertion Co");
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("ci-key-1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate(); // no kid: the server names it by its thumbprint
        registerKey(machine, rsa.toPublicJWK()).then().statusCode(201).body("key_id", equalTo("ci-key-1"));
        registerKey(machine, ec.toPublicJWK()).then().statusCode(201).body("key_id", equalTo(ec.computeThumbprint().toString()));

        String assertion = assertion(machine.id(), "gatehouse", new RSASSASigner(rsa), JWSAlgorithm.RS256, rsa.getKeyID());
        String token = byAssertion(assertion).then().statusCode(200).extract().path("access_token");
        as(token).get("/api/v1/users").then().statusCode(200);
        byAssertion(assertion).then().statusCode(401).body("error", equalTo("invalid_client")); // replayed

        String absoluteAudience = "http://localhost:" + TestServer.HTTP_PORT + TOKEN_ENDPOINT;
        byAssertion(assertion(machine.id(), absoluteAudience, new ECDSASigner(ec), JWSAlgorithm.ES256, null))
                .then().statusCode(200);

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("ci-key-1").generate();
        byAssertion(assertion(machine.id(), "gatehouse", new RSASSASigner(stranger), JWSAlgorithm.RS256, "ci-key-1"))
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        byAssertion(assertion(machine.id(), "another-server", new RSASSASigner(rsa), JWSAlgorithm.RS256, "ci-key-1"))
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        // a private key is refused, so the server never holds the machine's secret half
        registerKey(machine, rsa).then().statusCode(422).body("errors[0].field", equalTo("jwk"));
    }

    private static Response registerKey(Machine machine, JWK jwk) {
        return machine.admin().as().contentType(ContentType.JSON).body(Map.of("jwk", jwk.toJSONObject()))
                .post("/api/v1/service-accounts/" + machine.id() + "/keys");
    }

    private static Response byAssertion(String assertion) {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", ASSERTION_TYPE).formParam("client_assertion", assertion)
                .post(TOKEN_ENDPOINT);
    }

    static String assertion(String clientId, String audience, com.nimbusds.jose.JWSSigner signer, JWSAlgorithm algorithm,
                            String keyId) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(120)))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /**
     * Every way to take a machine's access away works on its next request, though its caller was cached:
     * deactivating it, removing its role, revoking its secret, deleting it.
     */
    @Test
    void eachRevocationTakesEffectOnTheNextRequest() {
        Machine machine = machine("Machine Revocation Co");
        String account = "/api/v1/service-accounts/" + machine.id();
        String token = machine.token();
        for (int i = 0; i < 2; i++) { // the second from the caller cache
            as(token).get("/api/v1/users").then().statusCode(200);
        }
        machine.admin().as().contentType(ContentType.JSON).body(Map.of("active", false)).patch(account)
                .then().statusCode(200).body("active", equalTo(false));
        as(token).get("/api/v1/users").then().statusCode(401);
        tokenBySecret(machine.id(), machine.secret()).then().statusCode(401).body("error", equalTo("invalid_client"));
        machine.admin().as().contentType(ContentType.JSON).body(Map.of("active", true)).patch(account).then().statusCode(200);
        as(token).get("/api/v1/users").then().statusCode(200);

        machine.admin().as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of())).put(account + "/roles")
                .then().statusCode(200);
        as(token).get("/api/v1/users").then().statusCode(403);
        machine.admin().as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of(machine.roleId())))
                .put(account + "/roles").then().statusCode(200);
        as(token).get("/api/v1/users").then().statusCode(200);

        Map<String, String> second = secret(machine.admin(), machine.id()); // rotation: both live at once
        String secondToken = accessToken(machine.id(), second.get("secret"));
        machine.admin().as().delete(account + "/credentials/" + machine.credentialId()).then().statusCode(204);
        as(token).get("/api/v1/users").then().statusCode(401);
        tokenBySecret(machine.id(), machine.secret()).then().statusCode(401);
        as(secondToken).get("/api/v1/users").then().statusCode(200);
        machine.admin().as().get(account + "/credentials").then().statusCode(200)
                .body("items.find { it.id == '" + machine.credentialId() + "' }.revoked_at", not(nullValue()))
                .body("items.client_secret", not(hasItem(not(nullValue()))));

        machine.admin().as().delete(account).then().statusCode(204);
        as(secondToken).get("/api/v1/users").then().statusCode(401);
        machine.admin().as().get(account).then().statusCode(404);
    }

    @Test
    void nobodyMakesAServiceAccountStrongerThanThemselves() {
        Api.Account admin = Api.register("Machine Escalation Co");
        String keeper = role(admin, "machine keeper", List.of("users:read", "service_accounts:manage", "service_accounts:read"));
        String reader = role(admin, "reader", List.of("users:read"));
        String adminRole = admin.as().get("/api/v1/roles").then().statusCode(200)
                .extract().path("find { it.name == 'admin' }.id");
        Api.Account keeperUser = Api.addUser(admin, false);
        admin.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of(keeper)))
                .put("/api/v1/users/" + keeperUser.userId() + "/roles").then().statusCode(200);
        Api.Account keeperSignedIn = relogin(keeperUser);

        keeperSignedIn.as().contentType(ContentType.JSON).body(Map.of("name", "strong", "role_ids", List.of(adminRole)))
                .post("/api/v1/service-accounts").then().statusCode(403)
                .body("type", equalTo("urn:gatehouse:problem:privilege-escalation"));
        String weak = serviceAccount(keeperSignedIn, "weak", List.of(reader));
        keeperSignedIn.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of(reader, adminRole)))
                .put("/api/v1/service-accounts/" + weak + "/roles").then().statusCode(403);
        String strong = serviceAccount(admin, "strong", List.of(adminRole));
        keeperSignedIn.as().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/service-accounts/" + strong + "/secrets")
                .then().statusCode(403).body("type", equalTo("urn:gatehouse:problem:privilege-escalation"));
        keeperSignedIn.as().delete("/api/v1/service-accounts/" + strong).then().statusCode(403);

        // another tenant's admin sees none of it
        Api.Account stranger = Api.register("Machine Stranger Co");
        stranger.as().get("/api/v1/service-accounts/" + weak).then().statusCode(404);
        stranger.as().get("/api/v1/service-accounts").then().statusCode(200).body("items.id", not(hasItem(weak)));
    }

    private static Api.Account relogin(Api.Account account) {
        var tokens = Api.login(account.email(), Api.PASSWORD, account.tenantId());
        return new Api.Account(account.email(), account.userId(), account.tenantId(), tokens.getString("access_token"),
                tokens.getString("refresh_token"));
    }

    @Test
    void badRequestsAtTheTokenEndpointGetOAuthErrors() {
        Machine machine = machine("Token Errors Co");
        tokenBySecret(machine.id(), "not-the-secret").then().statusCode(401).contentType(ContentType.JSON)
                .header("WWW-Authenticate", startsWith("Basic")).body("error", equalTo("invalid_client"));
        tokenBySecret(UUID.randomUUID().toString(), machine.secret()).then().statusCode(401).body("error", equalTo("invalid_client"));
        tokenBySecret("not-a-client", machine.secret()).then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic(machine.id(), machine.secret()).contentType(ContentType.URLENC)
                .formParam("scope", "x").post(TOKEN_ENDPOINT).then().statusCode(400).body("error", equalTo("invalid_request"));
        given().auth().preemptive().basic(machine.id(), machine.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", "password").post(TOKEN_ENDPOINT).then().statusCode(400)
                .body("error", equalTo("unsupported_grant_type"));
        given().auth().preemptive().basic(machine.id(), machine.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_secret", machine.secret())
                .formParam("client_id", machine.id()).post(TOKEN_ENDPOINT).then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("grant_type", "client_credentials").formParam("client_id", machine.id())
                .formParam("client_secret", machine.secret()).post(TOKEN_ENDPOINT).then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        json(Map.of("grant_type", "client_credentials")).post(TOKEN_ENDPOINT).then().statusCode(415)
                .contentType("application/problem+json");
        machine.admin().as().contentType(ContentType.JSON).body(Map.of("jwk", Map.of("kty", "oct", "k", "c2VjcmV0")))
                .post("/api/v1/service-accounts/" + machine.id() + "/keys").then().statusCode(422);
        machine.admin().as().contentType(ContentType.JSON).body(Map.of("name", "nightly sync"))
                .post("/api/v1/service-accounts").then().statusCode(409)
                .body("type", equalTo("urn:gatehouse:problem:service-account-name-taken"));
        // the right secret still works: nothing above counted against it from elsewhere
        tokenBySecret(machine.id(), machine.secret()).then().statusCode(200);
    }

    /** Wrong secrets are counted as wrong passwords are: past the threshold the client waits, whatever it sends. */
    @Test
    void wrongSecretsAreThrottledLikeWrongPasswords() {
        Machine machine = machine("Secret Guessing Co");
        for (int i = 0; i < 5; i++) {
            tokenBySecret(machine.id(), "guess-" + i).then().statusCode(401);
        }
        tokenBySecret(machine.id(), machine.secret()).then().statusCode(429).header("Retry-After", not(nullValue()))
                .body("type", equalTo("urn:gatehouse:problem:login-throttled"));
    }

    /**
     * The grant: the attempt's claim, the credential's read, forgetting the claim, the event. A machine's call
     * costs what a person's does: its caller read once, then none (the users page's own statement stays).
     */
    @Test
    void theGrantAndACachedCallStayWithinTheirBudgets() {
        Machine machine = machine("Machine Budget Co");
        int grant = statements(given().auth().preemptive().basic(machine.id(), machine.secret()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials"), r -> r.post(TOKEN_ENDPOINT), 200);
        String token = machine.token();
        String page = "/api/v1/users?page=1&page_size=10";
        int first = statements(as(token), r -> r.get(page), 200);
        int cached = statements(as(token), r -> r.get(page), 200);
        statements(machine.admin().as(), r -> r.get(page), 200);
        int person = statements(machine.admin().as(), r -> r.get(page), 200);
        assertEquals(Map.of("grant", 4, "first call", 2, "cached call", 1, "a person's cached call", 1),
                Map.of("grant", grant, "first call", first, "cached call", cached, "a person's cached call", person));
    }
}
