package dev.gatehouse.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Filters as SQL: fixed fragments, every value a bind parameter. */
class ScimFilterSqlTest {

    private static ScimFilterSql.Sql sql(String filter) {
        return ScimFilterSql.toSql(ScimFilterParser.parse(filter), ScimFilterSql.USERS, 4);
    }

    @Test
    void okta_s_lookupIsOneParameter() {
        ScimFilterSql.Sql sql = sql("userName eq \"ada@example.com\"");
        assertEquals("(lower(u.email) = lower(?4))", sql.where());
        assertEquals(List.of("ada@example.com"), sql.parameters());
    }

    @Test
    void theEnterpriseExtensionIsFilteredByItsUrnPaths() {
        UUID manager = UUID.randomUUID();
        ScimFilterSql.Sql sql = sql("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"Sales\" and "
                + "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"" + manager + "\"");
        assertEquals("((lower(s.department) = lower(?4)) and (s.manager_id = ?5))", sql.where());
        assertEquals(List.of("Sales", manager), sql.parameters());
    }

    @Test
    void sortByIsAFixedColumnAndTheTieBreakers() {
        assertEquals(" order by m.created_at, u.id", ScimFilterSql.orderBy(null, false, ScimFilterSql.USERS, "m.created_at, u.id"));
        assertEquals(" order by lower(u.email) desc, m.created_at, u.id",
                ScimFilterSql.orderBy("urn:ietf:params:scim:schemas:core:2.0:User:userName", true, ScimFilterSql.USERS, "m.created_at, u.id"));
        assertEquals(" order by m.created_at asc, r.id", ScimFilterSql.orderBy("meta.created", false, Map.of("meta.created",
                new ScimFilterSql.Column("m.created_at", ScimFilterSql.Kind.DATE_TIME)), "r.id"));
        assertEquals("invalidValue", assertThrows(ScimException.class,
                () -> ScimFilterSql.orderBy("u.email; drop table users", false, ScimFilterSql.USERS, "u.id")).scimType());
    }

    @Test
    void externalIdIsCaseExactAndNeIncludesNulls() {
        assertEquals("(s.external_id = ?4)", sql("externalId eq \"AbC\"").where());
        assertEquals("(s.external_id is null or s.external_id <> ?4)", sql("externalId ne \"AbC\"").where());
        assertEquals("(s.external_id is null)", sql("externalId eq null").where());
    }

    @Test
    void likePatternsEscapeTheirWildcards() {
        ScimFilterSql.Sql sql = sql("displayName co \"50%_off\\\\\"");
        assertEquals("(lower(u.full_name) like lower(?4) escape '\\')", sql.where());
        assertEquals(List.of("%50\\%\\_off\\\\%"), sql.parameters());
        assertEquals(List.of("ada%"), sql("name.givenName sw \"ada\"").parameters());
        assertEquals(List.of("%@example.com"), sql("emails.value ew \"@example.com\"").parameters());
    }

    @Test
    void logicKeepsItsShapeAndNotTreatsUnknownAsFalse() {
        ScimFilterSql.Sql sql = sql("active eq true and not (externalId pr or meta.lastModified gt \"2026-01-01T00:00:00Z\")");
        assertEquals("((m.is_active = ?4) and (not coalesce(((s.external_id is not null and s.external_id <> '') or "
                + "(greatest(u.updated_at, m.updated_at, s.updated_at) > ?5)), false)))", sql.where());
        assertEquals(List.of(true, OffsetDateTime.parse("2026-01-01T00:00:00Z")), sql.parameters());
    }

    @Test
    void anIdThatIsNoIdMatchesNothing() {
        assertEquals("false", sql("id eq \"x' or 1=1 --\"").where());
        UUID id = UUID.randomUUID();
        assertEquals(List.of(id), sql("id eq \"" + id + "\"").parameters());
    }

    @Test
    void anInjectionIsABoundValueNeverSql() {
        String hostile = "x') or 1=1; drop table users; --";
        ScimFilterSql.Sql sql = sql("userName eq \"" + hostile.replace("\"", "\\\"") + "\"");
        assertEquals("(lower(u.email) = lower(?4))", sql.where());
        assertEquals(List.of(hostile), sql.parameters());
    }

    @ParameterizedTest
    @ValueSource(strings = {"title eq \"x\"", "password eq \"x\"", "active co \"t\"", "active gt true", "active eq \"yes\"",
            "meta.lastModified co \"2026\"", "meta.lastModified gt \"yesterday\"", "userName eq 1", "userName gt null",
            "id gt \"x\"", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:shoeSize eq \"x\""})
    void whatUsersCannotBeFilteredOnIsInvalid(String filter) {
        assertEquals("invalidFilter", assertThrows(ScimException.class, () -> sql(filter)).scimType(), filter);
    }
}
