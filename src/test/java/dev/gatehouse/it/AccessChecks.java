package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tenant-scoped RBAC: the default roles, enforcement per permission, immediacy, isolation and the guards. */
abstract class AccessChecks {

    private static final List<String> CATALOGUE = List.of("users:read", "users:write", "users:delete", "roles:read",
            "roles:manage", "tenant:manage", "users:*", "roles:*", "tenant:*", "audit:read", "audit:*",
            "service_accounts:read", "service_accounts:manage", "service_accounts:*", "scim:manage", "scim:*", "sso:manage", "sso:*");

    /** Creates a role with these permissions in the admin's tenant and returns its id. */
    static String createRole(Api.Account admin, String name, List<String> permissions) {
        return admin.as().contentType(ContentType.JSON).body(Map.of("name", name, "permissions", permissions))
                .post("/api/v1/roles").then().statusCode(201).extract().path("id");
    }

    static void assignRoles(Api.Account admin, String userId, String... roleIds) {
        admin.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of(roleIds)))
                .put("/api/v1/users/" + userId + "/roles").then().statusCode(200);
    }

    static String roleId(Api.Account admin, String name) {
        return admin.as().get("/api/v1/roles").then().statusCode(200).extract()
                .path("find { it.name == '" + name + "' }.id");
    }

    /** A user of the admin's tenant holding exactly these permissions, through one custom role. */
    static Api.Account userWith(Api.Account admin, List<String> permissions) {
        Api.Account user = Api.addUser(admin, false);
        String role = createRole(admin, "role-" + user.userId().substring(28), permissions);
        assignRoles(admin, user.userId(), role);
        return user;
    }

    @Test
    void aNewTenantHasTheDefaultRolesAndItsFirstUserIsAdmin() {
        Api.Account admin = Api.register("Defaults Co");
        admin.as().get("/api/v1/roles").then().statusCode(200)
                .body("name", containsInAnyOrder("admin", "member", "viewer"))
                .body("is_system", everyItemTrue())
                .body("find { it.name == 'admin' }.permissions", containsInAnyOrder(CATALOGUE.toArray()))
                .body("find { it.name == 'viewer' }.permissions", equalTo(List.of("users:read")));
        admin.as().get("/api/v1/users/" + admin.userId() + "/roles").then().statusCode(200).body("name", equalTo(List.of("admin")));
        admin.as().get("/api/v1/permissions").then().statusCode(200).body("name", hasItems(CATALOGUE.toArray()));
    }

    private static org.hamcrest.Matcher<Iterable<? extends Boolean>> everyItemTrue() {
        return org.hamcrest.Matchers.everyItem(equalTo(true));
    }

    /** Every protected endpoint with the permission it needs. */
    static Stream<Arguments> protectedEndpoints() {
        return Stream.of(
                endpoint("users:read", "GET /users", (r, f) -> r.get("/api/v1/users")),
                endpoint("users:read", "GET /users/{id}", (r, f) -> r.get("/api/v1/users/" + f.member().userId())),
                endpoint("users:write", "POST /users", (r, f) -> r.contentType(ContentType.JSON)
                        .body(Map.of("email", Api.uniqueEmail("p"), "password", PASSWORD, "full_name", "P")).post("/api/v1/users")),
                endpoint("users:write", "PATCH /users/{id}", (r, f) -> r.contentType(ContentType.JSON)
                        .body(Map.of("full_name", "Changed")).patch("/api/v1/users/" + f.member().userId())),
                endpoint("users:write", "POST /users/{id}/deactivate", (r, f) -> r.post("/api/v1/users/" + f.member().userId() + "/deactivate")),
                endpoint("users:write", "POST /users/{id}/activate", (r, f) -> r.post("/api/v1/users/" + f.member().userId() + "/activate")),
                endpoint("roles:read", "GET /roles", (r, f) -> r.get("/api/v1/roles")),
                endpoint("roles:read", "GET /roles/{id}", (r, f) -> r.get("/api/v1/roles/" + f.viewerRole())),
                endpoint("roles:read", "GET /users/{id}/roles", (r, f) -> r.get("/api/v1/users/" + f.member().userId() + "/roles")),
                endpoint("roles:manage", "POST /roles", (r, f) -> r.contentType(ContentType.JSON)
                        .body(Map.of("name", "new-" + System.nanoTime())).post("/api/v1/roles")),
                endpoint("roles:manage", "PATCH /roles/{id}", (r, f) -> r.contentType(ContentType.JSON)
                        .body(Map.of("description", "changed")).patch("/api/v1/roles/" + f.emptyRole())),
                endpoint("roles:manage", "PUT /roles/{id}/permissions", (r, f) -> r.contentType(ContentType.JSON)
                        .body(Map.of("permissions", List.of())).put("/api/v1/roles/" + f.emptyRole() + "/permissions")),
                endpoint("roles:manage", "DELETE /roles/{id}", (r, f) -> r.delete("/api/v1/roles/" + createRole(f.admin(), "doomed-" + System.nanoTime(), List.of()))),
                endpoint("roles:manage", "PUT /users/{id}/roles", (r, f) -> r.contentType(ContentType.JSON)
                        .body(Map.of("role_ids", List.of())).put("/api/v1/users/" + f.member().userId() + "/roles")));
    }

    record Fixture(Api.Account admin, Api.Account member, String viewerRole, String emptyRole) {
    }

    private static Arguments endpoint(String permission, String name, BiFunction<RequestSpecification, Fixture, Response> call) {
        return Arguments.of(permission, name, call);
    }

    @ParameterizedTest(name = "{1} needs {0}")
    @MethodSource("protectedEndpoints")
    void eachEndpointAllowsItsPermissionAndRefusesWithoutIt(String permission, String name,
                                                            BiFunction<RequestSpecification, Fixture, Response> call) {
        Api.Account admin = Api.register("Enforcement Co");
        Fixture fixture = new Fixture(admin, Api.addUser(admin, false), roleId(admin, "viewer"), createRole(admin, "empty", List.of()));

        List<String> allButThis = new ArrayList<>(CATALOGUE.stream()
                .filter(p -> !p.equals(permission) && !p.equals(permission.substring(0, permission.indexOf(':')) + ":*")).toList());
        Api.Account without = userWith(admin, allButThis);
        Response refused = call.apply(without.as(), fixture);
        assertEquals(403, refused.statusCode(), name + " without " + permission);
        assertEquals("application/problem+json", refused.contentType());

        Api.Account with = userWith(admin, List.of(permission));
        assertNotEquals(403, call.apply(with.as(), fixture).statusCode(), name + " with " + permission);
        assertEquals(2, call.apply(with.as(), fixture).statusCode() / 100, name + " with " + permission + " succeeds");
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("protectedEndpoints")
    void eachEndpointIs401WithoutAGoodTokenAnd404ForAnotherTenant(String permission, String name,
                                                                  BiFunction<RequestSpecification, Fixture, Response> call) {
        Fixture fixture = sweepFixture();
        jakarta.json.JsonObject valid = TestTokens.validClaims(fixture.admin());
        Map<String, RequestSpecification> unauthenticated = new java.util.LinkedHashMap<>();
        unauthenticated.put("no token", io.restassured.RestAssured.given());
        unauthenticated.put("garbage", bearer("not-a-jwt"));
        for (String claim : List.of("tenant_id", "token_version", "sid")) {
            unauthenticated.put("no " + claim, bearer(TestTokens.rs256(jakarta.json.Json.createObjectBuilder(valid).remove(claim).build())));
        }
        unauthenticated.put("non-UUID sub", bearer(TestTokens.rs256(TestTokens.with(valid, "sub", "not-a-uuid"))));
        unauthenticated.forEach((what, request) -> {
            Response refused = call.apply(request, fixture);
            assertEquals(401, refused.statusCode(), name + " with " + what);
            // the media type (MP-JWT's refusals add a charset parameter)
            assertTrue(refused.contentType().startsWith("application/problem+json"), name + " with " + what + ": " + refused.contentType());
        });
        // the same claims properly signed pass: the 401s above are the missing or bad claim's
        assertEquals(2, call.apply(bearer(TestTokens.rs256(valid)), fixture).statusCode() / 100, name + " with valid claims");

        if (name.contains("{id}")) {
            Response refused = call.apply(sweepForeign.as(), fixture);
            assertEquals(404, refused.statusCode(), name + " from another tenant");
            assertTrue(refused.contentType().startsWith("application/problem+json"), name + ": " + refused.contentType());
        }
    }

    private static Fixture sweep;
    private static Api.Account sweepForeign;

    /** One tenant (and a foreign admin) for the whole sweep: each call leaves the fixture usable for the next. */
    private static synchronized Fixture sweepFixture() {
        if (sweep == null) {
            Api.Account admin = Api.register("Sweep Co");
            sweep = new Fixture(admin, Api.addUser(admin, false), roleId(admin, "viewer"), createRole(admin, "empty", List.of()));
            sweepForeign = Api.register("Foreign Sweep Co");
        }
        return sweep;
    }

    private static RequestSpecification bearer(String token) {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + token);
    }

    @Test
    void aWildcardCoversEveryActionOfItsResource() {
        Api.Account admin = Api.register("Wildcard Co");
        Api.Account user = userWith(admin, List.of("users:*"));
        user.as().get("/api/v1/users").then().statusCode(200);
        user.as().contentType(ContentType.JSON).body(Map.of("email", Api.uniqueEmail("w"), "password", PASSWORD, "full_name", "W"))
                .post("/api/v1/users").then().statusCode(201);
        user.as().get("/api/v1/roles").then().statusCode(403);
    }

    @Test
    void theSuperuserPassesWithoutHoldingARole() {
        Api.Account owner = Api.register("Owner Co");
        Api.Account secondAdmin = Api.addUser(owner, false);
        assignRoles(owner, secondAdmin.userId(), roleId(owner, "admin"));
        assignRoles(owner, owner.userId()); // the owner now holds no role at all

        owner.as().get("/api/v1/users/" + owner.userId() + "/roles").then().statusCode(200).body("size()", equalTo(0));
        owner.as().get("/api/v1/users").then().statusCode(200);
        owner.as().get("/api/v1/roles").then().statusCode(200);
    }

    @Test
    void roleAssignmentPermissionChangeAndDeletionApplyOnTheNextRequest() {
        Api.Account admin = Api.register("Immediate Co");
        Api.Account user = Api.addUser(admin, false);
        String role = createRole(admin, "readers", List.of("users:read"));

        user.as().get("/api/v1/users").then().statusCode(403);
        assignRoles(admin, user.userId(), role);
        user.as().get("/api/v1/users").then().statusCode(200);           // same token, next request

        admin.as().contentType(ContentType.JSON).body(Map.of("permissions", List.of()))
                .put("/api/v1/roles/" + role + "/permissions").then().statusCode(200).body("permissions.size()", equalTo(0));
        user.as().get("/api/v1/users").then().statusCode(403);

        admin.as().contentType(ContentType.JSON).body(Map.of("permissions", List.of("users:read")))
                .put("/api/v1/roles/" + role + "/permissions").then().statusCode(200);
        user.as().get("/api/v1/users").then().statusCode(200);
        assignRoles(admin, user.userId());                                // unassigned
        user.as().get("/api/v1/users").then().statusCode(403);

        assignRoles(admin, user.userId(), role);
        user.as().get("/api/v1/users").then().statusCode(200);
        admin.as().delete("/api/v1/roles/" + role).then().statusCode(204);
        user.as().get("/api/v1/users").then().statusCode(403);
    }

    @Test
    void anotherTenantsRolesAndUsersAre404() {
        Api.Account tenantA = Api.register("Roles A");
        Api.Account tenantB = Api.register("Roles B");
        String roleOfB = roleId(tenantB, "viewer");
        Api.Account userOfB = Api.addUser(tenantB, false);

        for (Response response : List.of(
                tenantA.as().get("/api/v1/roles/" + roleOfB),
                tenantA.as().contentType(ContentType.JSON).body(Map.of("description", "x")).patch("/api/v1/roles/" + roleOfB),
                tenantA.as().delete("/api/v1/roles/" + createRole(tenantB, "b-only", List.of())),
                tenantA.as().contentType(ContentType.JSON).body(Map.of("permissions", List.of())).put("/api/v1/roles/" + roleOfB + "/permissions"),
                tenantA.as().get("/api/v1/users/" + userOfB.userId() + "/roles"),
                tenantA.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of())).put("/api/v1/users/" + userOfB.userId() + "/roles"),
                tenantA.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of(roleOfB))).put("/api/v1/users/" + tenantA.userId() + "/roles"))) {
            assertEquals(404, response.statusCode());
            assertEquals("application/problem+json", response.contentType());
        }
        tenantB.as().get("/api/v1/roles/" + roleOfB).then().statusCode(200).body("description", equalTo("Sees the users of the tenant"))
                .body("permissions", equalTo(List.of("users:read")));
        tenantA.as().get("/api/v1/roles").then().body("id", org.hamcrest.Matchers.not(hasItems(roleOfB)));
    }

    @Test
    void theLastAdminCannotBeRemovedOrDeactivated() {
        Api.Account owner = Api.register("Last Admin Co");
        ProblemDetailsChecks.assertProblem(owner.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of()))
                .put("/api/v1/users/" + owner.userId() + "/roles").then(), 409, "/api/v1/users/" + owner.userId() + "/roles");

        Api.Account otherSuperuser = Api.addUser(owner, true); // allowed to change the owner, but holds no admin role
        otherSuperuser.as().post("/api/v1/users/" + owner.userId() + "/deactivate").then().statusCode(409);
        owner.as().get("/api/v1/users/" + owner.userId() + "/roles").then().body("name", equalTo(List.of("admin")));

        Api.Account second = Api.addUser(owner, false);
        assignRoles(owner, second.userId(), roleId(owner, "admin"));
        assignRoles(owner, owner.userId(), roleId(owner, "viewer")); // allowed now: another admin remains
    }

    @Test
    void twoAdminsRemovingEachOtherAtOnceLeaveOneActiveAdmin() throws Exception {
        // Both requests pass the last-admin check, then wait (for the test's table lock) to write.
        assertOneAdminSurvives("user_roles", (actor, target, viewer) -> actor.as().contentType(ContentType.JSON)
                .body(Map.of("role_ids", List.of(viewer))).put("/api/v1/users/" + target.userId() + "/roles").statusCode());
        assertOneAdminSurvives("memberships", (actor, target, viewer) ->
                actor.as().post("/api/v1/users/" + target.userId() + "/deactivate").statusCode());
    }

    interface Removal {
        int remove(Api.Account actor, Api.Account target, String viewerRole);
    }

    private static void assertOneAdminSurvives(String table, Removal removal) throws Exception {
        Api.Account owner = Api.register("Admin Race Co");
        Api.Account second = Api.addUser(owner, true); // a superuser too, so each may change the other
        assignRoles(owner, second.userId(), roleId(owner, "admin"));
        String viewer = roleId(owner, "viewer");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<Integer> a;
            java.util.concurrent.Future<Integer> b;
            try (TestDatabase.HeldLock lock = TestDatabase.hold("lock table " + table + " in share mode")) {
                a = pool.submit(() -> removal.remove(owner, second, viewer));
                b = pool.submit(() -> removal.remove(second, owner, viewer));
                lock.awaitServerWaiters(2);
            }
            List<Integer> statuses = new java.util.ArrayList<>(List.of(a.get(), b.get()));
            statuses.sort(null);
            assertEquals(List.of(200, 409), statuses, table);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, TestDatabase.queryLong("""
                select count(*) from memberships m join user_roles ur on ur.user_id = m.user_id
                  join roles r on r.id = ur.role_id and r.tenant_id = m.tenant_id and r.name = 'admin' and r.is_system
                where m.tenant_id = ?::uuid and m.is_active""", owner.tenantId()), table);
    }

    @Test
    void nobodyGrantsAPermissionTheyDoNotHold() {
        Api.Account owner = Api.register("Escalation Co");
        Api.Account roleManager = userWith(owner, List.of("roles:manage", "roles:read"));

        ProblemDetailsChecks.assertProblem(roleManager.as().contentType(ContentType.JSON)
                .body(Map.of("name", "sneaky", "permissions", List.of("users:write"))).post("/api/v1/roles").then(), 403, "/api/v1/roles");
        String own = createRole(roleManager, "mine", List.of("roles:read"));
        roleManager.as().contentType(ContentType.JSON).body(Map.of("permissions", List.of("roles:read", "users:delete")))
                .put("/api/v1/roles/" + own + "/permissions").then().statusCode(403);
        roleManager.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of(roleId(owner, "admin"))))
                .put("/api/v1/users/" + roleManager.userId() + "/roles").then().statusCode(403);
        roleManager.as().get("/api/v1/users").then().statusCode(403); // and nothing was granted
    }

    @Test
    void systemRolesKeepTheirNameAndExistence() {
        Api.Account owner = Api.register("System Roles Co");
        String admin = roleId(owner, "admin");
        ProblemDetailsChecks.assertProblem(owner.as().delete("/api/v1/roles/" + admin).then(), 409, "/api/v1/roles/" + admin);
        owner.as().contentType(ContentType.JSON).body(Map.of("name", "boss")).patch("/api/v1/roles/" + admin).then().statusCode(409);
        owner.as().contentType(ContentType.JSON).body(Map.of("description", "The bosses")).patch("/api/v1/roles/" + admin)
                .then().statusCode(200).body("name", equalTo("admin")).body("description", equalTo("The bosses"));
    }

    @Test
    void roleNamesAreUniqueAndPermissionsMustExist() {
        Api.Account owner = Api.register("Role Names Co");
        createRole(owner, "Support", List.of("users:read"));
        owner.as().contentType(ContentType.JSON).body(Map.of("name", "support")).post("/api/v1/roles").then().statusCode(409);
        ProblemDetailsChecks.assertProblem(owner.as().contentType(ContentType.JSON)
                .body(Map.of("name", "odd", "permissions", List.of("users:fly"))).post("/api/v1/roles").then(), 422, "/api/v1/roles")
                .body("errors.field", hasItems("permissions"));
        owner.as().contentType(ContentType.JSON).body(Map.of("name", "")).post("/api/v1/roles").then().statusCode(422);
    }

    @Test
    void tokensCarryTheRoleNamesAsGroups() {
        Api.Account owner = Api.register("Groups Co");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(owner.accessToken().split("\\.")[1]));
        assertEquals(true, payload.contains("\"groups\":[\"admin\"]"), payload);
    }

    @Test
    void permissionChecksCostNoStatement() {
        Api.Account owner = Api.register("Budget Roles Co");
        Api.Account reader = userWith(owner, List.of("users:read", "roles:read"));
        assertEquals(1, TestServer.statements(reader.as(), r -> r.get("/api/v1/users/me"), 200));
        // the notifications of the role set-up may evict the caller once more after its first request
        Polling.awaitTrue(Duration.ofSeconds(10), "the caller stays cached",
                () -> TestServer.statements(reader.as(), r -> r.get("/api/v1/users/me"), 200) == 0);
        // the caller is cached now: each request costs its own statements only
        assertEquals(1, TestServer.statements(reader.as(), r -> r.get("/api/v1/users"), 200));
        assertEquals(1, TestServer.statements(reader.as(), r -> r.get("/api/v1/roles"), 200));
        assertEquals(0, TestServer.statements(reader.as(), r -> r.get("/api/v1/roles/not-a-uuid"), 404));
    }
}
