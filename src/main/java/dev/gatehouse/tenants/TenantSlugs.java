package dev.gatehouse.tenants;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Locale;

/** Makes the URL-safe, unique slug a tenant is named by at login ("Acme GmbH" becomes "acme-gmbh"). */
@ApplicationScoped
public class TenantSlugs {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_BASE_LENGTH = 60;

    @Inject
    EntityManager em;

    /** The slug of the name, with a random suffix when a tenant has it already. */
    public String uniqueSlugFor(String tenantName) {
        String base = slugOf(tenantName);
        String slug = base;
        while (taken(slug)) {
            slug = base + "-" + Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36), 36);
        }
        return slug;
    }

    static String slugOf(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > MAX_BASE_LENGTH) {
            slug = slug.substring(0, MAX_BASE_LENGTH).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "tenant" : slug;
    }

    private boolean taken(String slug) {
        return !em.createQuery("select 1 from Tenant t where t.slug = :slug", Integer.class)
                .setParameter("slug", slug).setMaxResults(1).getResultList().isEmpty();
    }
}
