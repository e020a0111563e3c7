package dev.gatehouse.serviceaccounts;

import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.CredentialResponse;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.IssuedSecret;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * The tables service_account_credentials and client_assertion_ids: a service account's client secrets (kept
 * as SHA-256: each is 256 random bits, which no guessing reaches, so a slow hash would buy nothing) and
 * registered public keys, and the ids of the assertions already used. Callers run inside a transaction.
 */
@ApplicationScoped
public class ServiceAccountCredentials {

    /** A live credential of a usable or unusable account, with what a token for it needs. */
    public record Client(UUID serviceAccountId, UUID tenantId, UUID credentialId, boolean usable, List<String> roles,
                         String publicJwk) {
    }

    @Inject
    EntityManager em;

    IssuedSecret issueSecret(UUID serviceAccountId, Integer expiresInDays) {
        String secret = RandomTokens.newToken();
        UUID id = Ids.newId();
        Instant now = Timestamps.now();
        Instant expires = expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays));
        em.createNativeQuery("""
                        insert into service_account_credentials (id, service_account_id, kind, secret_hash, created_at, expires_at)
                        values (?1, ?2, 'secret', ?3, ?4, ?5)""")
                .setParameter(1, id).setParameter(2, serviceAccountId).setParameter(3, RandomTokens.sha256(secret))
                .setParameter(4, now).setParameter(5, new TypedParameterValue<>(StandardBasicTypes.INSTANT, expires))
                .executeUpdate();
        return new IssuedSecret(id, serviceAccountId.toString(), secret, now, expires);
    }

    CredentialResponse addPublicKey(UUID serviceAccountId, String publicJwk, String keyId, Integer expiresInDays) {
        UUID id = Ids.newId();
        Instant now = Timestamps.now();
        Instant expires = expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays));
        em.createNativeQuery("""
                        insert into service_account_credentials (id, service_account_id, kind, public_jwk, key_id, created_at, expires_at)
                        values (?1, ?2, 'public_key', ?3, ?4, ?5, ?6)""")
                .setParameter(1, id).setParameter(2, serviceAccountId).setParameter(3, publicJwk)
                .setParameter(4, new TypedParameterValue<>(StandardBasicTypes.STRING, keyId))
                .setParameter(5, now).setParameter(6, new TypedParameterValue<>(StandardBasicTypes.INSTANT, expires))
                .executeUpdate();
        return new CredentialResponse(id, "public_key", keyId, now, expires, null);
    }

    List<CredentialResponse> of(UUID serviceAccountId) {
        List<Tuple> rows = em.createNativeQuery("""
                        select id, kind, key_id, created_at, expires_at, revoked_at from service_account_credentials
                        where service_account_id = ?1 order by created_at, id""", Tuple.class)
                .setParameter(1, serviceAccountId).getResultList();
        return rows.stream().map(row -> new CredentialResponse(row.get("id", UUID.class), row.get("kind", String.class),
                row.get("key_id", String.class), Timestamps.instant(row.get("created_at")),
                Timestamps.instant(row.get("expires_at")), Timestamps.instant(row.get("revoked_at")))).toList();
    }

    /** Revokes a live credential of the account; false when it has none of this id. */
    boolean revoke(UUID serviceAccountId, UUID credentialId) {
        return em.createNativeQuery("""
                        update service_account_credentials set revoked_at = now()
                        where id = ?1 and service_account_id = ?2 and revoked_at is null""")
                .setParameter(1, credentialId).setParameter(2, serviceAccountId).executeUpdate() == 1;
    }

    /** The live secret of this client with this value, and its account's state: one statement. */
    public Optional<Client> bySecret(UUID clientId, String secret) {
        return clients(clientId, "secret", RandomTokens.sha256(secret)).stream().findFirst();
    }

    /** The client's live public keys, each with its account's state: one statement. */
    public List<Client> publicKeys(UUID clientId) {
        return clients(clientId, "public_key", new byte[0]);
    }

    /** Live credentials of the kind; a secret's must also have this hash. */
    private List<Client> clients(UUID clientId, String kind, byte[] secretHash) {
        List<Tuple> rows = em.createNativeQuery("""
                        select c.id as credential_id, s.id as service_account_id, s.tenant_id, c.public_jwk,
                               s.is_active and t.is_active as usable,
                               (select string_agg(r.name, ',' order by r.name) from service_account_roles sr
                                join roles r on r.id = sr.role_id where sr.service_account_id = s.id) as roles
                        from service_account_credentials c
                        join service_accounts s on s.id = c.service_account_id
                        join tenants t on t.id = s.tenant_id
                        where s.id = ?1 and c.kind = ?3 and (?3 = 'public_key' or c.secret_hash = ?2)
                          and c.revoked_at is null and (c.expires_at is null or c.expires_at > now())""", Tuple.class)
                .setParameter(1, clientId).setParameter(2, secretHash).setParameter(3, kind).getResultList();
        return rows.stream().map(row -> new Client(row.get("service_account_id", UUID.class),
                row.get("tenant_id", UUID.class), row.get("credential_id", UUID.class), row.get("usable", Boolean.class),
                names(row.get("roles", String.class)), row.get("public_jwk", String.class))).toList();
    }

    private static List<String> names(String commaSeparated) {
        return commaSeparated == null ? List.of() : Arrays.asList(commaSeparated.split(","));
    }

    /** Records an assertion's id until it expires; false when the account used it before (a replay). */
    public boolean firstUseOf(UUID serviceAccountId, String jti, Instant expiresAt) {
        return em.createNativeQuery("""
                        insert into client_assertion_ids (service_account_id, jti, expires_at) values (?1, ?2, ?3)
                        on conflict do nothing""")
                .setParameter(1, serviceAccountId).setParameter(2, jti).setParameter(3, expiresAt)
                .executeUpdate() == 1;
    }

    void purges(@Observes Housekeeping.Purges purges, ServiceAccountCredentials credentials) {
        purges.retention("expired client assertion id(s)", credentials::purgeExpiredAssertionIds);
    }

    /** Deletes up to {@code batch} assertion ids past their expiry; instances that run this at once skip each other's rows. */
    @Transactional
    public int purgeExpiredAssertionIds(int batch) {
        return em.createNativeQuery("""
                        delete from client_assertion_ids where (service_account_id, jti) in (
                            select service_account_id, jti from client_assertion_ids where expires_at < now()
                            limit ?1 for update skip locked)""")
                .setParameter(1, batch)
                .executeUpdate();
    }
}
