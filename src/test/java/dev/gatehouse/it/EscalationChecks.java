package dev.gatehouse.it;

import static dev.gatehouse.it.AccessChecks.assignRoles;
import static dev.gatehouse.it.AccessChecks.createRole;
import static dev.gatehouse.it.AccessChecks.roleId;
import static dev.gatehouse.it.AccessChecks.userWith;
import static dev.gatehouse.it.Api.PASSWORD;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Nobody changes an account or a role that holds permissions they do not hold, and only a superuser
 * creates or changes a superuser (DESIGN.md section 6). Every refusal is 403 problem+json, and the state
 * read back afterwards is unchanged.
 */
abstract class EscalationChecks {

    private static final List<String> HELPDESK = List.of("users:read", "users:write");
    private static final String ESCALATION = "urn:gatehouse:problem:privilege-escalation";

    private static ValidatableResponse refused(ValidatableResponse response) {
        return response.statusCode(403).contentType("application/problem+json").body("type", equalTo(ESCALATION));
    }

    /** A second superuser of the owner's tenant, with the admin role: the owner can lose neither. */
    private static Api.Account secondSuperuser(Api.Account owner) {
        Api.Account superuser = Api.addUser(owner, true);
        assignRoles(owner, superuser.userId(), roleId(owner, "admin"));
        return superuser;
    }

    @Test
    void onlyASuperuserAddsASuperuser() {
        Api.Account owner = Api.register("Escalation Add Co");
        Api.Account helpdesk = userWith(owner, HELPDESK);
        String email = Api.uniqueEmail("would-be-root");

        refused(helpdesk.as().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "full_name", "Root", "is_superuser", true))
                .post("/api/v1/users").then());
        owner.as().queryParam("page_size", 100).get("/api/v1/users").then().statusCode(200)
                .body("items.findAll { it.email == '" + email + "' }.size()", equalTo(0));

        helpdesk.as().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "full_name", "Plain", "is_superuser", false))
                .post("/api/v1/users").then().statusCode(201).body("is_superuser", equalTo(false));
    }

    /**
     * The superuser rule alone: the actor holds every permission (the admin role), the target superuser holds
     * none, so only the superuser flag can refuse; the same actions on a plain member succeed.
     */
    @Test
    void anAdminWithEveryPermissionButNotSuperuserCannotMakeOrChangeASuperuser() {
        Api.Account owner = Api.register("Escalation Rule Co");
        Api.Account admin = Api.addUser(owner, false);
        String adminRole = roleId(owner, "admin");
        assignRoles(owner, admin.userId(), adminRole);
        Api.Account superuser = Api.addUser(owner, true); // no role: no permission the admin lacks
        String email = Api.uniqueEmail("would-be-root");

        refused(admin.as().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "full_name", "Root", "is_superuser", true))
                .post("/api/v1/users").then()).body("detail", equalTo("Only a superuser can add a superuser."));
        refused(admin.as().contentType(ContentType.JSON).body(Map.of("full_name", "Mine now"))
                .patch("/api/v1/users/" + superuser.userId()).then())
                .body("detail", equalTo("Only a superuser can change a superuser."));
        refused(admin.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of(adminRole)))
                .put("/api/v1/users/" + superuser.userId() + "/roles").then());
        refused(admin.as().post("/api/v1/users/" + superuser.userId() + "/deactivate").then());

        owner.as().queryParam("page_size", 100).get("/api/v1/users").then().statusCode(200)
                .body("items.findAll { it.email == '" + email + "' }.size()", equalTo(0));
        owner.as().get("/api/v1/users/" + superuser.userId()).then().statusCode(200)
                .body("full_name", equalTo("A User")).body("is_active", equalTo(true)).body("is_superuser", equalTo(true));
        owner.as().get("/api/v1/users/" + superuser.userId() + "/roles").then().statusCode(200).body("size()", equalTo(0));

        // the control: the same actions on a member who is no superuser go through
        Api.Account member = Api.addUser(owner, false);
        admin.as().contentType(ContentType.JSON).body(Map.of("full_name", "Renamed by admin"))
                .patch("/api/v1/users/" + member.userId()).then().statusCode(200);
        admin.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of(adminRole)))
                .put("/api/v1/users/" + member.userId() + "/roles").then().statusCode(200);
    }

    @Test
    void aHelpdeskCannotChangeASuperuser() {
        Api.Account owner = Api.register("Escalation Superuser Co");
        Api.Account other = secondSuperuser(owner);
        Api.Account helpdesk = userWith(owner, HELPDESK);

        refused(helpdesk.as().contentType(ContentType.JSON).body(Map.of("email", Api.uniqueEmail("taken-over")))
                .patch("/api/v1/users/" + owner.userId()).then());
        refused(helpdesk.as().contentType(ContentType.JSON).body(Map.of("full_name", "Mine now"))
                .patch("/api/v1/users/" + other.userId()).then());
        refused(helpdesk.as().post("/api/v1/users/" + other.userId() + "/deactivate").then());

        owner.as().get("/api/v1/users/" + owner.userId()).then().statusCode(200).body("email", equalTo(owner.email()));
        owner.as().get("/api/v1/users/" + other.userId()).then().statusCode(200)
                .body("full_name", equalTo("A User")).body("is_active", equalTo(true));
        other.as().get("/api/v1/users/me").then().statusCode(200); // still signed in
    }

    @Test
    void nobodyChangesAUserWhoHoldsMoreThanThey() {
        Api.Account owner = Api.register("Escalation Holder Co");
        Api.Account roleManager = userWith(owner, List.of("roles:manage", "roles:read"));
        Api.Account helpdesk = userWith(owner, HELPDESK);

        refused(helpdesk.as().contentType(ContentType.JSON).body(Map.of("email", Api.uniqueEmail("hijack")))
                .patch("/api/v1/users/" + roleManager.userId()).then());
        refused(helpdesk.as().post("/api/v1/users/" + roleManager.userId() + "/deactivate").then());
        owner.as().get("/api/v1/users/" + roleManager.userId()).then().statusCode(200)
                .body("email", equalTo(roleManager.email())).body("is_active", equalTo(true));

        // a peer who holds the same permissions (or fewer) can be changed
        Api.Account peer = userWith(owner, List.of("users:read"));
        helpdesk.as().contentType(ContentType.JSON).body(Map.of("full_name", "Renamed by helpdesk"))
                .patch("/api/v1/users/" + peer.userId()).then().statusCode(200).body("full_name", equalTo("Renamed by helpdesk"));
    }

    @Test
    void aRoleManagerCannotStripARoleOrAUserHoldingMoreThanThey() {
        Api.Account owner = Api.register("Escalation Roles Co");
        Api.Account other = secondSuperuser(owner);
        Api.Account roleManager = userWith(owner, List.of("roles:manage", "roles:read"));
        String admin = roleId(owner, "admin");
        String helpdeskRole = createRole(owner, "helpdesk", HELPDESK);

        refused(roleManager.as().contentType(ContentType.JSON).body(Map.of("permissions", List.of()))
                .put("/api/v1/roles/" + admin + "/permissions").then());
        refused(roleManager.as().delete("/api/v1/roles/" + helpdeskRole).then());
        refused(roleManager.as().contentType(ContentType.JSON).body(Map.of("description", "defaced"))
                .patch("/api/v1/roles/" + helpdeskRole).then());
        refused(roleManager.as().contentType(ContentType.JSON).body(Map.of("role_ids", List.of()))
                .put("/api/v1/users/" + other.userId() + "/roles").then());

        owner.as().get("/api/v1/roles/" + admin).then().statusCode(200)
                .body("permissions", hasItems("users:*", "roles:*", "tenant:*"));
        owner.as().get("/api/v1/roles/" + helpdeskRole).then().statusCode(200)
                .body("permissions", equalTo(HELPDESK)).body("description", equalTo(null));
        owner.as().get("/api/v1/users/" + other.userId() + "/roles").then().statusCode(200)
                .body("name", equalTo(List.of("admin")));
    }
}
