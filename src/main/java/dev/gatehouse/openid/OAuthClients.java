package dev.gatehouse.openid;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.openid.OAuthClientRecords.ClientResponse;
import dev.gatehouse.openid.OAuthClientRecords.ClientUpdate;
import dev.gatehouse.openid.OAuthClientRecords.ClientWithSecret;
import dev.gatehouse.openid.OAuthClientRecords.NewClient;
import dev.gatehouse.platform.Housekeeping;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sessions.RefreshTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * The table oauth_clients: the applications that sign people in through Gatehouse (docs/openid-provider.md).
 * A confidential client's secret is kept as SHA-256 (256 random bits: no guessing reaches it, so a slow hash
 * would buy nothing), and a rotation keeps the previous one for an overlap the admin chooses.
 */
@ApplicationScoped
public class OAuthClients {

    static final String AUTHORIZATION_CODE = "authorization_code";
    static final String REFRESH_TOKEN = "refresh_token";
    /** Arrays travel as one string joined by a newline, which no valid URI holds. */
    private static final String SEPARATOR = "\n";

    /** A registered client as the flows need it. */
    record Client(UUID id, String name, boolean confidential, List<String> redirectUris, List<String> postLogoutRedirectUris,
                  Set<String> grantTypes, List<JWK> keys, boolean active) {

        boolean allows(String grantType) {
            return grantTypes.contains(grantType);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    RefreshTokens refreshTokens;

    @Transactional
    public ClientWithSecret register(CallerView admin, NewClient request) {
        boolean confidential = request.kind().equals("confidential");
        List<String> redirectUris = ClientRegistrationRules.redirectUris("redirect_uris", request.redirectUris());
        List<String> logoutUris = ClientRegistrationRules.redirectUris("post_logout_redirect_uris", ClientRegistrationRules.orEmpty(request.postLogoutRedirectUris()));
        List<String> grantTypes = ClientRegistrationRules.grantTypes(request.grantTypes());
        String jwks = ClientRegistrationRules.jwks(confidential, request.jwks());
        String backchannelUri = ClientRegistrationRules.backchannelLogoutUri(request.backchannelLogoutUri());
        String secret = confidential ? RandomTokens.newToken() : null;
        UUID id = Ids.newId();
        Instant now = Timestamps.now();
        em.createNativeQuery("""
                        insert into oauth_clients (id, name, kind, redirect_uris, post_logout_redirect_uris, grant_types,
                                                   secret_hash, jwks, created_at, updated_at, backchannel_logout_uri)
                        values (?1, ?2, ?3, string_to_array(?4, E'\\n'), string_to_array(?5, E'\\n'),
                                string_to_array(?6, E'\\n'), ?7, ?9, ?8, ?8, ?10)""")
                .setParameter(1, id).setParameter(2, request.name().strip()).setParameter(3, request.kind())
                .setParameter(4, String.join(SEPARATOR, redirectUris)).setParameter(5, String.join(SEPARATOR, logoutUris))
                .setParameter(6, String.join(SEPARATOR, grantTypes))
                .setParameter(7, new TypedParameterValue<>(StandardBasicTypes.BINARY, secret == null ? null : RandomTokens.sha256(secret)))
                .setParameter(8, now)
                .setParameter(9, new TypedParameterValue<>(StandardBasicTypes.STRING, jwks))
                .setParameter(10, new TypedParameterValue<>(StandardBasicTypes.STRING, backchannelUri))
                .executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.OAUTH_CLIENT_REGISTERED, admin.tenantId())
                .detail("client_id", id.toString()).detail("kind", request.kind()));
        return new ClientWithSecret(get(id), secret);
    }

    @Transactional
    public ClientResponse update(CallerView admin, String clientId, ClientUpdate update) {
        UUID id = existing(clientId);
        boolean confidential = !em.createNativeQuery("select 1 from oauth_clients where id = ?1 and kind = 'confidential'")
                .setParameter(1, id).getResultList().isEmpty();
        String jwks = ClientRegistrationRules.jwks(confidential, update.jwks());
        List<String> redirectUris = ClientRegistrationRules.redirectUris("redirect_uris", update.redirectUris());
        List<String> logoutUris = ClientRegistrationRules.redirectUris("post_logout_redirect_uris", ClientRegistrationRules.orEmpty(update.postLogoutRedirectUris()));
        String backchannelUri = ClientRegistrationRules.backchannelLogoutUri(update.backchannelLogoutUri());
        em.createNativeQuery("""
                        update oauth_clients set name = ?2, redirect_uris = string_to_array(?3, E'\\n'),
                               post_logout_redirect_uris = string_to_array(?4, E'\\n'), grant_types = string_to_array(?5, E'\\n'),
                               is_active = ?6, updated_at = ?7, jwks = ?8, backchannel_logout_uri = ?9
                        where id = ?1""")
                .setParameter(1, id).setParameter(2, update.name().strip())
                .setParameter(3, String.join(SEPARATOR, redirectUris)).setParameter(4, String.join(SEPARATOR, logoutUris))
                .setParameter(5, String.join(SEPARATOR, ClientRegistrationRules.grantTypes(update.grantTypes())))
                .setParameter(6, update.active()).setParameter(7, Timestamps.now())
                .setParameter(8, new TypedParameterValue<>(StandardBasicTypes.STRING, jwks))
                .setParameter(9, new TypedParameterValue<>(StandardBasicTypes.STRING, backchannelUri))
                .executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.OAUTH_CLIENT_CHANGED, admin.tenantId())
                .detail("client_id", id.toString()).detail("active", update.active()));
        return get(id);
    }

    /** A new secret for a confidential client; the previous one works on for {@code previousValidSeconds}. */
    @Transactional
    public ClientWithSecret rotateSecret(CallerView admin, String clientId, int previousValidSeconds) {
        UUID id = existing(clientId);
        String secret = RandomTokens.newToken();
        int rotated = em.createNativeQuery("""
                        update oauth_clients set previous_secret_hash = secret_hash,
                               previous_secret_expires_at = now() + make_interval(secs => ?3),
                               secret_hash = ?2, updated_at = now()
                        where id = ?1 and kind = 'confidential'""")
                .setParameter(1, id).setParameter(2, RandomTokens.sha256(secret)).setParameter(3, previousValidSeconds)
                .executeUpdate();
        if (rotated == 0) {
            throw ProblemException.invalidField("client_id", "is a public client, which has no secret");
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.OAUTH_CLIENT_SECRET_ROTATED, admin.tenantId())
                .detail("client_id", id.toString()).detail("previous_valid_seconds", previousValidSeconds));
        return new ClientWithSecret(get(id), secret);
    }

    /**
     * Deletes the client. Its sessions end first, by revocation rather than by the foreign key's cascade, so that
     * every instance hears of it (the session-end trigger, V5) and refuses their access tokens at once.
     */
    @Transactional
    public void delete(CallerView admin, String clientId) {
        UUID id = existing(clientId);
        refreshTokens.revokeAllOfClient(id);
        em.createNativeQuery("delete from oauth_clients where id = ?1").setParameter(1, id).executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.OAUTH_CLIENT_DELETED, admin.tenantId())
                .detail("client_id", id.toString()));
    }

    public List<ClientResponse> list() {
        List<Tuple> rows = em.createNativeQuery(SELECT + " order by created_at, id", Tuple.class).getResultList();
        return rows.stream().map(OAuthClients::response).toList();
    }

    public ClientResponse get(String clientId) {
        return get(existing(clientId));
    }

    private ClientResponse get(UUID id) {
        List<Tuple> rows = em.createNativeQuery(SELECT + " where id = ?1", Tuple.class).setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(OAuthClients::response).orElseThrow(() -> ProblemException.notFound("OAuth client"));
    }

    /** The client of this client_id, active or not; empty for an unknown or malformed one. */
    Optional<Client> find(String clientId) {
        UUID id = Ids.parseOrNull(clientId);
        if (id == null) {
            return Optional.empty();
        }
        List<Tuple> rows = em.createNativeQuery(SELECT + " where id = ?1", Tuple.class).setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(row -> new Client(row.get("id", UUID.class), row.get("name", String.class),
                row.get("kind", String.class).equals("confidential"), split(row.get("redirect_uris", String.class)),
                split(row.get("post_logout_redirect_uris", String.class)),
                Set.copyOf(split(row.get("grant_types", String.class))), keys(row.get("jwks", String.class)),
                row.get("is_active", Boolean.class)));
    }

    /** Records an assertion's id until it expires; false when the client used it before (a replay). */
    boolean firstUseOf(UUID clientId, String jti, Instant expiresAt) {
        return em.createNativeQuery("""
                        insert into oauth_client_assertion_ids (client_id, jti, expires_at) values (?1, ?2, ?3)
                        on conflict do nothing""")
                .setParameter(1, clientId).setParameter(2, jti).setParameter(3, expiresAt)
                .executeUpdate() == 1;
    }

    void purges(@Observes Housekeeping.Purges purges, OAuthClients clients) {
        purges.retention("expired OAuth client assertion id(s)", clients::purgeExpiredAssertionIds);
    }

    @Transactional
    public int purgeExpiredAssertionIds(int batch) {
        return em.createNativeQuery("""
                        delete from oauth_client_assertion_ids where (client_id, jti) in (
                            select client_id, jti from oauth_client_assertion_ids where expires_at < now()
                            limit ?1 for update skip locked)""")
                .setParameter(1, batch).executeUpdate();
    }

    /** Whether the secret is the confidential client's current one, or its previous one within the overlap. */
    boolean secretMatches(UUID clientId, String secret) {
        List<Tuple> rows = em.createNativeQuery("""
                        select secret_hash, case when previous_secret_expires_at > now() then previous_secret_hash end as previous
                        from oauth_clients where id = ?1 and kind = 'confidential'""", Tuple.class)
                .setParameter(1, clientId).getResultList();
        if (rows.isEmpty() || secret == null) {
            return false;
        }
        byte[] presented = RandomTokens.sha256(secret);
        byte[] previous = rows.getFirst().get("previous", byte[].class);
        boolean current = MessageDigest.isEqual(presented, rows.getFirst().get("secret_hash", byte[].class));
        return current || previous != null && MessageDigest.isEqual(presented, previous);
    }

    private static final String SELECT = """
            select id, name, kind, array_to_string(redirect_uris, E'\\n') as redirect_uris,
                   array_to_string(post_logout_redirect_uris, E'\\n') as post_logout_redirect_uris,
                   array_to_string(grant_types, E'\\n') as grant_types, jwks, backchannel_logout_uri, is_active,
                   case when previous_secret_expires_at > now() then previous_secret_expires_at end as previous_secret_expires_at,
                   created_at, updated_at
            from oauth_clients""";

    private static ClientResponse response(Tuple row) {
        return new ClientResponse(row.get("id", UUID.class), row.get("name", String.class), row.get("kind", String.class),
                split(row.get("redirect_uris", String.class)), split(row.get("post_logout_redirect_uris", String.class)),
                split(row.get("grant_types", String.class)),
                keys(row.get("jwks", String.class)).stream().map(JWK::getKeyID).toList(),
                row.get("backchannel_logout_uri", String.class), row.get("is_active", Boolean.class),
                Timestamps.instant(row.get("previous_secret_expires_at")), Timestamps.instant(row.get("created_at")),
                Timestamps.instant(row.get("updated_at")));
    }

    private UUID existing(String clientId) {
        UUID id = Ids.parseOrNull(clientId);
        if (id == null || em.createNativeQuery("select 1 from oauth_clients where id = ?1").setParameter(1, id)
                .getResultList().isEmpty()) {
            throw ProblemException.notFound("OAuth client");
        }
        return id;
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(SEPARATOR));
    }

    private static List<JWK> keys(String jwks) {
        try {
            return jwks == null ? List.of() : JWKSet.parse(jwks).getKeys();
        } catch (ParseException e) {
            throw new IllegalStateException("A stored JWK Set does not parse", e);
        }
    }

}
