package dev.gatehouse.it;

import static dev.gatehouse.it.AccessChecks.assignRoles;
import static dev.gatehouse.it.AccessChecks.roleId;
import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.Api.refreshBody;
import static dev.gatehouse.it.TestServer.statements;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One account per person, with memberships in tenants (issue #18): emails are unique across Gatehouse, login
 * picks a membership, switch-tenant moves between them, and every admin endpoint sees a tenant's memberships
 * only, never another tenant's view of the same person.
 */
abstract class AccountChecks {

    /** A person with two memberships: the tenant they registered, and a second one they created. */
    record Person(Api.Account first, Api.Account second, String secondSlug) {
    }

    static Person personInTwoTenants(String name) {
        Api.Account first = Api.register(name + " One");
        JsonPath created = first.as().contentType(ContentType.JSON).body(Map.of("name", name + " Two"))
                .post("/api/v1/tenants").then().statusCode(201)
                .body("name", equalTo(name + " Two")).extract().jsonPath();
        JsonPath tokens = Api.login(first.email(), PASSWORD, created.getString("id"));
        Api.Account second = new Api.Account(first.email(), first.userId(), created.getString("id"),
                tokens.getString("access_token"), tokens.getString("refresh_token"));
        return new Person(first, second, created.getString("slug"));
    }

    private static String lastUsedTenant(String userId) {
        return TestDatabase.queryValue("select tenant_id from memberships where user_id = ?::uuid"
                + " order by last_used_at desc nulls last limit 1", UUID.fromString(userId)).toString();
    }

    private static String tenantOf(String accessToken) {
        return TestTokens.claimsOf(accessToken).getString("tenant_id");
    }

    @Test
    void registeringAnEmailThatHasAnAccountIs409AndWritesNothing() {
        Api.Account existing = Api.register("Taken Email Co");
        long users = TestDatabase.queryLong("select count(*) from users");
        ProblemDetailsChecks.assertProblem(json(Map.of("email", existing.email().toUpperCase(), "password",
                        "another long password", "full_name", "Impostor", "tenant_name", "Squatter Co"))
                .post("/api/v1/auth/register").then(), 409, "/api/v1/auth/register")
                .body("type", equalTo("urn:gatehouse:problem:email-taken"));
        assertEquals(users, TestDatabase.queryLong("select count(*) from users"));
        assertEquals(0, TestDatabase.queryLong("select count(*) from tenants where name = 'Squatter Co'"));
        // the v1 client's login (email and password only) still works for the owner
        assertEquals(existing.userId(), TestTokens.claimsOf(Api.login(existing.email(), PASSWORD, null)
                .getString("access_token")).getString("sub"));
    }

    @Test
    void loginWithOneMembershipNamesItsTenant() {
        Api.Account account = Api.register("Single Membership Co");
        String slug = AuthChecks.tenantSlug(account.tenantId());
        JsonPath login = Api.login(account.email(), PASSWORD, null);
        assertEquals(account.tenantId(), tenantOf(login.getString("access_token")));
        assertEquals(Map.of("id", account.tenantId(), "slug", slug, "name", "Single Membership Co"), login.getMap("tenant"));
        assertEquals(List.of(login.getMap("tenant")), login.getList("tenants"));
    }

    @Test
    void loginWithSeveralMembershipsTakesTheNamedTenantElseTheLastUsed() {
        Person person = personInTwoTenants("Several");
        String email = person.first().email();
        String firstSlug = AuthChecks.tenantSlug(person.first().tenantId());

        // the second tenant was the last one signed in to (personInTwoTenants logged in to it)
        JsonPath plain = Api.login(email, PASSWORD, null);
        assertEquals(person.second().tenantId(), tenantOf(plain.getString("access_token")));
        assertEquals(person.second().tenantId(), plain.getString("tenant.id"));
        assertEquals(List.of(person.first().tenantId(), person.second().tenantId()), plain.getList("tenants.id"));

        // naming a tenant, by slug or id, picks it, and makes it the last used
        JsonPath bySlug = Api.login(email, PASSWORD, firstSlug.toUpperCase());
        assertEquals(person.first().tenantId(), tenantOf(bySlug.getString("access_token")));
        assertEquals(person.first().tenantId(), tenantOf(Api.login(email, PASSWORD, null).getString("access_token")));
        JsonPath byId = Api.login(email, PASSWORD, person.second().tenantId());
        assertEquals(person.second().tenantId(), tenantOf(byId.getString("access_token")));
        assertEquals(person.second().tenantId(), tenantOf(Api.login(email, PASSWORD, null).getString("access_token")));

        // the same account (same id) in each tenant, with that tenant's view
        given().header("Authorization", "Bearer " + bySlug.getString("access_token")).get("/api/v1/users/me")
                .then().statusCode(200).body("id", equalTo(person.first().userId()))
                .body("tenant_id", equalTo(person.first().tenantId()));
        given().header("Authorization", "Bearer " + byId.getString("access_token")).get("/api/v1/users/me")
                .then().statusCode(200).body("id", equalTo(person.first().userId()))
                .body("tenant_id", equalTo(person.second().tenantId())).body("is_superuser", equalTo(true));

        // a tenant the account is not a member of fails exactly like a wrong password
        Api.Account stranger = Api.register("Not Theirs Co");
        var notMember = json(Map.of("email", email, "password", PASSWORD, "tenant", stranger.tenantId())).post("/api/v1/auth/login");
        var wrongPassword = json(Map.of("email", email, "password", "not the password")).post("/api/v1/auth/login");
        assertEquals(401, notMember.statusCode());
        assertEquals(withoutRequestId(wrongPassword.jsonPath()), withoutRequestId(notMember.jsonPath()));
    }

    private static Map<String, Object> withoutRequestId(JsonPath body) {
        Map<String, Object> map = new java.util.HashMap<>(body.getMap(""));
        map.remove("request_id");
        return map;
    }

    @Test
    void aNewTenantMakesItsCreatorSuperuserAndAdmin() {
        Person person = personInTwoTenants("Creator");
        person.second().as().get("/api/v1/users").then().statusCode(200)
                .body("total", equalTo(1)).body("items.id", contains(person.first().userId()))
                .body("items[0].is_superuser", equalTo(true));
        person.second().as().get("/api/v1/users/" + person.first().userId() + "/roles").then().statusCode(200)
                .body("name", contains("admin"));
        person.second().as().get("/api/v1/roles").then().statusCode(200)
                .body("name", containsInAnyOrder("admin", "member", "viewer"));
        given().contentType(ContentType.JSON).body(Map.of("name", "Anonymous Co")).post("/api/v1/tenants")
                .then().statusCode(401);
    }

    @Test
    void switchTenantGivesAPairForAnotherMembershipAndRefusesOthersWith404() {
        Person person = personInTwoTenants("Switch");
        JsonPath switched = person.first().as().contentType(ContentType.JSON)
                .body(Map.of("tenant", person.secondSlug())).post("/api/v1/auth/switch-tenant")
                .then().statusCode(200).body("tenant.id", equalTo(person.second().tenantId()))
                .body("tenants.id", contains(person.first().tenantId(), person.second().tenantId()))
                .extract().jsonPath();
        assertEquals(person.second().tenantId(), tenantOf(switched.getString("access_token")));
        given().header("Authorization", "Bearer " + switched.getString("access_token")).get("/api/v1/users/me")
                .then().statusCode(200).body("tenant_id", equalTo(person.second().tenantId()));
        json(refreshBody(switched.getString("refresh_token"))).post("/api/v1/auth/refresh").then().statusCode(200)
                .body("access_token", org.hamcrest.Matchers.notNullValue());
        // and back, by id; the session it came from lives on
        person.second().as().contentType(ContentType.JSON).body(Map.of("tenant", person.first().tenantId()))
                .post("/api/v1/auth/switch-tenant").then().statusCode(200)
                .body("tenant.id", equalTo(person.first().tenantId()));
        person.second().as().get("/api/v1/users/me").then().statusCode(200);

        Api.Account stranger = Api.register("Not A Member Co");
        for (String tenant : List.of(stranger.tenantId(), AuthChecks.tenantSlug(stranger.tenantId()),
                UUID.randomUUID().toString(), "no-such-tenant")) {
            ProblemDetailsChecks.assertProblem(person.first().as().contentType(ContentType.JSON)
                    .body(Map.of("tenant", tenant)).post("/api/v1/auth/switch-tenant").then(), 404, "/api/v1/auth/switch-tenant");
        }
        json(Map.of("tenant", person.secondSlug())).post("/api/v1/auth/switch-tenant").then().statusCode(401);
    }

    @Test
    void addingAPersonWhoHasAnAccountIs409AndAttachesNobody() {
        Api.Account admin = Api.register("Adds Existing Co");
        Api.Account elsewhere = Api.register("Elsewhere Co");
        ProblemDetailsChecks.assertProblem(admin.as().contentType(ContentType.JSON)
                        .body(Map.of("email", elsewhere.email(), "password", "a password of mine", "full_name", "Taken"))
                        .post("/api/v1/users").then(), 409, "/api/v1/users")
                .body("type", equalTo("urn:gatehouse:problem:email-taken"))
                .body("detail", org.hamcrest.Matchers.containsString("invitation"));
        assertEquals(1, TestDatabase.queryLong("select count(*) from memberships where tenant_id = ?::uuid", admin.tenantId()));
        assertEquals(1, TestDatabase.queryLong("select count(*) from memberships where user_id = ?::uuid", elsewhere.userId()));
        Api.login(elsewhere.email(), PASSWORD, null); // their password is unchanged
    }

    /**
     * Pat is admin of tenants One and Two; Dana is an admin of Two only. Every admin endpoint works on the
     * memberships of the token's tenant: Pat's token for One cannot reach Dana, and Dana changes Pat's
     * membership in Two (roles, active) without touching One, and cannot change Pat's account.
     */
    @Test
    void adminsManageTheirTenantsMembershipOnlyNeverTheAccountOrAnotherTenantsView() {
        Person pat = personInTwoTenants("Isolation");
        Api.Account dana = Api.addUser(pat.second(), true);
        assignRoles(pat.second(), dana.userId(), roleId(pat.second(), "admin"));

        // Pat, admin of both tenants, with a token for One: Two's member Dana is not there
        String path = "/api/v1/users/" + dana.userId();
        Api.Account patInOne = pat.first();
        ProblemDetailsChecks.assertProblem(patInOne.as().get(path).then(), 404, path);
        ProblemDetailsChecks.assertProblem(patInOne.as().contentType(ContentType.JSON).body(Map.of("full_name", "X"))
                .patch(path).then(), 404, path);
        ProblemDetailsChecks.assertProblem(patInOne.as().post(path + "/deactivate").then(), 404, path + "/deactivate");
        ProblemDetailsChecks.assertProblem(patInOne.as().post(path + "/activate").then(), 404, path + "/activate");
        ProblemDetailsChecks.assertProblem(patInOne.as().get(path + "/roles").then(), 404, path + "/roles");
        ProblemDetailsChecks.assertProblem(patInOne.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of()))
                .put(path + "/roles").then(), 404, path + "/roles");
        patInOne.as().get("/api/v1/users").then().body("items.id", contains(pat.first().userId()));

        // Dana sees Pat as Two's member, and cannot change Pat's account: it belongs to One too
        String patPath = "/api/v1/users/" + pat.first().userId();
        dana.as().get(patPath).then().statusCode(200).body("tenant_id", equalTo(pat.second().tenantId()));
        String originalName = patInOne.as().get("/api/v1/users/me").then().extract().path("full_name");
        for (Map<String, String> change : List.of(Map.of("full_name", "Renamed by Dana"), Map.of("email", Api.uniqueEmail("hijack")))) {
            ProblemDetailsChecks.assertProblem(dana.as().contentType(ContentType.JSON).body(change).patch(patPath).then(),
                    409, patPath).body("type", equalTo("urn:gatehouse:problem:account-shared"));
        }
        patInOne.as().get("/api/v1/users/me").then().body("full_name", equalTo(originalName))
                .body("email", equalTo(pat.first().email()));

        // Dana's role change applies to Two only
        assignRoles(dana, pat.first().userId(), roleId(dana, "viewer"));
        patInOne.as().get(patPath + "/roles").then().statusCode(200).body("name", contains("admin"));
        pat.second().as().get(patPath + "/roles").then().statusCode(200).body("name", contains("viewer"));

        // Dana deactivates Pat's membership in Two: Two's tokens and sessions end, One's live on
        dana.as().post(patPath + "/deactivate").then().statusCode(200).body("is_active", equalTo(false));
        pat.second().as().get("/api/v1/users/me").then().statusCode(401);
        json(refreshBody(pat.second().refreshToken())).post("/api/v1/auth/refresh").then().statusCode(401);
        patInOne.as().get("/api/v1/users/me").then().statusCode(200).body("is_active", equalTo(true));
        json(refreshBody(pat.first().refreshToken())).post("/api/v1/auth/refresh").then().statusCode(200);
        json(Map.of("email", pat.first().email(), "password", PASSWORD, "tenant", pat.secondSlug()))
                .post("/api/v1/auth/login").then().statusCode(401);
        JsonPath login = Api.login(pat.first().email(), PASSWORD, null);
        assertEquals(pat.first().tenantId(), tenantOf(login.getString("access_token")), "the active membership");
        assertEquals(List.of(pat.first().tenantId()), login.getList("tenants.id"));
        ProblemDetailsChecks.assertProblem(given().header("Authorization", "Bearer " + login.getString("access_token"))
                .contentType(ContentType.JSON).body(Map.of("tenant", pat.secondSlug()))
                .post("/api/v1/auth/switch-tenant").then(), 404, "/api/v1/auth/switch-tenant");

        // an account in one tenant only is the admin's to rename
        Api.Account member = Api.addUser(patInOne, false);
        patInOne.as().contentType(ContentType.JSON).body(Map.of("full_name", "Renamed By Admin"))
                .patch("/api/v1/users/" + member.userId()).then().statusCode(200).body("full_name", equalTo("Renamed By Admin"));
    }

    /**
     * Carol registered Home (superuser, admin) and is a plain member of Guest, without roles (written by SQL:
     * no endpoint attaches an existing account yet). Her token for Guest carries Guest's powers only, and
     * Guest's helpdesk, who holds less than Carol holds in Home, may manage her membership in Guest.
     */
    @Test
    void permissionsAndTheSuperuserFlagAreThoseOfTheTokensTenant() {
        Api.Account carol = Api.register("Carol Home");
        Api.Account guestAdmin = Api.register("Carol Guest");
        Api.Account helpdesk = AccessChecks.userWith(guestAdmin, List.of("users:read", "users:write"));
        TestDatabase.update("insert into memberships (user_id, tenant_id, is_active, is_superuser, created_at, updated_at)"
                + " values (?::uuid, ?::uuid, true, false, now(), now())", carol.userId(), guestAdmin.tenantId());
        String inGuest = Api.login(carol.email(), PASSWORD, guestAdmin.tenantId()).getString("access_token");

        given().header("Authorization", "Bearer " + inGuest).get("/api/v1/users/me").then().statusCode(200)
                .body("tenant_id", equalTo(guestAdmin.tenantId())).body("is_superuser", equalTo(false));
        given().header("Authorization", "Bearer " + inGuest).get("/api/v1/users").then().statusCode(403);
        carol.as().get("/api/v1/users").then().statusCode(200);

        helpdesk.as().post("/api/v1/users/" + carol.userId() + "/deactivate").then().statusCode(200)
                .body("is_active", equalTo(false));
        given().header("Authorization", "Bearer " + inGuest).get("/api/v1/users/me").then().statusCode(401);
        carol.as().get("/api/v1/users/me").then().statusCode(200).body("is_superuser", equalTo(true))
                .body("is_active", equalTo(true));
    }

    /** An OAuth sign-in of a linked account opens its last used active membership. */
    @Test
    void anOAuthSignInOpensTheLastUsedActiveMembership() throws Exception {
        OAuthChecks.Person person = OAuthChecks.Person.fresh(true);
        String firstToken = OAuthChecks.signIn(given(), "fakeoidc", person).then().statusCode(200).extract().path("access_token");
        String home = tenantOf(firstToken);
        String second = given().header("Authorization", "Bearer " + firstToken).contentType(ContentType.JSON)
                .body(Map.of("name", "OAuth Second")).post("/api/v1/tenants").then().statusCode(201).extract().path("id");
        given().header("Authorization", "Bearer " + firstToken).contentType(ContentType.JSON)
                .body(Map.of("tenant", second)).post("/api/v1/auth/switch-tenant").then().statusCode(200);

        String again = OAuthChecks.signIn(given(), "fakeoidc", person).then().statusCode(200).extract().path("access_token");
        assertEquals(second, tenantOf(again), "the last used");

        TestDatabase.update("update memberships set is_active = false where tenant_id = ?::uuid", UUID.fromString(second));
        String afterDeactivation = OAuthChecks.signIn(given(), "fakeoidc", person).then().statusCode(200)
                .extract().path("access_token");
        assertEquals(home, tenantOf(afterDeactivation), "the last used active one");
    }

    @Test
    void theOwnAccountChangesInEveryTenantAndItsEmailStaysUnique() {
        Person person = personInTwoTenants("Own Account");
        person.second().as().get("/api/v1/users/me").then().statusCode(200); // cached in Two
        person.first().as().contentType(ContentType.JSON).body(Map.of("full_name", "Renamed In One"))
                .patch("/api/v1/users/me").then().statusCode(200);
        person.second().as().get("/api/v1/users/me").then().statusCode(200).body("full_name", equalTo("Renamed In One"));

        // another account's address: the same answer as a free one (AccountSecurityChecks), and no change
        Api.Account other = Api.register("Other Owner Co");
        person.first().as().contentType(ContentType.JSON)
                .body(Map.of("email", other.email().toUpperCase(), "current_password", PASSWORD))
                .patch("/api/v1/users/me").then().statusCode(200).body("email", equalTo(person.first().email()));
        assertEquals(0, TestDatabase.queryLong("select count(*) from account_tokens where email = ?"
                + " and purpose = 'change_email'", other.email()));
    }

    @Test
    void aMembershipDeactivatedElsewhereReachesTheCachedCaller() {
        Person person = personInTwoTenants("Membership Elsewhere");
        person.second().as().get("/api/v1/users/me").then().statusCode(200);
        StatementBudgetChecks.awaitCached(person.second());
        TestDatabase.update("update memberships set is_active = false where user_id = ?::uuid and tenant_id = ?::uuid",
                person.first().userId(), person.second().tenantId());
        Polling.awaitTrue(Duration.ofSeconds(10), "the change reached the cache",
                () -> person.second().as().get("/api/v1/users/me").statusCode() == 401);
        person.first().as().get("/api/v1/users/me").then().statusCode(200);
    }

    /**
     * Login with several memberships and switch-tenant cost what a login always cost: the memberships (one
     * projection), the refresh token insert that also marks the membership as last used. A login evicts no
     * cached caller.
     */
    @Test
    void loginAndSwitchKeepTheirStatementBudgets() {
        Person person = personInTwoTenants("Budget Accounts");
        person.first().as().get("/api/v1/users/me").then().statusCode(200);
        TestDatabase.update("update memberships set last_used_at = null where user_id = ?::uuid", person.first().userId());

        // login: the attempt claimed before the hash, the memberships, the refresh token, the claim forgotten,
        // the login.succeeded event
        assertEquals(5, statements(json(Map.of("email", person.first().email(), "password", PASSWORD)),
                r -> r.post("/api/v1/auth/login"), 200));
        assertEquals(person.first().tenantId(), lastUsedTenant(person.first().userId()), "login marks its membership");
        assertEquals(2, statements(person.first().as().contentType(ContentType.JSON).body(Map.of("tenant", person.secondSlug())),
                r -> r.post("/api/v1/auth/switch-tenant"), 200));
        assertEquals(person.second().tenantId(), lastUsedTenant(person.first().userId()), "so does switch-tenant");

        Polling.sleep(500); // a notification, had the logins sent one, arrives within milliseconds
        assertEquals(0, statements(person.first().as(), r -> r.get("/api/v1/users/me"), 200));
    }
}
