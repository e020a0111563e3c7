package dev.gatehouse.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatehouse.provisioning.ScimFilter.And;
import dev.gatehouse.provisioning.ScimFilter.Comparison;
import dev.gatehouse.provisioning.ScimFilter.Not;
import dev.gatehouse.provisioning.ScimFilter.Operator;
import dev.gatehouse.provisioning.ScimFilter.Or;
import dev.gatehouse.provisioning.ScimFilter.Present;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SCIM filter grammar of RFC 7644 §3.4.2.2 as ScimFilterParser reads it, and what it refuses. */
class ScimFilterParserTest {

    private static ScimFilter parse(String filter) {
        return ScimFilterParser.parse(filter);
    }

    private static Comparison eq(String attribute, Object value) {
        return new Comparison(attribute, Operator.EQ, value);
    }

    @Test
    void aComparisonOfAnAttributeWithAString() {
        assertEquals(eq("username", "bjensen"), parse("userName eq \"bjensen\""));
        assertEquals(eq("username", "bjensen"), parse("  userName   EQ \"bjensen\"  "));
        assertEquals(new Comparison("name.familyname", Operator.CO, "O'Malley"), parse("name.familyName co \"O'Malley\""));
        assertEquals(new Comparison("meta.lastmodified", Operator.GT, "2011-05-13T04:42:34Z"),
                parse("meta.lastModified gt \"2011-05-13T04:42:34Z\""));
    }

    @Test
    void everyOperatorAndLiteral() {
        for (Operator operator : Operator.values()) {
            assertEquals(new Comparison("title", operator, "x"), parse("title " + operator.name().toLowerCase() + " \"x\""));
        }
        assertEquals(eq("active", true), parse("active eq true"));
        assertEquals(eq("active", false), parse("active eq False"));
        assertEquals(eq("externalid", null), parse("externalId eq null"));
        assertEquals(eq("x", new BigDecimal("-1.5e3")), parse("x eq -1.5e3"));
        assertEquals(new Present("title"), parse("title pr"));
    }

    @Test
    void theCoreSchemaUriMayPrefixAnAttribute() {
        assertEquals(new Comparison("username", Operator.SW, "J"),
                parse("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\""));
    }

    @Test
    void stringsTakeJsonEscapes() {
        assertEquals(eq("username", "a\"b\\c/é"), parse("userName eq \"a\\\"b\\\\c\\/\\u00e9\""));
    }

    @Test
    void andBindsTighterThanOrAndParenthesesGroup() {
        Comparison a = eq("a", "1");
        Comparison b = eq("b", "2");
        Comparison c = eq("c", "3");
        assertEquals(new Or(a, new And(b, c)), parse("a eq \"1\" or b eq \"2\" and c eq \"3\""));
        assertEquals(new Or(new And(a, b), c), parse("a eq \"1\" and b eq \"2\" or c eq \"3\""));
        assertEquals(new And(new Or(a, b), c), parse("(a eq \"1\" or b eq \"2\") and c eq \"3\""));
        assertEquals(new And(new And(a, b), c), parse("a eq \"1\" AND b eq \"2\" and c eq \"3\""));
        assertEquals(new Not(new Or(a, b)), parse("not (a eq \"1\" or b eq \"2\")"));
        assertEquals(new And(a, new Not(b)), parse("a eq \"1\" and not(b eq \"2\")"));
    }

    @Test
    void theRfcExamplesWithoutValuePaths() {
        assertEquals(new And(new Present("title"), eq("usertype", "Employee")), parse("title pr and userType eq \"Employee\""));
        assertEquals(new And(eq("usertype", "Employee"), new Or(new Comparison("emails", Operator.CO, "example.com"),
                        new Comparison("emails.value", Operator.CO, "example.org"))),
                parse("userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")"));
        assertEquals(new And(new Comparison("usertype", Operator.NE, "Employee"), new Not(new Or(
                        new Comparison("emails", Operator.CO, "example.com"), new Comparison("emails.value", Operator.CO, "example.org")))),
                parse("userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")"));
        assertEquals(new Comparison("meta.lastmodified", Operator.GE, "2011-05-13T04:42:34Z"),
                parse("meta.lastModified ge \"2011-05-13T04:42:34Z\""));
    }

    @Test
    void anInjectionAttemptInAStringIsOnlyAString() {
        assertEquals(eq("username", "x' or '1'='1'; drop table users; --"),
                parse("userName eq \"x' or '1'='1'; drop table users; --\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "userName", "userName eq", "userName eq bjensen", "userName eq \"unterminated",
            "userName like \"x\"", "userName eq \"x\" or 1=1", "userName eq \"x\" )", "(userName eq \"x\"",
            "userName eq \"x\" and", "not userName eq \"x\"", "userName eq 'x'", "userName eq \"x\";",
            "emails[type eq \"work\"]", "emails[type eq \"work\" and value co \"@example.com\"]",
            "userName eq \"\\q\"", "userName eq \"\\u12\"", "1userName eq \"x\"", "userName eq 1e99999999999",
            "userName pr pr", "or eq \"x\"", "userName eq \"x\" or or userName eq \"y\"", "user$Name eq \"x\""})
    void malformedFiltersAreInvalid(String filter) {
        ScimException refused = assertThrows(ScimException.class, () -> parse(filter), filter);
        assertEquals(400, refused.status());
        assertEquals("invalidFilter", refused.scimType());
    }

    @Test
    void deepNestingIsRefused() {
        String nested = "(".repeat(11) + "a eq \"1\"" + ")".repeat(11);
        assertEquals("invalidFilter", assertThrows(ScimException.class, () -> parse(nested)).scimType());
        assertEquals(eq("a", "1"), parse("(".repeat(10) + "a eq \"1\"" + ")".repeat(10)));
        String nots = "not (".repeat(11) + "a eq \"1\"" + ")".repeat(11);
        assertEquals("invalidFilter", assertThrows(ScimException.class, () -> parse(nots)).scimType());
        String deep = "(".repeat(100_000);
        assertEquals("invalidFilter", assertThrows(ScimException.class, () -> parse(deep)).scimType());
    }

    @Test
    void longFiltersAndManyTermsAreRefused() {
        String longValue = "userName eq \"" + "x".repeat(ScimFilterParser.MAX_LENGTH) + "\"";
        assertEquals("invalidFilter", assertThrows(ScimException.class, () -> parse(longValue)).scimType());
        String many = String.join(" or ", java.util.Collections.nCopies(ScimFilterParser.MAX_TERMS + 1, "a eq 1"));
        assertEquals("invalidFilter", assertThrows(ScimException.class, () -> parse(many)).scimType());
        String enough = String.join(" or ", java.util.Collections.nCopies(ScimFilterParser.MAX_TERMS, "a eq 1"));
        parse(enough);
    }
}
