package dev.gatehouse.provisioning;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.Permissions;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.provisioning.ScimTokenRecords.IssuedScimToken;
import dev.gatehouse.provisioning.ScimTokenRecords.NewScimToken;
import dev.gatehouse.provisioning.ScimTokenRecords.ScimTokenResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The table scim_tokens: the bearer tokens a tenant's directory authenticates with at /scim/v2. A token is 256
 * random bits, kept as its SHA-256 (as service accounts' secrets are), shown once, and always expires.
 */
@ApplicationScoped
public class ScimTokens {

    static final int DEFAULT_DAYS = 365;

    @Inject
    EntityManager em;

    @Inject
    SecurityEvents securityEvents;

    /** A new token of the caller's tenant, remembering what the caller holds now (the directory's ceiling). */
    @Transactional
    public IssuedScimToken issue(CallerView caller, NewScimToken request, String scimBaseUrl) {
        String token = RandomTokens.newToken();
        UUID id = Ids.newId();
        Instant now = Timestamps.now();
        Instant expires = now.plus(Duration.ofDays(request.expiresInDays() == null ? DEFAULT_DAYS : request.expiresInDays()));
        String name = request.name().strip();
        em.createNativeQuery("""
                        insert into scim_tokens (id, tenant_id, name, token_hash, created_by, creator_superuser,
                                                 creator_permissions, created_at, expires_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)""")
                .setParameter(1, id).setParameter(2, caller.tenantId()).setParameter(3, name)
                .setParameter(4, RandomTokens.sha256(token)).setParameter(5, caller.id())
                .setParameter(6, caller.superuser())
                .setParameter(7, String.join(",", new TreeSet<>(caller.permissions())))
                .setParameter(8, now).setParameter(9, expires)
                .executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.SCIM_TOKEN_CREATED, caller.tenantId())
                .detail("directory", id.toString()).detail("name", name));
        return new IssuedScimToken(id, name, token, scimBaseUrl, now, expires);
    }

    public List<ScimTokenResponse> list(UUID tenantId) {
        List<Tuple> rows = em.createNativeQuery("""
                        select id, name, created_by, created_at, expires_at, revoked_at from scim_tokens
                        where tenant_id = ?1 order by created_at, id""", Tuple.class)
                .setParameter(1, tenantId).getResultList();
        return rows.stream().map(row -> new ScimTokenResponse(row.get("id", UUID.class), row.get("name", String.class),
                row.get("created_by", UUID.class), Timestamps.instant(row.get("created_at")),
                Timestamps.instant(row.get("expires_at")), Timestamps.instant(row.get("revoked_at")))).toList();
    }

    /** Revokes a live token of the caller's tenant: the directory's next request is refused. 404 when there is none. */
    @Transactional
    public void revoke(CallerView caller, String id) {
        UUID tokenId = Ids.parseOrNull(id);
        int revoked = tokenId == null ? 0 : em.createNativeQuery("""
                        update scim_tokens set revoked_at = now()
                        where id = ?1 and tenant_id = ?2 and revoked_at is null""")
                .setParameter(1, tokenId).setParameter(2, caller.tenantId()).executeUpdate();
        if (revoked == 0) {
            throw ProblemException.notFound("SCIM token");
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.SCIM_TOKEN_REVOKED, caller.tenantId())
                .detail("directory", tokenId.toString()));
    }

    /** The directory of a live token of an active tenant with this value: one statement. */
    Optional<ScimDirectory> directory(String token) {
        List<Tuple> rows = em.createNativeQuery("""
                        select s.id, s.tenant_id, s.creator_superuser, s.creator_permissions
                        from scim_tokens s join tenants t on t.id = s.tenant_id
                        where s.token_hash = ?1 and s.revoked_at is null and s.expires_at > now() and t.is_active""", Tuple.class)
                .setParameter(1, RandomTokens.sha256(token)).getResultList();
        return rows.stream().findFirst().map(row -> new ScimDirectory(row.get("id", UUID.class),
                row.get("tenant_id", UUID.class), row.get("creator_superuser", Boolean.class),
                Permissions.parse(row.get("creator_permissions", String.class))));
    }
}
