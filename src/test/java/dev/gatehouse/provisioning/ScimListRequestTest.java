package dev.gatehouse.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** A SearchRequest body (RFC 7644 §3.4.3) means what the same GET query means. */
class ScimListRequestTest {

    private static ScimListRequest search(String body) {
        return ScimListRequest.of(ScimJson.JSON.createReader(new StringReader(body)).readObject());
    }

    @Test
    void theRfcsSearchRequest() {
        ScimListRequest request = search("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                 "attributes":["displayName","userName"],"excludedAttributes":[],
                 "filter":"displayName sw \\"smith\\"","startIndex":1,"count":10,"sortBy":"userName","sortOrder":"descending"}""");
        assertEquals(ScimFilterParser.parse("displayName sw \"smith\""), request.filter());
        assertEquals(1, request.startIndex());
        assertEquals(10, request.count());
        assertEquals("userName", request.sortBy());
        assertTrue(request.descending());
        assertTrue(request.attributes().returns("userName"));
        assertEquals(false, request.attributes().returns("emails"));
    }

    @Test
    void boundsAndBadValuesAsForTheQuery() {
        ScimListRequest request = search("{\"startIndex\":\"0\",\"count\":100000}");
        assertEquals(1, request.startIndex());
        assertEquals(ScimListRequest.MAX_COUNT, request.count());
        assertEquals(null, request.filter());
        assertEquals("invalidValue", assertThrows(ScimException.class, () -> search("{\"count\":\"many\"}")).scimType());
        assertEquals("invalidValue", assertThrows(ScimException.class, () -> search("{\"sortOrder\":\"sideways\"}")).scimType());
        assertEquals("invalidValue", assertThrows(ScimException.class, () -> search("{\"filter\":{}}")).scimType());
        assertEquals("invalidFilter", assertThrows(ScimException.class, () -> search("{\"filter\":\"userName eq\"}")).scimType());
    }
}
