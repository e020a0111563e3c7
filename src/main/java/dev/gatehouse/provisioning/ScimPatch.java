package dev.gatehouse.provisioning;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A PATCH (RFC 7644 §3.5.2) applied to a user: add, replace and remove, with a path or (add and replace) an
 * object of attributes, in the shapes directories send: Entra ID's {@code "op":"Replace","path":"active",
 * "value":"False"} and {@code emails[type eq "work"].value}, Okta's {@code "op":"replace","value":{"active":false}}.
 * userName and the work (or primary) email are one address: a PATCH that sets them apart is 400. The enterprise
 * extension takes Entra ID's {@code urn:...:enterprise:2.0:User:department} and {@code ...:manager} paths and
 * Okta's object under the schema's URN. Core attributes Gatehouse does not keep are accepted and not stored.
 */
final class ScimPatch {

    static final int MAX_OPERATIONS = 100;

    private static final String CORE_PREFIX = ScimUser.SCHEMA.toLowerCase(Locale.ROOT) + ":";
    private static final String ENTERPRISE = ScimEnterpriseUser.LOWER_SCHEMA;
    /** The value paths of the one email: Entra ID's work email, or the primary one. */
    private static final Pattern EMAIL_VALUE = Pattern.compile("emails\\[\\s*(type\\s+eq\\s+\"work\"|primary\\s+eq\\s+true)\\s*]\\.value");
    /** Core User attributes (RFC 7643 §4.1) Gatehouse does not keep: accepted, and not stored. */
    private static final Set<String> NOT_KEPT = Set.of("nickname", "profileurl", "title", "usertype", "preferredlanguage",
            "locale", "timezone", "phonenumbers", "ims", "photos", "addresses", "entitlements", "roles",
            "x509certificates", "password");

    private String userName;
    private String email;
    private String externalId;
    private String displayName;
    private String givenName;
    private String familyName;
    private boolean active;
    private ScimEnterpriseUser enterprise;
    /** Whether the operation being applied is an add (to emails, it adds an address rather than replacing it). */
    private boolean adding;
    private boolean nameTouched;
    private boolean displayNameTouched;

    private ScimPatch(ScimUser current) {
        this.userName = current.userName();
        this.externalId = current.externalId();
        this.displayName = current.displayName();
        this.givenName = current.givenName();
        this.familyName = current.familyName();
        this.active = current.active();
        this.enterprise = current.enterprise();
    }

    static ScimUser apply(ScimUser current, JsonObject body) {
        JsonValue operations = body.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Operations"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (!(operations instanceof JsonArray list) || list.isEmpty()) {
            throw ScimException.invalidSyntax("A PATCH needs Operations: an array of add, replace and remove.");
        }
        if (list.size() > MAX_OPERATIONS) {
            throw ScimException.invalidValue("A PATCH holds at most " + MAX_OPERATIONS + " operations.");
        }
        ScimPatch patch = new ScimPatch(current);
        for (JsonValue operation : list) {
            if (!(operation instanceof JsonObject op)) {
                throw ScimException.invalidSyntax("Each operation is an object with op, path and value.");
            }
            patch.operation(op);
        }
        return patch.result(current);
    }

    private void operation(JsonObject op) {
        String name = ScimUser.string(op, "op");
        String kind = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!Set.of("add", "replace", "remove").contains(kind)) {
            throw ScimException.invalidSyntax("op must be add, replace or remove.");
        }
        String path = ScimUser.string(op, "path");
        JsonValue value = op.get("value");
        adding = kind.equals("add");
        if (path == null) {
            if (kind.equals("remove")) {
                throw new ScimException(400, "noTarget", "remove needs a path.");
            }
            if (!(value instanceof JsonObject attributes)) {
                throw ScimException.invalidValue("Without a path, value is an object of attributes.");
            }
            attributes.forEach(this::set);
        } else if (kind.equals("remove")) {
            remove(path);
        } else {
            if (value == null) {
                throw ScimException.invalidValue(kind + " needs a value.");
            }
            set(path, value);
        }
    }

    private static String normalized(String path) {
        String lower = path.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith(CORE_PREFIX) ? lower.substring(CORE_PREFIX.length()) : lower;
    }

    private void set(String path, JsonValue value) {
        String attribute = normalized(path);
        if (attribute.startsWith(ENTERPRISE)) {
            String sub = enterpriseAttribute(attribute);
            enterprise = sub == null ? enterprise.withAll(value) : enterprise.with(sub, value);
            return;
        }
        switch (attribute) {
            case "username" -> userName = required(ScimUser.email(ScimUser.string(value, "userName"), "userName"), "userName");
            case "externalid" -> externalId = ScimUser.string(value, "externalId");
            case "displayname", "name.formatted" -> {
                displayName = ScimUser.string(value, attribute);
                displayNameTouched = true;
            }
            case "active" -> active = ScimUser.bool(value, "active");
            case "name.givenname" -> {
                givenName = ScimUser.string(value, "name.givenName");
                nameTouched = true;
            }
            case "name.familyname" -> {
                familyName = ScimUser.string(value, "name.familyName");
                nameTouched = true;
            }
            case "name" -> {
                if (!(value instanceof JsonObject name)) {
                    throw ScimException.invalidValue("name must be an object.");
                }
                name.forEach((sub, subValue) -> set("name." + sub, subValue));
            }
            case "emails" -> {
                if (!adding || holdsAWorkOrPrimaryEmail(value)) {
                    email = required(ScimUser.primaryEmail(value), "emails");
                } // RFC 7644 §3.5.2.1's add of a home address: one address per account, so it is not kept
            }
            default -> {
                if (EMAIL_VALUE.matcher(attribute).matches() || attribute.equals("emails.value")) {
                    email = required(ScimUser.email(ScimUser.string(value, "emails.value"), "emails.value"), "emails.value");
                } else {
                    notKept(attribute);
                }
            }
        }
    }

    private void remove(String path) {
        String attribute = normalized(path);
        if (attribute.startsWith(ENTERPRISE)) {
            String sub = enterpriseAttribute(attribute);
            enterprise = sub == null ? ScimEnterpriseUser.NONE : enterprise.with(sub, null);
            return;
        }
        switch (attribute) {
            case "externalid" -> externalId = null;
            case "name.givenname" -> {
                givenName = null;
                nameTouched = true;
            }
            case "name.familyname" -> {
                familyName = null;
                nameTouched = true;
            }
            case "username", "emails", "active", "displayname", "name", "name.formatted" -> throw ScimException.mutability(
                    path + " cannot be removed: an account keeps its email and name, a membership its active flag.");
            default -> {
                if (attribute.startsWith("emails[") || attribute.equals("emails.value")) {
                    throw ScimException.mutability("The email cannot be removed: it is the account's userName.");
                }
                notKept(attribute);
            }
        }
    }

    /** The attribute of the enterprise extension a path names after the schema's URN; null for the whole extension. */
    private static String enterpriseAttribute(String attribute) {
        String rest = attribute.substring(ENTERPRISE.length());
        if (rest.isEmpty()) {
            return null;
        }
        if (!rest.startsWith(":")) {
            throw ScimException.invalidPath("Users have no attribute " + attribute + ".");
        }
        return rest.substring(1);
    }

    /** An attribute this service provider does not keep: accepted when RFC 7643 defines it, else 400 invalidPath. */
    private static void notKept(String attribute) {
        String root = attribute.split("[.\\[]", 2)[0];
        if (!NOT_KEPT.contains(root)) {
            if (root.equals("groups") || root.equals("id") || root.equals("meta")) {
                throw ScimException.mutability(root + " is read-only.");
            }
            throw ScimException.invalidPath("Users have no attribute " + attribute + ".");
        }
    }

    private static boolean holdsAWorkOrPrimaryEmail(JsonValue emails) {
        if (!(emails instanceof JsonArray array)) {
            throw ScimException.invalidValue("emails must be an array.");
        }
        return array.stream().anyMatch(email -> email instanceof JsonObject object
                && ("work".equalsIgnoreCase(ScimUser.string(object, "type"))
                || object.get("primary") != null && object.get("primary") != JsonValue.NULL && ScimUser.bool(object.get("primary"), "primary")));
    }

    private static String required(String value, String attribute) {
        if (value == null) {
            throw ScimException.mutability(attribute + " cannot be null: it is the account's email.");
        }
        return value;
    }

    private ScimUser result(ScimUser current) {
        String address = userName;
        if (email != null && !email.equals(current.userName())) {
            if (!userName.equals(current.userName()) && !userName.equals(email)) {
                throw ScimException.invalidValue("A Gatehouse account has one email address: userName and emails must agree.");
            }
            address = email;
        }
        String name = displayName;
        if (nameTouched && !displayNameTouched) {
            String joined = ((givenName == null ? "" : givenName) + " " + (familyName == null ? "" : familyName)).strip();
            name = joined.isEmpty() ? displayName : joined;
        }
        return current.with(address, externalId, name, givenName, familyName, active, enterprise);
    }
}
