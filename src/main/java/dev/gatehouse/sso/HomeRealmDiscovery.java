package dev.gatehouse.sso;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How an address signs in, from its domain alone: the enabled connections of the tenant that proved the domain,
 * and whether a password is still possible there. Accounts are never looked at, so the answer and its cost (one
 * statement) are the same for an address that has an account and one that has none: no account oracle. Domains
 * are public (their TXT records say whose they are), so naming the tenant tells nothing DNS does not.
 * <p>
 * A person with memberships in several tenants is never stuck: the SSO options are for the domain's tenant,
 * and the password stays offered unless that tenant requires SSO, in which case the password sign-in still opens
 * the person's other tenants (and the break-glass admins').
 */
@ApplicationScoped
public class HomeRealmDiscovery {

    @Inject
    EntityManager em;

    @Inject
    @ConfigProperty(name = "gatehouse.public-base-url")
    String publicBaseUrl;

    /** One way in through a tenant's IdP; {@code ssoUrl} is the hosted page's start, given its request. */
    public record SsoOption(UUID connectionId, String connectionName, String tenantSlug, String tenantName, String ssoUrl) {
    }

    /** {@code method}: "sso" when the domain's tenant has a connection, else "password". */
    public record Answer(String method, List<SsoOption> sso, boolean passwordAllowed) {
    }

    public Answer discover(String email) {
        String domain = TenantDomains.domainOfEmail(email);
        List<Tuple> rows = em.createNativeQuery("""
                        select c.id, c.name, t.slug, t.name as tenant_name, d.require_sso
                        from tenant_domains d join tenants t on t.id = d.tenant_id and t.is_active
                        left join sso_connections c on c.tenant_id = d.tenant_id and c.is_enabled
                        where d.domain = ?1 and d.verified_at is not null
                        order by c.created_at, c.id""", Tuple.class)
                .setParameter(1, domain).getResultList();
        List<SsoOption> options = rows.stream().filter(r -> r.get("id") != null)
                .map(r -> new SsoOption(r.get("id", UUID.class), r.get("name", String.class), r.get("slug", String.class),
                        r.get("tenant_name", String.class),
                        SsoUrls.base(publicBaseUrl, r.get("id", UUID.class))))
                .toList();
        boolean required = rows.stream().anyMatch(r -> Boolean.TRUE.equals(r.get("require_sso", Boolean.class)));
        return new Answer(options.isEmpty() ? "password" : "sso", options, options.isEmpty() || !required);
    }
}
