package dev.gatehouse.provisioning;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.util.List;

/**
 * SCIM's JSON: its media type, the ListResponse schema, and the JSON-P provider looked up once (every
 * Json.create...() looks it up again); the request body read as an object, and the answers every SCIM resource gives.
 */
final class ScimJson {

    static final String MEDIA_TYPE = "application/scim+json";
    static final JsonProvider JSON = JsonProvider.provider();
    static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    private ScimJson() {
    }

    /** The request's body, a JSON object, or 400 invalidSyntax. */
    static JsonObject object(String body) {
        if (body == null || body.isBlank()) {
            throw ScimException.invalidSyntax("The request needs a JSON body.");
        }
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw ScimException.invalidSyntax("The body is not a JSON object.");
        }
    }

    /** A ListResponse (RFC 7644 §3.4.2) of one page of {@code total} resources, from {@code startIndex}. */
    static JsonObject listResponse(List<JsonObject> resources, long total, int startIndex) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        resources.forEach(array::add);
        return JSON.createObjectBuilder().add("schemas", JSON.createArrayBuilder().add(LIST_RESPONSE))
                .add("totalResults", total).add("startIndex", startIndex).add("itemsPerPage", resources.size())
                .add("Resources", array).build();
    }

    static Response ok(JsonObject body) {
        return Response.ok(body.toString(), MEDIA_TYPE).build();
    }
}
