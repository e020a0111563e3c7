package dev.gatehouse.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TenantSlugsTest {

    @Test
    void slugIsLowerCaseAsciiWithDashes() {
        assertEquals("acme-gmbh", TenantSlugs.slugOf("Acme GmbH"));
        assertEquals("cafe-creme-co", TenantSlugs.slugOf("  Café Crème & Co.  "));
        assertEquals("tenant", TenantSlugs.slugOf("日本"));
    }

    @Test
    void longNamesAreCut() {
        String slug = TenantSlugs.slugOf("a".repeat(59) + " bbbbbbbbbbbb");
        assertTrue(slug.length() <= 60, slug);
        assertTrue(!slug.endsWith("-"), slug);
    }
}
