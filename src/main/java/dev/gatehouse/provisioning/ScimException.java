package dev.gatehouse.provisioning;

import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A SCIM error (RFC 7644 §3.12): its status, its scimType (null where the RFC defines none for the status) and a
 * detail for people. Only the SCIM endpoints throw it, so only they answer in this format; the rest of the API
 * keeps answering problem+json.
 */
public class ScimException extends RuntimeException {

    static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

    private final int status;
    private final String scimType;

    ScimException(int status, String scimType, String detail) {
        super(detail);
        this.status = status;
        this.scimType = scimType;
    }

    static ScimException invalidFilter(String detail) {
        return new ScimException(400, "invalidFilter", detail);
    }

    static ScimException invalidValue(String detail) {
        return new ScimException(400, "invalidValue", detail);
    }

    static ScimException invalidSyntax(String detail) {
        return new ScimException(400, "invalidSyntax", detail);
    }

    static ScimException invalidPath(String detail) {
        return new ScimException(400, "invalidPath", detail);
    }

    static ScimException mutability(String detail) {
        return new ScimException(400, "mutability", detail);
    }

    static ScimException uniqueness(String detail) {
        return new ScimException(409, "uniqueness", detail);
    }

    static ScimException notFound(String what) {
        return new ScimException(404, null, what + " not found.");
    }

    int status() {
        return status;
    }

    String scimType() {
        return scimType;
    }

    /** The error's body: status as a string, as RFC 7644 §3.12 writes it. */
    static String body(int status, String scimType, String detail) {
        JsonObjectBuilder error = ScimJson.JSON.createObjectBuilder()
                .add("schemas", ScimJson.JSON.createArrayBuilder().add(ERROR_SCHEMA))
                .add("status", Integer.toString(status));
        if (scimType != null) {
            error.add("scimType", scimType);
        }
        return error.add("detail", detail).build().toString();
    }

    static Response response(int status, String scimType, String detail) {
        Response.ResponseBuilder answer = Response.status(status).type(ScimJson.MEDIA_TYPE)
                .entity(body(status, scimType, detail));
        if (status == 401) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return answer.build();
    }

    @Provider
    public static class Mapper implements ExceptionMapper<ScimException> {
        @Override
        public Response toResponse(ScimException e) {
            return response(e.status(), e.scimType(), e.getMessage());
        }
    }
}
