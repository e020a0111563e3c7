package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.uniqueEmail;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.client.ApiClient;
import dev.gatehouse.client.ApiException;
import dev.gatehouse.client.api.AuthApi;
import dev.gatehouse.client.api.HealthApi;
import dev.gatehouse.client.api.InvitationsApi;
import dev.gatehouse.client.api.KeysApi;
import dev.gatehouse.client.api.OAuthApi;
import dev.gatehouse.client.api.ProfileApi;
import dev.gatehouse.client.api.RolesApi;
import dev.gatehouse.client.api.TenantsApi;
import dev.gatehouse.client.api.UsersApi;
import dev.gatehouse.client.model.FieldError;
import dev.gatehouse.client.model.LoginRequest;
import dev.gatehouse.client.model.LoginResponse;
import dev.gatehouse.client.model.SignInResponse;
import dev.gatehouse.client.model.NewRole;
import dev.gatehouse.client.model.NewTenantRequest;
import dev.gatehouse.client.model.NewUser;
import dev.gatehouse.client.model.OwnUserUpdate;
import dev.gatehouse.client.model.NewInvitation;
import dev.gatehouse.client.model.InvitationAcceptance;
import dev.gatehouse.client.model.ForgotPasswordRequest;
import dev.gatehouse.client.model.PasswordResetRequest;
import dev.gatehouse.client.model.EmailVerificationRequest;
import dev.gatehouse.client.model.OAuthAuthorizeResponse;
import dev.gatehouse.client.model.PasswordChange;
import dev.gatehouse.client.model.PermissionSet;
import dev.gatehouse.client.model.Problem;
import dev.gatehouse.client.model.RefreshTokenRequest;
import dev.gatehouse.client.model.RegisterRequest;
import dev.gatehouse.client.model.RegisterResponse;
import dev.gatehouse.client.model.RoleAssignment;
import dev.gatehouse.client.model.RoleResponse;
import dev.gatehouse.client.model.RoleUpdate;
import dev.gatehouse.client.model.SessionResponse;
import dev.gatehouse.client.model.SwitchTenantRequest;
import dev.gatehouse.client.model.TenantSummary;
import dev.gatehouse.client.model.TokenResponse;
import dev.gatehouse.client.model.UserListResponse;
import dev.gatehouse.client.model.UserResponse;
import dev.gatehouse.client.model.UserUpdate;
import dev.gatehouse.platform.GatehouseApplication;
import io.restassured.path.json.JsonPath;
import jakarta.ws.rs.HttpMethod;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The API description served at /openapi (src/main/resources/META-INF/openapi.yaml): it describes every JAX-RS
 * operation of the WAR, it is the document a consumer needs (OpenAPI 3.1, unique operationIds, bearer security,
 * snake_case names, configured servers), and a client generated from it at build time (pom.xml,
 * openapi-generator's Java "native" library, package dev.gatehouse.client) works against the real server. The
 * client's JSON mapper refuses unknown properties here, so a field the server sends and the document does not
 * name fails these tests.
 */
abstract class OpenApiChecks {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /** Operations the document describes that are not the application's JAX-RS resources (MicroProfile Health). */
    private static final Set<String> PLATFORM_OPERATIONS = Set.of("GET /health/live", "GET /health/ready");
    /** The operations that take no access token. */
    private static final Set<String> PUBLIC_OPERATIONS = Set.of("POST /api/v1/auth/register", "POST /api/v1/auth/login",
            "POST /api/v1/auth/refresh", "POST /api/v1/auth/logout", "GET /api/v1/auth/oauth/providers",
            "GET /api/v1/auth/oauth/{}/authorize", "GET /api/v1/auth/oauth/{}/callback", "GET /.well-known/jwks.json",
            "GET /health/live", "GET /health/ready", "GET /api/reference", "POST /api/v1/auth/forgot-password",
            "POST /api/v1/auth/reset-password", "POST /api/v1/auth/verify-email", "POST /api/v1/invitations/accept",
            "GET /account/{}", "POST /api/v1/auth/mfa/verify", "POST /api/v1/auth/mfa/totp",
            "POST /api/v1/auth/mfa/totp/confirm", "POST /api/v1/oauth/token", "GET /.well-known/openid-configuration",
            "GET /api/v1/oauth/authorize", "POST /api/v1/oauth/authorize", "POST /api/v1/oauth/sign-in",
            "POST /api/v1/oauth/sign-in/mfa", "POST /api/v1/oauth/sign-in/mfa/enrol", "POST /api/v1/oauth/sign-in/continue",
            "POST /api/v1/oauth/sign-in/tenant", "GET /api/v1/oauth/sign-in/forgot",
            "POST /api/v1/oauth/sign-in/forgot", "POST /api/v1/oauth/introspect", "POST /api/v1/oauth/revoke",
            "GET /api/v1/oauth/sign-in/upstream/{}", "GET /api/v1/oauth/sign-in/upstream/{}/callback",
            "POST /api/v1/auth/discover", "POST /api/v1/oauth/sign-in/sso", "GET /api/v1/oauth/sign-in/sso/{}",
            "GET /api/v1/oauth/sign-in/sso/{}/callback", "POST /api/v1/oauth/sign-in/sso/{}/acs",
            "GET /api/v1/oauth/sign-in/sso/{}/finish", "GET /api/v1/oauth/sign-in/sso/{}/metadata",
            "GET /api/v1/oauth/logout", "POST /api/v1/oauth/logout");

    static {
        TestServer.init();
    }

    // ---- the document ---------------------------------------------------------------------------------------

    private static JsonPath servedDocument() {
        String json = given().accept("application/json").get("/openapi").then().statusCode(200).extract().asString();
        try { // for people reading a failed build, and for the record of what is served
            Files.writeString(TestServer.DATA_DIR.resolve("openapi-served.json"), json);
        } catch (IOException e) {
            // only a convenience
        }
        return JsonPath.from(json);
    }

    /** "METHOD /path" of every operation in the served document, path parameters as {}. */
    private static Set<String> documentedOperations(JsonPath document) {
        Set<String> operations = new TreeSet<>();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        paths.forEach((path, item) -> item.keySet().stream().filter(HTTP_METHODS::contains)
                .forEach(method -> operations.add(method.toUpperCase() + " " + normalized(path))));
        return operations;
    }

    /** "METHOD /path" of every JAX-RS resource method among the WAR's classes (target/classes), by reflection. */
    private static Set<String> resourceOperations() throws Exception {
        Path classes = Path.of(GatehouseApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(f -> classes.relativize(f).toString())
                    .filter(f -> f.endsWith(".class") && !f.contains("-"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        Set<String> operations = new TreeSet<>();
        ClassLoader loader = OpenApiChecks.class.getClassLoader();
        for (String name : names) {
            try {
                addOperations(Class.forName(name, false, loader), operations);
            } catch (LinkageError e) {
                if (name.endsWith("Resource")) {
                    throw new AssertionError("cannot inspect " + name, e);
                }
            }
        }
        return operations;
    }

    private static void addOperations(Class<?> type, Set<String> operations) {
        jakarta.ws.rs.Path classPath = type.getAnnotation(jakarta.ws.rs.Path.class);
        if (classPath == null) {
            return;
        }
        for (Method method : type.getDeclaredMethods()) {
            jakarta.ws.rs.Path methodPath = method.getAnnotation(jakarta.ws.rs.Path.class);
            for (Annotation annotation : method.getAnnotations()) {
                HttpMethod httpMethod = annotation.annotationType().getAnnotation(HttpMethod.class);
                if (httpMethod != null) {
                    String path = classPath.value() + (methodPath == null ? "" : "/" + methodPath.value());
                    operations.add(httpMethod.value() + " " + normalized(path));
                }
            }
        }
    }

    private static String normalized(String path) {
        String p = ("/" + path).replaceAll("/+", "/").replaceAll("\\{[^}]*}", "{}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    @Test
    void everyResourceOperationIsDescribedAndNothingElse() throws Exception {
        Set<String> resources = resourceOperations();
        Set<String> documented = documentedOperations(servedDocument());
        assertTrue(resources.size() > 30, "found the resource methods: " + resources);
        Set<String> undescribed = new TreeSet<>(resources);
        undescribed.removeAll(documented);
        assertEquals(Set.of(), undescribed, "operations of the resources that /openapi does not describe");
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(resources);
        unserved.removeAll(PLATFORM_OPERATIONS);
        assertEquals(Set.of(), unserved, "operations /openapi describes that no resource serves");
    }

    @Test
    void theDocumentIsWhatAClientGeneratorNeeds() {
        JsonPath document = servedDocument();
        // 3.0.3: Payara Micro 7.2025.1 implements MicroProfile OpenAPI 3.1, whose model is OpenAPI 3.0's
        assertEquals("3.0.3", document.getString("openapi"));
        // nothing but OpenAPI's own fields (Payara adds "endpoints", which fails openapi-generator's validation)
        Map<String, Object> root = document.getMap("$");
        Set<String> fields = new TreeSet<>(root.keySet());
        fields.removeAll(Set.of("openapi", "info", "servers", "tags", "paths", "components", "security", "externalDocs"));
        assertEquals(Set.of(), fields, "fields that are not OpenAPI's");
        assertEquals("http", document.getString("components.securitySchemes.bearerAuth.type"));
        assertEquals("bearer", document.getString("components.securitySchemes.bearerAuth.scheme"));
        // servers come from gatehouse.openapi.servers (failsafe sets GATEHOUSE_OPENAPI_SERVERS in pom.xml)
        assertEquals(List.of("http://localhost:" + TestServer.HTTP_PORT), document.getList("servers.url"));

        Set<String> operationIds = new HashSet<>();
        Map<String, Map<String, Map<String, Object>>> paths = document.getMap("paths");
        paths.forEach((path, item) -> item.forEach((method, value) -> {
            if (!HTTP_METHODS.contains(method)) {
                return;
            }
            String operation = method.toUpperCase() + " " + normalized(path);
            Object operationId = value.get("operationId");
            assertNotNull(operationId, operation);
            assertTrue(operationIds.add(operationId.toString()), "repeated operationId " + operationId);
            assertFalse(((List<?>) value.get("tags")).isEmpty(), operation + " has a tag");
            Map<?, ?> responses = (Map<?, ?>) value.get("responses");
            // a browser's endpoint may succeed with a redirect only (a SAML assertion consumer service)
            assertTrue(responses.keySet().stream().anyMatch(s -> s.toString().startsWith("2") || s.toString().startsWith("3")),
                    operation + " success");
            boolean authenticated = value.get("security") != null && !((List<?>) value.get("security")).isEmpty();
            assertEquals(!PUBLIC_OPERATIONS.contains(operation), authenticated, operation + " bearer security");
            if (authenticated) {
                assertTrue(responses.containsKey("401"), operation + " answers 401");
            }
        }));

        Map<String, Object> schemas = document.getMap("components.schemas");
        assertTrue(schemas.containsKey("Problem"));
        schemas.forEach((name, schema) -> checkSchema(name, schema));
    }

    /** Every property is snake_case (the JSON binding's naming) and every array says what it holds. */
    private static void checkSchema(String where, Object schema) {
        if (schema instanceof Map<?, ?> map) {
            Object type = map.get("type");
            if ("array".equals(type) || (type instanceof List<?> types && types.contains("array"))) {
                assertNotNull(map.get("items"), where + ": an array without items");
            }
            if (map.get("properties") instanceof Map<?, ?> properties) {
                properties.forEach((property, value) -> {
                    assertTrue(property.toString().matches("[a-z][a-z0-9_]*"), where + "." + property + " is not snake_case");
                    checkSchema(where + "." + property, value);
                });
            }
            if (map.get("items") != null) {
                checkSchema(where + "[]", map.get("items"));
            }
        }
    }

    // ---- the generated client ---------------------------------------------------------------------------------

    private static ApiClient client(String accessToken) {
        ObjectMapper strict = ApiClient.createDefaultObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        ApiClient client = new ApiClient();
        client.setObjectMapper(strict);
        client.updateBaseUri("http://localhost:" + TestServer.HTTP_PORT);
        if (accessToken != null) {
            // openapi-generator's "native" library does not apply the bearer scheme itself; the other libraries do
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + accessToken));
        }
        return client;
    }

    /** The call fails with this status, and its body is a problem detail of the document's Problem schema. */
    private static Problem problem(int status, Executable call) throws IOException {
        ApiException failure = assertThrows(ApiException.class, call);
        assertEquals(status, failure.getCode(), failure.getResponseBody());
        assertEquals("application/problem+json",
                failure.getResponseHeaders().firstValue("Content-Type").orElse("").split(";")[0].strip());
        Problem problem = client(null).getObjectMapper().readValue(failure.getResponseBody(), Problem.class);
        assertEquals(status, problem.getStatus());
        assertNotNull(problem.getType());
        assertNotNull(problem.getTitle());
        return problem;
    }

    @Test
    void aGeneratedClientRegistersLogsInRefreshesAndAdministers() throws Exception {
        AuthApi anonymous = new AuthApi(client(null));
        String email = uniqueEmail("client");
        RegisterResponse registered = anonymous.register(new RegisterRequest()
                .email(email).password(PASSWORD).fullName("Ada Client").tenantName("Client Co"));
        assertEquals("bearer", registered.getTokenType());
        assertEquals(email, registered.getUser().getEmail());
        assertEquals("Ada Client", registered.getUser().getFullName());
        assertEquals(registered.getTenant().getId(), registered.getUser().getTenantId());
        assertTrue(registered.getUser().getIsSuperuser());

        SignInResponse login = anonymous.login(new LoginRequest().email(email).password(PASSWORD));
        assertEquals(registered.getTenant().getId(), login.getTenant().getId());
        TokenResponse refreshed = anonymous.refreshTokens(new RefreshTokenRequest().refreshToken(login.getRefreshToken()));
        assertTrue(refreshed.getExpiresIn() > 0);

        ApiClient admin = client(refreshed.getAccessToken());
        UserResponse me = new ProfileApi(admin).getMyProfile();
        assertEquals(registered.getUser().getId(), me.getId());

        // an admin call: add a member, give them a role
        UsersApi users = new UsersApi(admin);
        UserResponse member = users.createUser(new NewUser().email(uniqueEmail("member")).password(PASSWORD)
                .fullName("A Member"));
        UserListResponse page = users.listUsers(1, 20);
        assertEquals(2, page.getTotal());
        RolesApi roles = new RolesApi(admin);
        RoleResponse viewer = roles.listRoles().stream().filter(r -> r.getName().equals("viewer")).findFirst().orElseThrow();
        List<RoleResponse> held = roles.replaceUserRoles(member.getId(), new RoleAssignment().roleIds(List.of(viewer.getId())));
        assertEquals(List.of("viewer"), held.stream().map(RoleResponse::getName).toList());

        // a 422 and a 401, read as problem details
        Problem invalid = problem(422, () -> anonymous.register(new RegisterRequest()
                .email("not-an-email").password("short").fullName("X").tenantName("Y")));
        List<String> fields = invalid.getErrors().stream().map(FieldError::getField).toList();
        assertTrue(fields.containsAll(List.of("email", "password")), fields.toString());
        problem(401, () -> new ProfileApi(client(null)).getMyProfile());
        problem(401, () -> new ProfileApi(client("not-a-token")).getMyProfile());
    }

    /** Every operation of the document, called through the generated client (the health probes included). */
    @Test
    void aGeneratedClientCallsEveryOperation() throws Exception {
        AuthApi anonymous = new AuthApi(client(null));
        String email = uniqueEmail("every");
        RegisterResponse registered = anonymous.register(new RegisterRequest()
                .email(email).password(PASSWORD).fullName("Every Op").tenantName("Every Co"));
        ApiClient admin = client(registered.getAccessToken());
        AuthApi auth = new AuthApi(admin);
        ProfileApi profile = new ProfileApi(admin);
        UsersApi users = new UsersApi(admin);
        RolesApi roles = new RolesApi(admin);

        assertEquals(registered.getUser().getId(), auth.getCurrentUser().getId());
        assertEquals("Every Op Renamed", profile.updateMyProfile(new OwnUserUpdate().fullName("Every Op Renamed")).getFullName());
        List<SessionResponse> sessions = profile.listMySessions();
        assertTrue(sessions.stream().anyMatch(SessionResponse::getCurrent));

        TenantSummary second = new TenantsApi(admin).createTenant(new NewTenantRequest().name("Every Second"));
        LoginResponse switched = auth.switchTenant(new SwitchTenantRequest().tenant(second.getSlug()));
        assertEquals(second.getId(), switched.getTenant().getId());
        assertEquals(2, switched.getTenants().size());
        problem(404, () -> auth.switchTenant(new SwitchTenantRequest().tenant(UUID.randomUUID().toString())));

        UserResponse member = users.createUser(new NewUser().email(uniqueEmail("every-member")).password(PASSWORD)
                .fullName("Member").isSuperuser(false));
        assertEquals(member.getId(), users.getUser(member.getId()).getId());
        assertEquals("Member Renamed", users.updateUser(member.getId(), new UserUpdate().fullName("Member Renamed")).getFullName());
        assertFalse(users.deactivateUser(member.getId()).getIsActive());
        assertTrue(users.activateUser(member.getId()).getIsActive());
        problem(404, () -> users.getUser(UUID.randomUUID()));
        users.sendPasswordReset(member.getId());

        // the flows by email: the tokens themselves come from mails (EmailVerificationChecks and the others)
        assertNotNull(auth.resendEmailVerification().getDetail());
        assertNotNull(anonymous.forgotPassword(new ForgotPasswordRequest().email(email)).getDetail());
        String badToken = "D".repeat(43);
        assertTrue(problem(400, () -> anonymous.verifyEmail(new EmailVerificationRequest().token(badToken))).getType()
                .endsWith("invalid-token"));
        problem(400, () -> anonymous.resetPassword(new PasswordResetRequest().token(badToken).newPassword(PASSWORD)));
        InvitationsApi invitations = new InvitationsApi(admin);
        UUID invited = invitations.createInvitation(new NewInvitation().email(uniqueEmail("every-invitee"))).getId();
        assertEquals(List.of(invited), invitations.listInvitations().getItems().stream().map(i -> i.getId()).toList());
        invitations.revokeInvitation(invited);
        problem(400, () -> new InvitationsApi(client(null)).acceptInvitation(new InvitationAcceptance().token(badToken)
                .password(PASSWORD).fullName("Nobody")));

        assertFalse(roles.listPermissions().isEmpty());
        RoleResponse helpdesk = roles.createRole(new NewRole().name("helpdesk").description("first line")
                .permissions(List.of("users:read")));
        assertEquals(helpdesk.getId(), roles.getRole(helpdesk.getId()).getId());
        assertEquals("support", roles.updateRole(helpdesk.getId(), new RoleUpdate().name("support")).getName());
        assertEquals(List.of("roles:read"), roles.replaceRolePermissions(helpdesk.getId(),
                new PermissionSet().permissions(List.of("roles:read"))).getPermissions());
        roles.replaceUserRoles(member.getId(), new RoleAssignment().roleIds(List.of(helpdesk.getId())));
        assertEquals(List.of("support"), roles.listUserRoles(member.getId()).stream().map(RoleResponse::getName).toList());
        roles.deleteRole(helpdesk.getId());
        problem(404, () -> roles.getRole(helpdesk.getId()));

        OAuthApi oauth = new OAuthApi(client(null));
        assertTrue(oauth.listOAuthProviders().getProviders().contains("github"));
        OAuthAuthorizeResponse flow = oauth.startOAuthSignIn("github", URI.create("http://localhost:3000/oauth/callback"), null);
        assertNotNull(flow.getBinding());
        String refused = problem(400, () -> oauth.finishOAuthSignIn("github", "code", flow.getState(), null, null, null,
                "not-the-binding")).getType();
        assertTrue(refused.endsWith("invalid-oauth-state"), refused);
        problem(404, () -> oauth.startOAuthSignIn("nosuchprovider", URI.create("http://localhost:3000/oauth/callback"), null));

        assertEquals("RS256", new KeysApi(client(null)).getSigningKeys().getKeys().getFirst().getAlg());
        HealthApi health = new HealthApi(client(null));
        assertEquals("UP", health.liveness().getStatus().getValue());
        assertEquals("UP", health.readiness().getStatus().getValue());
        // the reference page (text/html, not JSON: read without the client)
        given().get("/api/reference").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("fetch('/openapi'"));

        // sessions: end one, then the others
        SignInResponse other = anonymous.login(new LoginRequest().email(email).password(PASSWORD)
                .tenant(registered.getTenant().getSlug()));
        List<UUID> others = List.copyOf(profile.listMySessions().stream().filter(s -> !s.getCurrent())
                .map(SessionResponse::getId).toList());
        assertFalse(others.isEmpty());
        profile.endMySession(others.getFirst());
        assertFalse(profile.listMySessions().stream().anyMatch(s -> s.getId().equals(others.getFirst())));
        problem(404, () -> profile.endMySession(UUID.randomUUID()));
        anonymous.logout(new RefreshTokenRequest().refreshToken(other.getRefreshToken()));
        problem(401, () -> anonymous.refreshTokens(new RefreshTokenRequest().refreshToken(other.getRefreshToken())));
        profile.changeMyPassword(new PasswordChange().currentPassword(PASSWORD).newPassword(PASSWORD + " two"));
        problem(401, profile::getMyProfile); // a new password ends every session
        SignInResponse again = anonymous.login(new LoginRequest().email(email).password(PASSWORD + " two")
                .tenant(registered.getTenant().getSlug()));
        new AuthApi(client(again.getAccessToken())).logoutAll();
        problem(401, () -> new ProfileApi(client(again.getAccessToken())).getMyProfile());
    }
}
