package dev.gatehouse.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The API description lists exactly the event types the server writes, so generated clients know them all. */
class SecurityEventTypeTest {

    @Test
    void theApiDescriptionListsEveryType() throws IOException {
        String document;
        try (InputStream in = SecurityEventTypeTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher schema = Pattern.compile("\\n    SecurityEventType:\\n      type: string\\n      enum: \\[([^]]*)]").matcher(document);
        assertEquals(true, schema.find(), "openapi.yaml has the SecurityEventType schema with an enum");
        List<String> described = Arrays.stream(schema.group(1).split(",")).map(String::strip).sorted().toList();
        List<String> written = Arrays.stream(SecurityEventType.values()).map(SecurityEventType::wireName).sorted().toList();
        assertEquals(written, described);
    }

    @Test
    void everyWireNameLeadsBackToItsType() {
        for (SecurityEventType type : SecurityEventType.values()) {
            assertEquals(type, SecurityEventType.ofWireName(type.wireName()));
        }
        assertEquals(null, SecurityEventType.ofWireName("no.such.type"));
    }
}
