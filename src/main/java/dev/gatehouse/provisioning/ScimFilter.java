package dev.gatehouse.provisioning;

/**
 * A parsed SCIM filter (RFC 7644 §3.4.2.2): comparisons and presence tests joined by and, or and not. Attribute
 * paths are kept as written (lower-cased); which of them a resource knows is the SQL translation's business.
 */
sealed interface ScimFilter {

    enum Operator { EQ, NE, CO, SW, EW, GT, GE, LT, LE }

    /** {@code value} is a String, a Boolean, a java.math.BigDecimal or null (the literal null). */
    record Comparison(String attribute, Operator operator, Object value) implements ScimFilter {
    }

    record Present(String attribute) implements ScimFilter {
    }

    record And(ScimFilter left, ScimFilter right) implements ScimFilter {
    }

    record Or(ScimFilter left, ScimFilter right) implements ScimFilter {
    }

    record Not(ScimFilter filter) implements ScimFilter {
    }
}
