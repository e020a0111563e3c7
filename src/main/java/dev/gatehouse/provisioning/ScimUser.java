package dev.gatehouse.provisioning;

import dev.gatehouse.users.Emails;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A member as SCIM's core User (RFC 7643 §4.1) sees it: userName is the account's email (Gatehouse has one per
 * account, and emails holds that same address, type work, primary), displayName and name.formatted are the
 * account's full name, externalId, the name parts and the enterprise extension are what this tenant's directory
 * sent (scim_members), active is the membership's. Read from the database with id, created and lastModified; parsed from a request
 * without them.
 */
record ScimUser(UUID id, String userName, String externalId, String displayName, String givenName, String familyName,
                boolean active, ScimEnterpriseUser enterprise, Instant created, Instant lastModified) {

    static final String SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final int MAX_LENGTH = 255;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    /** The account's full name this user stands for: displayName, else the name parts, else the address. */
    String fullName() {
        if (displayName != null && !displayName.isBlank()) {
            return displayName.strip();
        }
        String joined = ((givenName == null ? "" : givenName.strip()) + " " + (familyName == null ? "" : familyName.strip())).strip();
        return joined.isEmpty() ? userName : joined;
    }

    /** A POST or PUT body. Core attributes Gatehouse does not keep (title, phoneNumbers, password, ...) are ignored. */
    static ScimUser fromJson(JsonObject body) {
        String userName = email(string(body, "userName"), "userName");
        if (userName == null) {
            throw ScimException.invalidValue("userName is required: the person's email address.");
        }
        JsonValue emails = body.get("emails");
        if (emails != null && emails.getValueType() != JsonValue.ValueType.NULL) {
            String email = primaryEmail(emails);
            if (email != null && !email.equals(userName)) {
                throw ScimException.invalidValue("A Gatehouse account has one email address: emails must hold the userName.");
            }
        }
        String givenName = null;
        String familyName = null;
        String formatted = null;
        if (body.get("name") instanceof JsonObject name) {
            givenName = string(name, "givenName");
            familyName = string(name, "familyName");
            formatted = string(name, "formatted");
        }
        String displayName = string(body, "displayName");
        JsonValue active = body.get("active");
        return new ScimUser(null, userName, string(body, "externalId"), displayName == null ? formatted : displayName,
                givenName, familyName, active == null || active.getValueType() == JsonValue.ValueType.NULL || bool(active, "active"),
                ScimEnterpriseUser.fromJson(body), null, null);
    }

    /** The user as SCIM shows it; usersLocation is /scim/v2/Users/ under the public base URL. */
    JsonObject toJson(String usersLocation) {
        JsonObjectBuilder name = ScimJson.JSON.createObjectBuilder().add("formatted", displayName);
        if (givenName != null) {
            name.add("givenName", givenName);
        }
        if (familyName != null) {
            name.add("familyName", familyName);
        }
        JsonArrayBuilder schemas = ScimJson.JSON.createArrayBuilder().add(SCHEMA);
        if (!enterprise.equals(ScimEnterpriseUser.NONE)) {
            schemas.add(ScimEnterpriseUser.SCHEMA);
        }
        JsonObjectBuilder user = ScimJson.JSON.createObjectBuilder().add("schemas", schemas).add("id", id.toString());
        if (externalId != null) {
            user.add("externalId", externalId);
        }
        JsonArrayBuilder emails = ScimJson.JSON.createArrayBuilder().add(ScimJson.JSON.createObjectBuilder()
                .add("value", userName).add("type", "work").add("primary", true));
        user.add("userName", userName).add("name", name).add("displayName", displayName).add("emails", emails).add("active", active);
        enterprise.addTo(user, usersLocation);
        return user.add("meta", ScimJson.JSON.createObjectBuilder().add("resourceType", "User")
                        .add("created", created.toString()).add("lastModified", lastModified.toString())
                        .add("location", usersLocation + id))
                .build();
    }

    // ---- values -------------------------------------------------------------------------------------------

    /** A string attribute, null when absent or null; 400 invalidValue when it is something else or too long. */
    static String string(JsonObject object, String attribute) {
        return string(object.get(attribute), attribute);
    }

    static String string(JsonValue value, String attribute) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof JsonString string)) {
            throw ScimException.invalidValue(attribute + " must be a string.");
        }
        if (string.getString().length() > MAX_LENGTH) {
            throw ScimException.invalidValue(attribute + " is longer than " + MAX_LENGTH + " characters.");
        }
        return string.getString();
    }

    /** A boolean, also as the strings "true" and "false" in any case (Entra ID sends "False"). */
    static boolean bool(JsonValue value, String attribute) {
        if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
            return value == JsonValue.TRUE;
        }
        if (value instanceof JsonString string) {
            String text = string.getString().strip().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return text.equals("true");
            }
        }
        throw ScimException.invalidValue(attribute + " must be true or false.");
    }

    /** A normalised email address, or null for null; 400 invalidValue when it is not one. */
    static String email(String value, String attribute) {
        if (value == null) {
            return null;
        }
        String email = Emails.normalize(value);
        if (!EMAIL.matcher(email).matches()) {
            throw ScimException.invalidValue(attribute + " must be an email address: it is the account's email.");
        }
        return email;
    }

    /** The address of an emails array: the primary one, else the first of type work, else the first. */
    static String primaryEmail(JsonValue emails) {
        if (!(emails instanceof JsonArray array)) {
            throw ScimException.invalidValue("emails must be an array.");
        }
        JsonObject work = null;
        JsonObject first = null;
        for (JsonValue value : array) {
            if (!(value instanceof JsonObject email)) {
                throw ScimException.invalidValue("emails must hold objects with a value.");
            }
            JsonValue primary = email.get("primary");
            if (primary != null && primary != JsonValue.NULL && bool(primary, "primary")) {
                return email(string(email, "value"), "emails.value");
            }
            work = work == null && "work".equalsIgnoreCase(string(email, "type")) ? email : work;
            first = first == null ? email : first;
        }
        JsonObject chosen = work != null ? work : first;
        return chosen == null ? null : email(string(chosen, "value"), "emails.value");
    }

    ScimUser withId(UUID id) {
        return new ScimUser(id, userName, externalId, displayName, givenName, familyName, active, enterprise, created, lastModified);
    }

    ScimUser with(String userName, String externalId, String displayName, String givenName, String familyName, boolean active,
                  ScimEnterpriseUser enterprise) {
        return new ScimUser(id, userName, externalId, displayName, givenName, familyName, active, enterprise, created, lastModified);
    }
}
