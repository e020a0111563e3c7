package dev.gatehouse.provisioning;

import jakarta.json.spi.JsonProvider;

/** SCIM's JSON: its media type, and the JSON-P provider looked up once (every Json.create...() looks it up again). */
final class ScimJson {

    static final String MEDIA_TYPE = "application/scim+json";
    static final JsonProvider JSON = JsonProvider.provider();

    private ScimJson() {
    }
}
