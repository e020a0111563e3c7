package dev.gatehouse.provisioning;

import jakarta.json.spi.JsonProvider;

/** SCIM's JSON: its media type, the ListResponse schema, and the JSON-P provider looked up once (every Json.create...() looks it up again). */
final class ScimJson {

    static final String MEDIA_TYPE = "application/scim+json";
    static final JsonProvider JSON = JsonProvider.provider();
    static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    private ScimJson() {
    }
}
