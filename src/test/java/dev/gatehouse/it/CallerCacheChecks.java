package dev.gatehouse.it;

import static dev.gatehouse.it.TestServer.statements;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.gatehouse.testing.Polling;
import dev.gatehouse.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The caller cache: a change made outside this server (here with SQL, as another instance or an operator
 * would) reaches it through PostgreSQL's notifications. That a known caller costs no statement, and a new one
 * one, StatementBudgetChecks holds every endpoint to. Changes made
 * through this server's API apply on the very next request; the Access, TokenSecurity and UserAdmin checks
 * test that for every endpoint that changes a caller.
 */
abstract class CallerCacheChecks {

    /** Long enough for a notification on a loaded machine; a pass takes milliseconds. */
    private static final Duration NOTIFICATION_WAIT = Duration.ofSeconds(10);

    @Test
    void aChangeToTheAccountMadeElsewhereReachesTheCache() {
        Api.Account account = cachedCaller("Renamed Elsewhere Co");
        TestDatabase.update("update users set full_name = 'Renamed Elsewhere' where id = ?::uuid", account.userId());
        Polling.awaitTrue(NOTIFICATION_WAIT, "the change reached the cache",
                () -> "Renamed Elsewhere".equals(account.as().get("/api/v1/users/me").jsonPath().getString("full_name")));

        TestDatabase.update("update users set is_active = false where id = ?::uuid", account.userId());
        Polling.awaitTrue(NOTIFICATION_WAIT, "the change reached the cache",
                () -> account.as().get("/api/v1/users/me").statusCode() == 401);
    }

    @Test
    void aChangeToTheTenantsRolesMadeElsewhereReachesEveryCachedCallerOfTheTenant() {
        Api.Account admin = cachedCaller("Roles Elsewhere Co");
        Api.Account member = Api.addUser(admin, false);
        admin.as().contentType("application/json").body("{\"role_ids\":[\"" + roleId(admin, "viewer") + "\"]}")
                .put("/api/v1/users/" + member.userId() + "/roles").then().statusCode(200);
        member.as().get("/api/v1/users").then().statusCode(200);
        StatementBudgetChecks.awaitCached(member); // the role assignment's notification may evict it once more

        TestDatabase.update("delete from role_permissions where role_id = ?::uuid", roleId(admin, "viewer"));
        Polling.awaitTrue(NOTIFICATION_WAIT, "the change reached the cache",
                () -> member.as().get("/api/v1/users").statusCode() == 403);

        TestDatabase.update("update tenants set is_active = false where id = ?::uuid", admin.tenantId());
        Polling.awaitTrue(NOTIFICATION_WAIT, "the change reached the cache",
                () -> admin.as().get("/api/v1/users/me").statusCode() == 401);
    }

    @Test
    void anUnassignmentAndARoleDeleteMadeElsewhereReachTheCache() {
        Api.Account admin = cachedCaller("Unassigned Elsewhere Co");
        Api.Account member = Api.addUser(admin, false);
        String viewer = roleId(admin, "viewer");
        String reader = admin.as().contentType("application/json").body("{\"name\":\"reader\",\"permissions\":[\"roles:read\"]}")
                .post("/api/v1/roles").then().statusCode(201).extract().path("id");
        admin.as().contentType("application/json").body("{\"role_ids\":[\"" + viewer + "\",\"" + reader + "\"]}")
                .put("/api/v1/users/" + member.userId() + "/roles").then().statusCode(200);
        // cached with both roles (the set-up's own notifications may evict it once more first)
        Polling.awaitTrue(NOTIFICATION_WAIT, "the member is cached with both roles",
                () -> member.as().get("/api/v1/roles").statusCode() == 200
                        && statements(member.as(), r -> r.get("/api/v1/users/me"), 200) == 0);
        member.as().get("/api/v1/users").then().statusCode(200);

        TestDatabase.update("delete from user_roles where user_id = ?::uuid and role_id = ?::uuid", member.userId(), viewer);
        Polling.awaitTrue(NOTIFICATION_WAIT, "the unassignment reached the cache",
                () -> member.as().get("/api/v1/users").statusCode() == 403);

        Polling.awaitTrue(NOTIFICATION_WAIT, "the member is cached again",
                () -> member.as().get("/api/v1/roles").statusCode() == 200
                        && statements(member.as(), r -> r.get("/api/v1/users/me"), 200) == 0);
        TestDatabase.update("delete from roles where id = ?::uuid", reader);
        Polling.awaitTrue(NOTIFICATION_WAIT, "the role delete reached the cache",
                () -> member.as().get("/api/v1/roles").statusCode() == 403);
    }

    @Test
    void whileItsListenerIsDisconnectedNothingIsCachedAndItReconnects() {
        Api.Account account = cachedCaller("Listener Lost Co");
        long listener = listenerProcess();
        assertEquals(true, TestDatabase.queryValue("select pg_terminate_backend(?::int)", listener));
        TestDatabase.update("update users set full_name = 'Changed While Deaf' where id = ?::uuid", account.userId());
        Polling.awaitTrue(NOTIFICATION_WAIT, "the change reached the cache",
                () -> "Changed While Deaf".equals(account.as().get("/api/v1/users/me").jsonPath().getString("full_name")));

        Polling.awaitTrue(NOTIFICATION_WAIT, "the listener reconnected", () -> listenerProcessOrZero() != 0);
        assertNotEquals(listener, listenerProcess());
        Polling.awaitTrue(NOTIFICATION_WAIT, "caching resumed",
                () -> statements(account.as(), r -> r.get("/api/v1/users/me"), 200) == 0);
    }

    /** A new account whose caller view is in the cache (its second request costs no statement). */
    private static Api.Account cachedCaller(String tenantName) {
        Api.Account account = Api.register(tenantName);
        account.as().get("/api/v1/users/me").then().statusCode(200);
        StatementBudgetChecks.awaitCached(account);
        return account;
    }

    private static String roleId(Api.Account admin, String name) {
        return admin.as().get("/api/v1/roles").jsonPath().getString("find { it.name == '" + name + "' }.id");
    }

    private static long listenerProcess() {
        long pid = listenerProcessOrZero();
        assertNotEquals(0, pid, "no server connection is listening for caller changes");
        return pid;
    }

    private static long listenerProcessOrZero() {
        return TestDatabase.queryLong("""
                select coalesce(max(pid), 0) from pg_stat_activity
                where application_name = 'gatehouse' and query = 'LISTEN gatehouse_callers'""");
    }
}
