package dev.gatehouse.provisioning;

import dev.gatehouse.provisioning.ScimFilter.And;
import dev.gatehouse.provisioning.ScimFilter.Comparison;
import dev.gatehouse.provisioning.ScimFilter.Not;
import dev.gatehouse.provisioning.ScimFilter.Operator;
import dev.gatehouse.provisioning.ScimFilter.Or;
import dev.gatehouse.provisioning.ScimFilter.Present;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A recursive-descent parser of RFC 7644's filter grammar, bounded so that no filter costs more than a little
 * work: at most {@link #MAX_LENGTH} characters, {@link #MAX_DEPTH} levels of parentheses and not, and
 * {@link #MAX_TERMS} comparisons. Precedence: not, then and, then or; operators and keywords in any case.
 * <pre>
 * filter     = and ("or" and)*
 * and        = unary ("and" unary)*
 * unary      = "not" "(" filter ")" | "(" filter ")" | attrPath "pr" | attrPath compareOp compValue
 * compValue  = "false" | "true" | "null" | number | string (JSON)
 * </pre>
 * Value paths ({@code emails[type eq "work"]}) are refused: no attribute of ours needs them in a filter.
 * Anything else is a 400 invalidFilter.
 */
final class ScimFilterParser {

    static final int MAX_LENGTH = 1000;
    static final int MAX_DEPTH = 10;
    static final int MAX_TERMS = 50;

    private static final String CORE_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:user:";
    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)?");
    private static final Pattern URN_ATTRIBUTE = Pattern.compile("urn:[a-z0-9.:_-]+");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d{1,4})?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "pr");

    /** A token: a parenthesis, a JSON string (quoted true) or a bare word. */
    private record Token(String text, boolean quoted) {
        boolean is(String word) {
            return !quoted && text.equalsIgnoreCase(word);
        }
    }

    private final List<Token> tokens;
    private int position;
    private int depth;
    private int terms;

    private ScimFilterParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static ScimFilter parse(String filter) {
        if (filter == null || filter.isBlank()) {
            throw ScimException.invalidFilter("The filter is empty.");
        }
        if (filter.length() > MAX_LENGTH) {
            throw ScimException.invalidFilter("The filter is longer than " + MAX_LENGTH + " characters.");
        }
        ScimFilterParser parser = new ScimFilterParser(tokens(filter));
        ScimFilter parsed = parser.or();
        if (parser.position < parser.tokens.size()) {
            throw ScimException.invalidFilter("Unexpected '" + parser.tokens.get(parser.position).text() + "' in the filter.");
        }
        return parsed;
    }

    private ScimFilter or() {
        ScimFilter left = and();
        while (next("or")) {
            left = new Or(left, and());
        }
        return left;
    }

    private ScimFilter and() {
        ScimFilter left = unary();
        while (next("and")) {
            left = new And(left, unary());
        }
        return left;
    }

    private ScimFilter unary() {
        if (next("not")) {
            expect("(", "'not' must be followed by a filter in parentheses.");
            return new Not(grouped());
        }
        if (next("(")) {
            return grouped();
        }
        return attributeExpression();
    }

    /** The filter after an opening parenthesis, to its closing one. */
    private ScimFilter grouped() {
        if (++depth > MAX_DEPTH) {
            throw ScimException.invalidFilter("The filter nests deeper than " + MAX_DEPTH + " levels.");
        }
        ScimFilter inner = or();
        expect(")", "A parenthesis is not closed.");
        depth--;
        return inner;
    }

    private ScimFilter attributeExpression() {
        if (++terms > MAX_TERMS) {
            throw ScimException.invalidFilter("The filter has more than " + MAX_TERMS + " comparisons.");
        }
        String attribute = attribute(take("an attribute"));
        Token operator = take("an operator");
        if (operator.is("pr")) {
            return new Present(attribute);
        }
        Operator comparison = operator(operator);
        return new Comparison(attribute, comparison, value(take("a value")));
    }

    private static String attribute(Token token) {
        String name = token.text().toLowerCase(Locale.ROOT);
        if (!token.quoted() && name.contains("[")) {
            throw ScimException.invalidFilter("Value paths such as emails[type eq \"work\"] are not supported in filters.");
        }
        if (name.startsWith(CORE_USER_URN)) {
            name = name.substring(CORE_USER_URN.length());
        }
        boolean valid = name.startsWith("urn:") ? URN_ATTRIBUTE.matcher(name).matches() : ATTRIBUTE.matcher(name).matches();
        if (token.quoted() || !valid || KEYWORDS.contains(name)) {
            throw ScimException.invalidFilter("'" + token.text() + "' is not an attribute path.");
        }
        return name;
    }

    private static Operator operator(Token token) {
        if (!token.quoted()) {
            for (Operator operator : Operator.values()) {
                if (token.is(operator.name())) {
                    return operator;
                }
            }
        }
        throw ScimException.invalidFilter("'" + token.text() + "' is not a comparison operator.");
    }

    private static Object value(Token token) {
        if (token.quoted()) {
            return token.text();
        }
        if (token.is("true") || token.is("false")) {
            return Boolean.valueOf(token.text().toLowerCase(Locale.ROOT));
        }
        if (token.is("null")) {
            return null;
        }
        if (NUMBER.matcher(token.text()).matches()) {
            return new BigDecimal(token.text());
        }
        throw ScimException.invalidFilter("'" + token.text() + "' is not a value: strings are in double quotes.");
    }

    private boolean next(String word) {
        if (position < tokens.size() && tokens.get(position).is(word)) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(String word, String otherwise) {
        if (!next(word)) {
            throw ScimException.invalidFilter(otherwise);
        }
    }

    private Token take(String what) {
        if (position >= tokens.size() || tokens.get(position).is("(") || tokens.get(position).is(")")) {
            throw ScimException.invalidFilter("The filter ends where " + what + " was expected.");
        }
        return tokens.get(position++);
    }

    // ---- tokens ---------------------------------------------------------------------------------------------

    private static List<Token> tokens(String filter) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < filter.length()) {
            char c = filter.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(new Token(String.valueOf(c), false));
                i++;
            } else if (c == '"') {
                StringBuilder text = new StringBuilder();
                i = string(filter, i + 1, text);
                tokens.add(new Token(text.toString(), true));
            } else {
                int start = i;
                while (i < filter.length() && " ()\"".indexOf(filter.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(new Token(filter.substring(start, i), false));
            }
        }
        return tokens;
    }

    /** Reads a JSON string's characters from {@code i} (after the opening quote) into {@code text}; answers the index after the closing quote. */
    private static int string(String filter, int i, StringBuilder text) {
        while (i < filter.length()) {
            char c = filter.charAt(i++);
            if (c == '"') {
                return i;
            }
            if (c != '\\') {
                text.append(c);
                continue;
            }
            if (i >= filter.length()) {
                break;
            }
            char escaped = filter.charAt(i++);
            switch (escaped) {
                case '"', '\\', '/' -> text.append(escaped);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    if (i + 4 > filter.length() || !filter.substring(i, i + 4).matches("[0-9a-fA-F]{4}")) {
                        throw ScimException.invalidFilter("A \\u escape needs four hexadecimal digits.");
                    }
                    text.append((char) Integer.parseInt(filter.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw ScimException.invalidFilter("'\\" + escaped + "' is not an escape of a JSON string.");
            }
        }
        throw ScimException.invalidFilter("A string is not closed.");
    }
}
