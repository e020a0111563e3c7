package dev.gatehouse.sso;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sso.DomainRecords.DomainResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The table tenant_domains: the email domains tenants claimed and proved. A domain is a tenant's once its TXT
 * record was found ({@link DomainProofs}); the partial unique index keeps it to one tenant, so of two tenants
 * proving one domain at once the second's commit fails and it is told the domain is taken.
 */
@ApplicationScoped
public class TenantDomains {

    /** Lower-case labels of letters, digits and inner hyphens, at least two of them: what an email domain is. */
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final String COLUMNS = """
            id, domain, proof, require_sso, created_at, verified_at, checked_at, lost_at""";

    @Inject
    EntityManager em;

    @Inject
    SecurityEvents securityEvents;

    /** A proved domain's tenant and whether the tenant requires SSO of it. */
    public record Owner(UUID tenantId, String domain, boolean requireSso) {
    }

    /** A domain as checked by the schedule. */
    record Proved(UUID id, UUID tenantId, String domain, String proof) {
    }

    public static String normalize(String domain) {
        String lower = domain.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    public List<DomainResponse> list(UUID tenantId) {
        List<Tuple> rows = em.createNativeQuery("select " + COLUMNS + " from tenant_domains where tenant_id = ?1 "
                        + "order by domain", Tuple.class).setParameter(1, tenantId).getResultList();
        return rows.stream().map(TenantDomains::response).toList();
    }

    public DomainResponse get(UUID tenantId, String id) {
        return response(row(tenantId, id));
    }

    /** A new claim: 422 for what is not a domain name, 409 when the tenant claimed it already. */
    @Transactional
    public DomainResponse claim(UUID tenantId, String requested) {
        String domain = normalize(requested);
        if (!DOMAIN.matcher(domain).matches()) {
            throw ProblemException.invalidField("domain", "must be a domain name such as example.com");
        }
        int inserted = em.createNativeQuery("""
                        insert into tenant_domains (id, tenant_id, domain, proof, created_at)
                        values (?1, ?2, ?3, ?4, ?5) on conflict (tenant_id, domain) do nothing""")
                .setParameter(1, Ids.newId()).setParameter(2, tenantId).setParameter(3, domain)
                .setParameter(4, RandomTokens.newToken()).setParameter(5, Timestamps.now()).executeUpdate();
        if (inserted == 0) {
            throw new ProblemException(ProblemType.CONFLICT, "The tenant has claimed " + domain + " already.");
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.DOMAIN_CLAIMED, tenantId).detail("domain", domain));
        return list(tenantId).stream().filter(d -> d.domain().equals(domain)).findFirst().orElseThrow();
    }

    /**
     * After a look at DNS ({@code found}): the domain becomes (or stays) the tenant's, or 409 domain-not-proved
     * saying which record to publish. 409 domain-taken while another tenant holds it.
     */
    @Transactional
    public DomainResponse recordLook(UUID tenantId, String id, boolean found) {
        Tuple row = row(tenantId, id);
        String domain = row.get("domain", String.class);
        if (!found) {
            throw new ProblemException(ProblemType.DOMAIN_NOT_PROVED, "No TXT record " + DomainProofs.recordName(domain)
                    + " with the value " + DomainProofs.recordValue(row.get("proof", String.class))
                    + " was found. Publish it, wait for DNS to serve it, and try again.");
        }
        boolean takenElsewhere = !em.createNativeQuery("""
                        select 1 from tenant_domains where domain = ?1 and verified_at is not null and tenant_id <> ?2""")
                .setParameter(1, domain).setParameter(2, tenantId).getResultList().isEmpty();
        if (takenElsewhere) {
            throw new ProblemException(ProblemType.DOMAIN_TAKEN, domain + " is proved by another tenant. "
                    + "It becomes free when that tenant removes it or its record is gone.");
        }
        int changed = em.createNativeQuery("""
                        update tenant_domains set verified_at = coalesce(verified_at, now()), checked_at = now(),
                               lost_at = null
                        where id = ?1""").setParameter(1, row.get("id", UUID.class)).executeUpdate();
        if (changed == 1 && row.get("verified_at") == null) {
            securityEvents.record(SecurityEvent.of(SecurityEventType.DOMAIN_VERIFIED, tenantId).detail("domain", domain));
        }
        em.flush(); // a concurrent proof by another tenant fails here, on the unique index
        return get(tenantId, id);
    }

    @Transactional
    public DomainResponse requireSso(UUID tenantId, String id, boolean required) {
        Tuple row = row(tenantId, id);
        if (required && row.get("verified_at") == null) {
            throw new ProblemException(ProblemType.DOMAIN_NOT_PROVED, "Prove the domain before requiring SSO of it.");
        }
        if (required && em.createNativeQuery("select 1 from sso_connections where tenant_id = ?1 and is_enabled")
                .setParameter(1, tenantId).setMaxResults(1).getResultList().isEmpty()) {
            throw new ProblemException(ProblemType.CONFLICT, "Connect an identity provider (and enable it) before"
                    + " requiring SSO: the domain's people would have no way in.");
        }
        em.createNativeQuery("update tenant_domains set require_sso = ?2 where id = ?1")
                .setParameter(1, row.get("id", UUID.class)).setParameter(2, required).executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.SSO_ENFORCEMENT_CHANGED, tenantId)
                .detail("domain", row.get("domain", String.class)).detail("require_sso", required));
        return get(tenantId, id);
    }

    @Transactional
    public void remove(UUID tenantId, String id) {
        Tuple row = row(tenantId, id);
        em.createNativeQuery("delete from tenant_domains where id = ?1").setParameter(1, row.get("id", UUID.class))
                .executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.DOMAIN_REMOVED, tenantId)
                .detail("domain", row.get("domain", String.class)));
    }

    /** The domain of an email address as domains are kept; "" for what has no '@' after its first character. */
    static String domainOfEmail(String email) {
        int at = email == null ? -1 : email.lastIndexOf('@');
        return at < 1 ? "" : normalize(email.substring(at + 1));
    }

    /** The tenant that proved the domain of this email address, if one did: one statement. */
    public Optional<Owner> ownerOfEmail(String email) {
        String domain = domainOfEmail(email);
        if (domain.isEmpty()) {
            return Optional.empty();
        }
        List<Tuple> rows = em.createNativeQuery("""
                        select tenant_id, domain, require_sso from tenant_domains
                        where domain = ?1 and verified_at is not null""", Tuple.class)
                .setParameter(1, domain).getResultList();
        return rows.stream().findFirst().map(r -> new Owner(r.get("tenant_id", UUID.class), r.get("domain", String.class),
                r.get("require_sso", Boolean.class)));
    }

    /** The proved domains the schedule looks at again, the least recently checked first. */
    List<Proved> dueForCheck(int limit) {
        List<Tuple> rows = em.createNativeQuery("""
                        select id, tenant_id, domain, proof from tenant_domains where verified_at is not null
                        order by checked_at nulls first limit ?1""", Tuple.class)
                .setParameter(1, limit).getResultList();
        return rows.stream().map(r -> new Proved(r.get("id", UUID.class), r.get("tenant_id", UUID.class),
                r.get("domain", String.class), r.get("proof", String.class))).toList();
    }

    /**
     * The schedule's finding. A record found again stamps checked_at; a record gone ends the proof (the domain's
     * accounts are no longer managed by the tenant, nor is SSO required of them) and is a security event.
     */
    @Transactional
    void recordRecheck(Proved domain, boolean found) {
        if (found) {
            em.createNativeQuery("update tenant_domains set checked_at = now() where id = ?1")
                    .setParameter(1, domain.id()).executeUpdate();
            return;
        }
        int lost = em.createNativeQuery("""
                        update tenant_domains set verified_at = null, require_sso = false, checked_at = now(), lost_at = now()
                        where id = ?1 and verified_at is not null""").setParameter(1, domain.id()).executeUpdate();
        if (lost == 1) {
            securityEvents.record(SecurityEvent.of(SecurityEventType.DOMAIN_VERIFICATION_LOST, domain.tenantId())
                    .detail("domain", domain.domain()));
        }
    }

    private Tuple row(UUID tenantId, String id) {
        UUID domainId = Ids.parseOrNull(id);
        List<Tuple> rows = domainId == null ? List.of() : em.createNativeQuery("select " + COLUMNS
                        + " from tenant_domains where id = ?1 and tenant_id = ?2", Tuple.class)
                .setParameter(1, domainId).setParameter(2, tenantId).getResultList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("Domain");
        }
        return rows.getFirst();
    }

    private static DomainResponse response(Tuple row) {
        String domain = row.get("domain", String.class);
        boolean verified = row.get("verified_at") != null;
        String status = verified ? "verified" : row.get("lost_at") != null ? "lost" : "pending";
        return new DomainResponse(row.get("id", UUID.class), domain, status, row.get("require_sso", Boolean.class),
                DomainProofs.recordName(domain), DomainProofs.recordValue(row.get("proof", String.class)),
                Timestamps.instant(row.get("created_at")), Timestamps.instant(row.get("verified_at")),
                Timestamps.instant(row.get("checked_at")), Timestamps.instant(row.get("lost_at")));
    }
}
