package dev.gatehouse.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void newIdsAreVersion7AndTimeOrdered() throws InterruptedException {
        UUID first = Ids.newId();
        Thread.sleep(2);
        UUID second = Ids.newId();
        assertEquals(7, first.version());
        assertEquals(2, first.variant());
        assertTrue(first.toString().compareTo(second.toString()) < 0, first + " then " + second);
    }

    @Test
    void onlyCanonicalUuidsParse() {
        UUID id = UUID.randomUUID();
        assertEquals(id, Ids.parseOrNull(id.toString()));
        assertNull(Ids.parseOrNull("1-1-1-1-1"));
        assertNull(Ids.parseOrNull("not-a-uuid"));
        assertNull(Ids.parseOrNull(null));
    }
}
