package dev.gatehouse.provisioning;

import dev.gatehouse.provisioning.ScimFilter.And;
import dev.gatehouse.provisioning.ScimFilter.Comparison;
import dev.gatehouse.provisioning.ScimFilter.Not;
import dev.gatehouse.provisioning.ScimFilter.Operator;
import dev.gatehouse.provisioning.ScimFilter.Or;
import dev.gatehouse.provisioning.ScimFilter.Present;
import dev.gatehouse.platform.Ids;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A parsed filter as SQL over the users query of {@link ScimMembers} (u: users, m: memberships, s: scim_members)
 * or the groups query of {@link ScimGroups} (r: roles): the SQL text comes only from the fixed fragments here,
 * each value the filter holds is a bind parameter ({@code ?n}, numbered from {@code firstParameter}). An
 * attribute or operator the resource does not filter on is a 400 invalidFilter.
 */
final class ScimFilterSql {

    /** The where clause and its parameters in order. */
    record Sql(String where, List<Object> parameters) {
    }

    enum Kind { TEXT, EXACT_TEXT, BOOLEAN, DATE_TIME, ID }

    record Column(String sql, Kind kind) {
    }

    /** The enterprise extension's attributes are named with its URN in front (RFC 7644 §3.10). */
    private static final String ENTERPRISE = ScimEnterpriseUser.LOWER_SCHEMA + ":";
    private static final String CORE_GROUP_URN = ScimGroupsResource.SCHEMA.toLowerCase(Locale.ROOT) + ":";
    private static final String CORE_USER_URN = ScimUser.SCHEMA.toLowerCase(Locale.ROOT) + ":";

    /** What a filter of users may name: the attributes Gatehouse keeps, and where they are. */
    static final Map<String, Column> USERS = Map.ofEntries(
            Map.entry("id", new Column("u.id", Kind.ID)),
            Map.entry("username", new Column("u.email", Kind.TEXT)),
            Map.entry("emails", new Column("u.email", Kind.TEXT)),
            Map.entry("emails.value", new Column("u.email", Kind.TEXT)),
            Map.entry("externalid", new Column("s.external_id", Kind.EXACT_TEXT)),
            Map.entry("displayname", new Column("u.full_name", Kind.TEXT)),
            Map.entry("name.formatted", new Column("u.full_name", Kind.TEXT)),
            Map.entry("name.givenname", new Column("s.given_name", Kind.TEXT)),
            Map.entry("name.familyname", new Column("s.family_name", Kind.TEXT)),
            Map.entry("active", new Column("m.is_active", Kind.BOOLEAN)),
            Map.entry("meta.created", new Column("m.created_at", Kind.DATE_TIME)),
            Map.entry("meta.lastmodified", new Column(ScimMembers.LAST_MODIFIED, Kind.DATE_TIME)),
            Map.entry(ENTERPRISE + "employeenumber", new Column("s.employee_number", Kind.TEXT)),
            Map.entry(ENTERPRISE + "costcenter", new Column("s.cost_center", Kind.TEXT)),
            Map.entry(ENTERPRISE + "organization", new Column("s.organization", Kind.TEXT)),
            Map.entry(ENTERPRISE + "division", new Column("s.division", Kind.TEXT)),
            Map.entry(ENTERPRISE + "department", new Column("s.department", Kind.TEXT)),
            Map.entry(ENTERPRISE + "manager", new Column("s.manager_id", Kind.ID)),
            Map.entry(ENTERPRISE + "manager.value", new Column("s.manager_id", Kind.ID)));

    /** What a filter of groups (the tenant's roles) may name. */
    static final Map<String, Column> GROUPS = Map.of(
            "id", new Column("r.id", Kind.ID),
            "displayname", new Column("r.name", Kind.TEXT),
            "meta.created", new Column("r.created_at", Kind.DATE_TIME),
            "meta.lastmodified", new Column("r.updated_at", Kind.DATE_TIME));

    private final Map<String, Column> columns;
    private final List<Object> parameters = new ArrayList<>();
    private final int firstParameter;

    private ScimFilterSql(Map<String, Column> columns, int firstParameter) {
        this.columns = columns;
        this.firstParameter = firstParameter;
    }

    static Sql toSql(ScimFilter filter, Map<String, Column> columns, int firstParameter) {
        ScimFilterSql translation = new ScimFilterSql(columns, firstParameter);
        String where = translation.sql(filter);
        return new Sql(where, List.copyOf(translation.parameters));
    }

    /**
     * The order by clause of a sortBy (RFC 7644 §3.4.2.3), ended by the tie-breakers: text without case, nulls
     * last when ascending and first when descending (PostgreSQL's own order, and the RFC's). Only the fixed column
     * fragments reach the SQL; an attribute the resource cannot sort on is 400 invalidValue.
     */
    static String orderBy(String sortBy, boolean descending, Map<String, Column> columns, String tieBreakers) {
        if (sortBy == null) {
            return " order by " + tieBreakers;
        }
        String attribute = sortBy.toLowerCase(Locale.ROOT);
        for (String prefix : List.of(CORE_USER_URN, CORE_GROUP_URN)) {
            attribute = attribute.startsWith(prefix) ? attribute.substring(prefix.length()) : attribute;
        }
        Column column = columns.get(attribute);
        if (column == null) {
            throw ScimException.invalidValue("This resource cannot be sorted by " + sortBy + ".");
        }
        String key = column.kind() == Kind.TEXT ? "lower(" + column.sql() + ")" : column.sql();
        return " order by " + key + (descending ? " desc" : " asc") + ", " + tieBreakers;
    }

    private String sql(ScimFilter filter) {
        return switch (filter) {
            case And and -> "(" + sql(and.left()) + " and " + sql(and.right()) + ")";
            case Or or -> "(" + sql(or.left()) + " or " + sql(or.right()) + ")";
            // SQL's unknown (a comparison with a null column) counts as false through and/or, but not through not
            case Not not -> "(not coalesce(" + sql(not.filter()) + ", false))";
            case Present present -> present(column(present.attribute()));
            case Comparison comparison -> comparison(column(comparison.attribute()), comparison.operator(), comparison.value());
        };
    }

    private Column column(String attribute) {
        Column column = columns.get(attribute);
        if (column == null) {
            throw ScimException.invalidFilter("This resource cannot be filtered on " + attribute + ".");
        }
        return column;
    }

    private static String present(Column column) {
        return column.kind() == Kind.TEXT || column.kind() == Kind.EXACT_TEXT
                ? "(" + column.sql() + " is not null and " + column.sql() + " <> '')"
                : "(" + column.sql() + " is not null)";
    }

    private String comparison(Column column, Operator operator, Object value) {
        if (value == null) {
            return switch (operator) {
                case EQ -> "(" + column.sql() + " is null)";
                case NE -> "(" + column.sql() + " is not null)";
                default -> throw ScimException.invalidFilter(operator.name().toLowerCase() + " cannot compare with null.");
            };
        }
        return switch (column.kind()) {
            case TEXT, EXACT_TEXT -> text(column, operator, value);
            case BOOLEAN -> {
                if (!(value instanceof Boolean) || !(operator == Operator.EQ || operator == Operator.NE)) {
                    throw ScimException.invalidFilter("A boolean attribute takes eq or ne with true or false.");
                }
                yield "(" + column.sql() + (operator == Operator.EQ ? " = " : " <> ") + parameter(value) + ")";
            }
            case DATE_TIME -> {
                if (!(value instanceof String text) || Set.of(Operator.CO, Operator.SW, Operator.EW).contains(operator)) {
                    throw ScimException.invalidFilter("A date-time attribute compares with eq, ne, gt, ge, lt or le and a quoted date-time.");
                }
                yield "(" + column.sql() + " " + order(operator) + " " + parameter(dateTime(text)) + ")";
            }
            case ID -> {
                if (!(value instanceof String text) || !(operator == Operator.EQ || operator == Operator.NE)) {
                    throw ScimException.invalidFilter("id takes eq or ne with a quoted id.");
                }
                UUID id = Ids.parseOrNull(text);
                if (id == null) {
                    yield operator == Operator.EQ ? "false" : "true"; // no user has an id that is not one
                }
                yield "(" + column.sql() + (operator == Operator.EQ ? " = " : " <> ") + parameter(id) + ")";
            }
        };
    }

    private String text(Column column, Operator operator, Object value) {
        if (!(value instanceof String text)) {
            throw ScimException.invalidFilter("A string attribute compares with a quoted string.");
        }
        boolean exact = column.kind() == Kind.EXACT_TEXT;
        String left = exact ? column.sql() : "lower(" + column.sql() + ")";
        return switch (operator) {
            case EQ -> "(" + left + " = " + lowered(text, exact) + ")";
            case NE -> "(" + column.sql() + " is null or " + left + " <> " + lowered(text, exact) + ")";
            case CO -> "(" + left + " like " + lowered("%" + likeEscaped(text) + "%", exact) + " escape '\\')";
            case SW -> "(" + left + " like " + lowered(likeEscaped(text) + "%", exact) + " escape '\\')";
            case EW -> "(" + left + " like " + lowered("%" + likeEscaped(text), exact) + " escape '\\')";
            case GT, GE, LT, LE -> "(" + left + " " + order(operator) + " " + lowered(text, exact) + ")";
        };
    }

    private String lowered(String value, boolean exact) {
        return exact ? parameter(value) : "lower(" + parameter(value) + ")";
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String order(Operator operator) {
        return switch (operator) {
            case EQ -> "=";
            case NE -> "<>";
            case GT -> ">";
            case GE -> ">=";
            case LT -> "<";
            case LE -> "<=";
            default -> throw new IllegalArgumentException(operator.name());
        };
    }

    private static OffsetDateTime dateTime(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw ScimException.invalidFilter("'" + text + "' is not a date-time such as 2026-01-31T09:30:00Z.");
        }
    }

    /** The next bind parameter, holding this value. */
    private String parameter(Object value) {
        parameters.add(value);
        return "?" + (firstParameter + parameters.size() - 1);
    }
}
