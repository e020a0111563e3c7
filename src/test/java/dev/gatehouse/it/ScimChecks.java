package dev.gatehouse.it;

import static dev.gatehouse.it.Api.PASSWORD;
import static dev.gatehouse.it.Api.json;
import static dev.gatehouse.it.TestServer.statements;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SCIM 2.0 provisioning (docs/provisioning.md) driven as Entra ID and Okta drive it, with their documented request
 * bodies, and with RFC 7644's examples that apply: tokens only a tenant's admins manage, tenant isolation,
 * membership semantics (create or link, externalId per tenant, deactivation ending sessions, the shared-account
 * rule), hostile filters in SCIM's error format, and the statement budgets of a filtered page and a PATCH.
 */
abstract class ScimChecks {

    static final String SCIM = "application/scim+json";
    static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";

    /** A tenant, its admin and a SCIM token the admin issued: what a directory is configured with. */
    record Directory(Api.Account admin, String tokenId, String token) {
        RequestSpecification scim() {
            return given().header("Authorization", "Bearer " + token).accept(SCIM);
        }

        RequestSpecification scim(String body) {
            return scim().contentType(SCIM).body(body);
        }
    }

    static Directory directory(String tenantName) {
        Api.Account admin = Api.register(tenantName);
        JsonPath issued = admin.as().contentType(ContentType.JSON).body(Map.of("name", "Entra ID", "expires_in_days", 30))
                .post("/api/v1/scim-tokens").then().statusCode(201)
                .body("scim_base_url", equalTo(TestServer.baseUrl() + "/scim/v2")).extract().jsonPath();
        return new Directory(admin, issued.getString("id"), issued.getString("token"));
    }

    /** The SCIM error format, with this status and scimType (null: none). */
    static void scimError(ValidatableResponse response, int status, String scimType) {
        response.statusCode(status).contentType(startsWith(SCIM)).body("schemas", equalTo(List.of(ERROR)))
                .body("status", equalTo(String.valueOf(status))).body("scimType", equalTo(scimType))
                .body("detail", not(nullValue()));
    }

    /** Okta's create body (developer.okta.com, "SCIM 2.0 protocol reference", create the user). */
    static String oktaUser(String email, String externalId) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%1$s",
                 "name":{"givenName":"Test","familyName":"User"},
                 "emails":[{"primary":true,"value":"%1$s","type":"work"}],
                 "displayName":"Test User","locale":"en-US","externalId":"%2$s","groups":[],"password":"1mz050nq",
                 "active":true}""".formatted(email, externalId);
    }

    /** Entra ID's create body (learn.microsoft.com, "Tutorial: Develop a sample SCIM endpoint", Create User). */
    static String entraUser(String email, String externalId) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "externalId":"%2$s","userName":"%1$s","active":true,
                 "emails":[{"primary":true,"type":"work","value":"%1$s"}],
                 "meta":{"resourceType":"User"},
                 "name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},
                 "roles":[]}""".formatted(email, externalId);
    }

    static String patch(String operations) {
        return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":" + operations + "}";
    }

    static String create(Directory directory, String body) {
        return directory.scim(body).post("/scim/v2/Users").then().statusCode(201).contentType(startsWith(SCIM))
                .extract().path("id");
    }

    @Test
    void oktaLooksUpCreatesAndDeactivates() {
        Directory okta = directory("Okta Co");
        String email = Api.uniqueEmail("okta");
        okta.scim().queryParam("filter", "userName eq \"" + email + "\"").queryParam("startIndex", 1).queryParam("count", 100)
                .get("/scim/v2/Users").then().statusCode(200).contentType(startsWith(SCIM))
                .body("schemas", equalTo(List.of("urn:ietf:params:scim:api:messages:2.0:ListResponse")))
                .body("totalResults", equalTo(0)).body("Resources", equalTo(List.of()));
        io.restassured.response.Response created = okta.scim(oktaUser(email, "00u1okta")).post("/scim/v2/Users");
        created.then().statusCode(201).contentType(startsWith(SCIM))
                .body("schemas", equalTo(List.of(USER))).body("userName", equalTo(email))
                .body("externalId", equalTo("00u1okta")).body("active", equalTo(true))
                .body("displayName", equalTo("Test User")).body("name.givenName", equalTo("Test"))
                .body("emails[0].value", equalTo(email)).body("emails[0].primary", equalTo(true))
                .body("meta.resourceType", equalTo("User")).body("meta.created", not(nullValue()));
        String id = created.path("id");
        assertEquals(TestServer.baseUrl() + "/scim/v2/Users/" + id, created.header("Location"));
        okta.scim().queryParam("filter", "userName eq \"" + email.toUpperCase() + "\"").get("/scim/v2/Users").then()
                .statusCode(200).body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id));
        // Okta deactivates with an object and no path
        okta.scim(patch("[{\"op\":\"replace\",\"value\":{\"active\":false}}]")).patch("/scim/v2/Users/" + id).then()
                .statusCode(200).body("active", equalTo(false));
        okta.admin().as().get("/api/v1/users/" + id).then().statusCode(200).body("is_active", equalTo(false))
                .body("email_verified", equalTo(false));
        // a second POST of the same person is 409 uniqueness
        scimError(okta.scim(oktaUser(email, "00u2okta")).post("/scim/v2/Users").then(), 409, "uniqueness");
    }

    @Test
    void entraCreatesPatchesWithStringsAndValuePathsAndDeletes() {
        Directory entra = directory("Entra Co");
        String email = Api.uniqueEmail("entra");
        String id = create(entra, entraUser(email, "entra-ext-1"));
        entra.scim().get("/scim/v2/Users/" + id).then().statusCode(200)
                .body("displayName", equalTo("givenName familyName")).body("externalId", equalTo("entra-ext-1"));
        String renamed = Api.uniqueEmail("entra-renamed");
        entra.scim(patch("""
                [{"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"%s"},
                 {"op":"Replace","path":"name.givenName","value":"Grace"},
                 {"op":"Replace","path":"name.familyName","value":"Hopper"},
                 {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Navy"},
                 {"op":"Add","path":"title","value":"Rear Admiral"}]""".formatted(renamed)))
                .patch("/scim/v2/Users/" + id).then().statusCode(200)
                .body("userName", equalTo(renamed)).body("emails[0].value", equalTo(renamed))
                .body("displayName", equalTo("Grace Hopper")).body("name.familyName", equalTo("Hopper"));
        // Entra ID's disable: a boolean as a string
        entra.scim(patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]")).patch("/scim/v2/Users/" + id)
                .then().statusCode(200).body("active", equalTo(false));
        entra.scim().queryParam("filter", "active eq false and emails.value co \"entra-renamed\"").get("/scim/v2/Users")
                .then().statusCode(200).body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id));
        entra.scim(patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"True\"}]")).patch("/scim/v2/Users/" + id)
                .then().statusCode(200).body("active", equalTo(true));
        // Entra ID's delete: deprovisioned; the membership stays, inactive, and SCIM sees it no more
        entra.scim().delete("/scim/v2/Users/" + id).then().statusCode(204);
        scimError(entra.scim().get("/scim/v2/Users/" + id).then(), 404, null);
        scimError(entra.scim().delete("/scim/v2/Users/" + id).then(), 404, null);
        entra.scim().queryParam("filter", "externalId eq \"entra-ext-1\"").get("/scim/v2/Users").then()
                .body("totalResults", equalTo(0));
        entra.admin().as().get("/api/v1/users/" + id).then().statusCode(200).body("is_active", equalTo(false));
        // rehired: the directory creates the person again, who comes back active
        assertEquals(id, create(entra, entraUser(renamed, "entra-ext-1")));
        entra.scim().get("/scim/v2/Users/" + id).then().body("active", equalTo(true));
        // every change is in the tenant's log with the directory as its actor
        entra.admin().as().queryParam("type", "user.deactivated").get("/api/v1/audit-events").then().statusCode(200)
                .body("items.details.directory", hasItem(entra.tokenId()))
                .body("items.subject_user_id", hasItem(id));
        entra.admin().as().queryParam("type", "user.changed").get("/api/v1/audit-events").then().statusCode(200)
                .body("items[0].details.directory", equalTo(entra.tokenId()));
    }

    /** RFC 7644 §3.3's create, §3.5.1's replace and §3.4.2's filters, with the parts that apply. */
    @Test
    void theRfcExamples() {
        Directory directory = directory("RFC 7644 Co");
        String email = Api.uniqueEmail("bjensen");
        String id = create(directory, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s","externalId":"bjensen",
                 "name":{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara"}}""".formatted(email));
        directory.scim().get("/scim/v2/Users/" + id).then().statusCode(200).body("displayName", equalTo("Ms. Barbara J Jensen III"))
                .body("meta.location", equalTo(TestServer.baseUrl() + "/scim/v2/Users/" + id));
        directory.scim("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"%s","userName":"%s","externalId":"bjensen",
                 "name":{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara","middleName":"Jane"},
                 "emails":[{"value":"%s","type":"work","primary":true}],"displayName":"Babs Jensen"}""".formatted(id, email, email))
                .put("/scim/v2/Users/" + id).then().statusCode(200).body("displayName", equalTo("Babs Jensen"))
                .body("active", equalTo(true));
        for (String filter : List.of("userName eq \"" + email + "\"", "name.familyName co \"O'Malley\" or externalId eq \"bjensen\"",
                "userName sw \"bjensen\" and emails pr", "meta.lastModified gt \"2011-05-13T04:42:34Z\" and externalId eq \"bjensen\"",
                "not (externalId ne \"bjensen\")", "(displayName ew \"jensen\") and (active eq true)")) {
            directory.scim().queryParam("filter", filter).get("/scim/v2/Users").then().statusCode(200)
                    .body("totalResults", equalTo(1)).body("Resources[0].id", equalTo(id));
        }
        directory.scim().queryParam("filter", "meta.lastModified lt \"2011-05-13T04:42:34Z\"").get("/scim/v2/Users").then()
                .statusCode(200).body("totalResults", equalTo(0));
        // paging: the admin and Barbara, one a page; startIndex past the end still counts them
        directory.scim().queryParam("startIndex", 2).queryParam("count", 1).get("/scim/v2/Users").then().statusCode(200)
                .body("totalResults", equalTo(2)).body("itemsPerPage", equalTo(1)).body("startIndex", equalTo(2))
                .body("Resources[0].id", equalTo(id));
        directory.scim().queryParam("startIndex", 5).get("/scim/v2/Users").then().body("totalResults", equalTo(2))
                .body("Resources", equalTo(List.of()));
        directory.scim().queryParam("count", 0).get("/scim/v2/Users").then().body("totalResults", equalTo(2))
                .body("itemsPerPage", equalTo(0));
    }

    @Test
    void discoveryAdvertisesWhatIsImplemented() {
        Directory directory = directory("Discovery Co");
        directory.scim().get("/scim/v2/ServiceProviderConfig").then().statusCode(200).contentType(startsWith(SCIM))
                .body("patch.supported", equalTo(true)).body("filter.supported", equalTo(true))
                .body("filter.maxResults", equalTo(200)).body("bulk.supported", equalTo(false))
                .body("sort.supported", equalTo(true)).body("etag.supported", equalTo(false))
                .body("changePassword.supported", equalTo(false))
                .body("authenticationSchemes[0].type", equalTo("oauthbearertoken"));
        directory.scim().get("/scim/v2/ResourceTypes").then().statusCode(200)
                .body("Resources.id", equalTo(List.of("User", "Group")))
                .body("Resources.endpoint", equalTo(List.of("/Users", "/Groups")));
        directory.scim().get("/scim/v2/Schemas").then().statusCode(200)
                .body("Resources.id", equalTo(List.of(USER, ScimProtocolChecks.ENTERPRISE, "urn:ietf:params:scim:schemas:core:2.0:Group")))
                .body("Resources[0].attributes.name", equalTo(List.of("userName", "externalId", "name", "displayName",
                        "emails", "active")));
    }

    @Test
    void onlyTheTenantsAdminsManageTokensAndARevokedOrMissingTokenIs401() {
        Directory directory = directory("Token Co");
        directory.admin().as().get("/api/v1/scim-tokens").then().statusCode(200)
                .body("items.id", equalTo(List.of(directory.tokenId()))).body("items[0].token", nullValue())
                .body("items[0].created_by", equalTo(directory.admin().userId()));
        Api.Account member = Api.addUser(directory.admin(), false);
        member.as().get("/api/v1/scim-tokens").then().statusCode(403);
        member.as().contentType(ContentType.JSON).body(Map.of("name", "Rogue")).post("/api/v1/scim-tokens").then().statusCode(403);
        member.as().delete("/api/v1/scim-tokens/" + directory.tokenId()).then().statusCode(403);
        Directory other = directory("Other Token Co");
        other.admin().as().delete("/api/v1/scim-tokens/" + directory.tokenId()).then().statusCode(404);
        directory.admin().as().contentType(ContentType.JSON).body(Map.of("name", "x", "expires_in_days", 9999))
                .post("/api/v1/scim-tokens").then().statusCode(422);

        directory.scim().get("/scim/v2/Users").then().statusCode(200);
        scimError(given().accept(SCIM).get("/scim/v2/Users").then(), 401, null);
        scimError(given().header("Authorization", "Bearer not-a-token").get("/scim/v2/Users").then(), 401, null);
        // an access token is not a SCIM token, and a SCIM token is not an access token
        scimError(directory.admin().as().get("/scim/v2/Users").then(), 401, null);
        given().header("Authorization", "Bearer " + directory.token()).get("/api/v1/users").then().statusCode(401);
        directory.admin().as().delete("/api/v1/scim-tokens/" + directory.tokenId()).then().statusCode(204);
        scimError(directory.scim().get("/scim/v2/Users").then(), 401, null);
        directory.admin().as().queryParam("type", "scim_token.revoked").get("/api/v1/audit-events").then()
                .body("items[0].details.directory", equalTo(directory.tokenId()));
    }

    @Test
    void anotherTenantsDirectorySeesAndTouchesNothingOfThisOne() {
        Directory a = directory("Isolated A Co");
        Directory b = directory("Isolated B Co");
        String email = Api.uniqueEmail("isolated");
        String id = create(a, oktaUser(email, "a-1"));
        b.scim().queryParam("filter", "userName eq \"" + email + "\" or externalId eq \"a-1\"").get("/scim/v2/Users").then()
                .statusCode(200).body("totalResults", equalTo(0));
        b.scim().get("/scim/v2/Users").then().body("totalResults", equalTo(1))
                .body("Resources[0].id", equalTo(b.admin().userId()));
        scimError(b.scim().get("/scim/v2/Users/" + id).then(), 404, null);
        scimError(b.scim(patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]")).patch("/scim/v2/Users/" + id).then(), 404, null);
        scimError(b.scim(oktaUser(email, "b-1")).put("/scim/v2/Users/" + id).then(), 404, null);
        scimError(b.scim().delete("/scim/v2/Users/" + id).then(), 404, null);
        a.scim().get("/scim/v2/Users/" + id).then().statusCode(200).body("active", equalTo(true));
    }

    /**
     * One person in two tenants' directories: two memberships of one account, each with its own externalId. The
     * second directory links the account only once its owner has verified the address (here by setting a password
     * through "forgot password", the way a provisioned person signs in the first time). Deactivation in one
     * tenant ends the session there at its next request; the other tenant's membership lives on. Name and email
     * are no longer either directory's to change.
     */
    @Test
    void onePersonInTwoTenantsAndADeactivationEndsTheirLiveSession() {
        Directory a = directory("Two Tenants A Co");
        Directory b = directory("Two Tenants B Co");
        String email = Api.uniqueEmail("two-tenants");
        String id = create(a, entraUser(email, "a-ext"));
        // the account's address is not verified yet: B cannot link it
        scimError(b.scim(oktaUser(email, "b-ext")).post("/scim/v2/Users").then(), 409, "uniqueness");
        json(Map.of("email", email)).post("/api/v1/auth/forgot-password").then().statusCode(202);
        String reset = MailServer.awaitMail(email, "Set a new password").token();
        json(Map.of("token", reset, "new_password", PASSWORD)).post("/api/v1/auth/reset-password").then().statusCode(204);
        assertEquals(id, create(b, oktaUser(email, "b-ext")));
        a.scim().get("/scim/v2/Users/" + id).then().body("externalId", equalTo("a-ext"));
        b.scim().get("/scim/v2/Users/" + id).then().body("externalId", equalTo("b-ext"));
        b.admin().as().queryParam("type", "user.linked").get("/api/v1/audit-events").then()
                .body("items[0].details.directory", equalTo(b.tokenId())).body("items[0].subject_user_id", equalTo(id));

        // the shared-account rule: the same name is fine, another is 400 mutability
        b.scim(patch("[{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"givenName familyName\"}]"))
                .patch("/scim/v2/Users/" + id).then().statusCode(200);
        scimError(b.scim(patch("[{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"Someone Else\"}]"))
                .patch("/scim/v2/Users/" + id).then(), 400, "mutability");

        String inA = Api.login(email, PASSWORD, a.admin().tenantId()).getString("access_token");
        String inB = Api.login(email, PASSWORD, b.admin().tenantId()).getString("access_token");
        given().header("Authorization", "Bearer " + inA).get("/api/v1/users/me").then().statusCode(200);
        a.scim(patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]")).patch("/scim/v2/Users/" + id)
                .then().statusCode(200).body("active", equalTo(false));
        given().header("Authorization", "Bearer " + inA).get("/api/v1/users/me").then().statusCode(401);
        given().header("Authorization", "Bearer " + inB).get("/api/v1/users/me").then().statusCode(200);
    }

    @Test
    void aDirectoryNeverChangesAMemberHoldingMoreThanItsCreator() {
        Directory directory = directory("Ceiling Co");
        // a token issued by a helpdesk member holding scim:manage and users:read only
        String helpdesk = ServiceAccountChecks.role(directory.admin(), "helpdesk", List.of("scim:manage", "users:read"));
        Api.Account member = Api.addUser(directory.admin(), false);
        directory.admin().as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of(helpdesk)))
                .put("/api/v1/users/" + member.userId() + "/roles").then().statusCode(200);
        String token = given().header("Authorization", "Bearer " + Api.login(member.email(), PASSWORD, member.tenantId())
                        .getString("access_token")).contentType(ContentType.JSON).body(Map.of("name", "Helpdesk directory"))
                .post("/api/v1/scim-tokens").then().statusCode(201).extract().path("token");
        RequestSpecification limited = given().header("Authorization", "Bearer " + token).contentType(SCIM)
                .body(patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]"));
        scimError(limited.patch("/scim/v2/Users/" + directory.admin().userId()).then(), 403, null);
        directory.admin().as().get("/api/v1/users/me").then().statusCode(200);
    }

    /**
     * Groups are the tenant's roles: Entra ID finds one by displayName (members excluded), adds and removes
     * members by value arrays, Okta removes by members[value eq "..."]; a member's permissions follow at once,
     * and nothing widens a role beyond the token creator or takes the tenant's last admin away.
     */
    @Test
    void groupsAreRolesAndTheirMembersItsHolders() {
        Directory directory = directory("SCIM Groups Co");
        String engineers = AccessChecks.createRole(directory.admin(), "engineers", List.of("users:read"));
        String id = create(directory, entraUser(Api.uniqueEmail("engineer"), "eng-1"));
        directory.scim().queryParam("filter", "displayName eq \"Engineers\"").queryParam("excludedAttributes", "members")
                .get("/scim/v2/Groups").then().statusCode(200).contentType(startsWith(SCIM)).body("totalResults", equalTo(1))
                .body("Resources[0].id", equalTo(engineers)).body("Resources[0].displayName", equalTo("engineers"))
                .body("Resources[0].members", nullValue());
        directory.scim(patch("[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"" + id + "\"}]}]"))
                .patch("/scim/v2/Groups/" + engineers).then().statusCode(200).body("members.value", equalTo(List.of(id)));
        directory.admin().as().get("/api/v1/users/" + id + "/roles").then().statusCode(200).body("name", equalTo(List.of("engineers")));
        directory.scim().get("/scim/v2/Groups/" + engineers).then().body("members[0].value", equalTo(id))
                .body("schemas", equalTo(List.of("urn:ietf:params:scim:schemas:core:2.0:Group")));
        directory.admin().as().queryParam("type", "roles.assigned").get("/api/v1/audit-events").then()
                .body("items[0].details.directory", equalTo(directory.tokenId())).body("items[0].details.added", equalTo(List.of("engineers")));
        directory.scim(patch("[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + id + "\\\"]\"}]"))
                .patch("/scim/v2/Groups/" + engineers).then().statusCode(200).body("members", equalTo(List.of()));
        scimError(directory.scim(patch("[{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"Builders\"}]"))
                .patch("/scim/v2/Groups/" + engineers).then(), 400, "mutability");
        scimError(directory.scim(patch("[{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"" + java.util.UUID.randomUUID() + "\"}]}]"))
                .patch("/scim/v2/Groups/" + engineers).then(), 400, "invalidValue");
        // the tenant's last active admin stays in the admin role
        String admins = AccessChecks.roleId(directory.admin(), "admin");
        scimError(directory.scim(patch("[{\"op\":\"remove\",\"path\":\"members\"}]")).patch("/scim/v2/Groups/" + admins).then(),
                400, "mutability");
        // another tenant's directory sees none of these roles
        Directory other = directory("SCIM Groups Other Co");
        scimError(other.scim().get("/scim/v2/Groups/" + engineers).then(), 404, null);
        other.scim().queryParam("filter", "displayName eq \"engineers\"").get("/scim/v2/Groups").then().body("totalResults", equalTo(0));
    }

    @Test
    void aDirectoryNeverAddsToAGroupHoldingMoreThanItsCreator() {
        Directory directory = directory("SCIM Groups Ceiling Co");
        String helpdesk = ServiceAccountChecks.role(directory.admin(), "helpdesk", List.of("scim:manage", "users:read"));
        Api.Account member = Api.addUser(directory.admin(), false);
        AccessChecks.assignRoles(directory.admin(), member.userId(), helpdesk);
        String token = given().header("Authorization", "Bearer " + Api.login(member.email(), PASSWORD, member.tenantId())
                        .getString("access_token")).contentType(ContentType.JSON).body(Map.of("name", "Helpdesk directory"))
                .post("/api/v1/scim-tokens").then().statusCode(201).extract().path("token");
        String newcomer = create(directory, oktaUser(Api.uniqueEmail("newcomer"), "newcomer"));
        String admins = AccessChecks.roleId(directory.admin(), "admin");
        scimError(given().header("Authorization", "Bearer " + token).contentType(SCIM)
                .body(patch("[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + newcomer + "\"}]}]"))
                .patch("/scim/v2/Groups/" + admins).then(), 403, null);
        directory.admin().as().get("/api/v1/users/" + newcomer + "/roles").then().body("name", equalTo(List.of()));
    }

    @Test
    void hostileInputIs400InScimsFormat() {
        Directory directory = directory("Hostile SCIM Co");
        for (String filter : List.of("userName eq \"x\" or 1=1", "userName eq \"x\"; drop table users; --",
                "(".repeat(50) + "userName eq \"x\"" + ")".repeat(50), "not (".repeat(20) + "active eq true" + ")".repeat(20),
                "userName eq \"" + "x".repeat(2000) + "\"", "password eq \"x\"", "emails[type eq \"work\"]",
                "userName eq x", "active co \"t\"")) {
            scimError(directory.scim().queryParam("filter", filter).get("/scim/v2/Users").then(), 400, "invalidFilter");
        }
        // an injection inside a string is only a string: nothing matches
        directory.scim().queryParam("filter", "userName eq \"x' or '1'='1\"").get("/scim/v2/Users").then()
                .statusCode(200).body("totalResults", equalTo(0));
        // a huge count is capped at the advertised maximum; one that is no number is 400
        directory.scim().queryParam("count", 100_000_000).get("/scim/v2/Users").then().statusCode(200)
                .body("itemsPerPage", equalTo(1));
        scimError(directory.scim().queryParam("count", "99999999999999999999").get("/scim/v2/Users").then(), 400, "invalidValue");
        scimError(directory.scim("{not json").post("/scim/v2/Users").then(), 400, "invalidSyntax");
        scimError(directory.scim("{\"userName\":\"not-an-email\"}").post("/scim/v2/Users").then(), 400, "invalidValue");
        scimError(directory.scim("{\"userName\":\"a\\u0000b@example.com\"}").post("/scim/v2/Users").then(), 400, "invalidValue");
        scimError(directory.scim(oktaUser(Api.uniqueEmail("x"), "x")).patch("/scim/v2/Users/" + directory.admin().userId()).then(),
                400, "invalidSyntax");
        scimError(directory.scim().get("/scim/v2/Users/not-an-id").then(), 404, null);
        scimError(directory.scim().get("/scim/v2/Bulk").then(), 404, null);
        scimError(directory.scim("{\"displayName\":\"Rogue\"}").post("/scim/v2/Groups").then(), 405, null);
        // the last active admin stays
        scimError(directory.scim(patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]"))
                .patch("/scim/v2/Users/" + directory.admin().userId()).then(), 400, "mutability");
    }

    @Test
    void aFilteredPageAndAPatchHoldTheirStatementBudgets() {
        Directory directory = directory("SCIM Budget Co");
        for (int i = 0; i < 5; i++) {
            create(directory, oktaUser(Api.uniqueEmail("budget-" + i), "budget-" + i));
        }
        String id = create(directory, oktaUser(Api.uniqueEmail("budget-patched"), "budget-patched"));
        int page = statements(directory.scim().queryParam("filter", "externalId sw \"budget-\" and active eq true")
                .queryParam("count", 3), r -> r.get("/scim/v2/Users"), 200);
        int patch = statements(directory.scim(patch("[{\"op\":\"Replace\",\"path\":\"name.givenName\",\"value\":\"Budget\"}]")),
                r -> r.patch("/scim/v2/Users/" + id), 200);
        int search = statements(directory.scim("{\"filter\":\"externalId sw \\\"budget-\\\" and active eq true\",\"count\":3,"
                + "\"sortBy\":\"userName\",\"attributes\":[\"userName\"]}"), r -> r.post("/scim/v2/Users/.search"), 200);
        int enterprise = statements(directory.scim(patch("[{\"op\":\"Add\",\"path\":\"" + ScimProtocolChecks.ENTERPRISE
                + ":department\",\"value\":\"Budgets\"}]")), r -> r.patch("/scim/v2/Users/" + id), 200);
        int deactivate = statements(directory.scim(patch("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]")),
                r -> r.patch("/scim/v2/Users/" + id), 200);
        assertEquals(Map.of("filtered page", 2, "patch", 7, "search", 2, "enterprise patch", 6, "deactivate", 8),
                Map.of("filtered page", page, "patch", patch, "search", search, "enterprise patch", enterprise, "deactivate", deactivate));
        assertTrue(page <= 2);
    }
}
