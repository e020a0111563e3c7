package dev.gatehouse.sso;

import dev.gatehouse.access.RoleAssignments;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.platform.EncryptionKey;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sso.ConnectionRecords.ConnectionRequest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The table sso_connections: each tenant's identity providers. Writes check the request ({@link ConnectionRules})
 * and the escalation rules: every role a connection hands out must be one its writer may grant. The OIDC client
 * secret and a SAML connection's request-signing key (made with it, kept when it is replaced) are sealed with
 * gatehouse.sso.encryption-key.
 */
@ApplicationScoped
public class SsoConnections {

    private static final String COLUMNS = """
            id, tenant_id, name, protocol, is_enabled, oidc_issuer, oidc_client_id, oidc_client_secret, oidc_scopes,
            saml_idp_entity_id, saml_idp_sso_url, saml_idp_certificates, saml_sp_private_key, saml_sp_certificate,
            email_attribute, name_attribute, groups_attribute, default_role_ids, group_role_ids, trust_idp_mfa,
            created_at, updated_at""";

    @Inject
    EntityManager em;

    @Inject
    RoleAssignments roleAssignments;

    @Inject
    SecurityEvents securityEvents;

    private EncryptionKey key;

    @PostConstruct
    void init() {
        key = EncryptionKey.of("gatehouse.sso.encryption-key", "sso/encryption-key");
    }

    /** A connection and when it was made, as the admin API shows it. */
    public record Stored(SsoConnection connection, Instant createdAt) {
    }

    public List<Stored> list(UUID tenantId) {
        List<Tuple> rows = em.createNativeQuery("select " + COLUMNS + " from sso_connections where tenant_id = ?1 "
                + "order by created_at, id", Tuple.class).setParameter(1, tenantId).getResultList();
        return rows.stream().map(this::stored).toList();
    }

    public Stored get(UUID tenantId, String id) {
        return find(id).filter(s -> s.connection().tenantId().equals(tenantId))
                .orElseThrow(() -> ProblemException.notFound("Connection"));
    }

    /** Any tenant's connection by id (the sign-in's way in): empty for a malformed or unknown id. One statement. */
    public Optional<Stored> find(String id) {
        UUID connectionId = Ids.parseOrNull(id);
        List<Tuple> rows = connectionId == null ? List.of() : em.createNativeQuery("select " + COLUMNS
                + " from sso_connections where id = ?1", Tuple.class).setParameter(1, connectionId).getResultList();
        return rows.stream().findFirst().map(this::stored);
    }

    @Transactional
    public Stored create(CallerView caller, ConnectionRequest request, ConnectionRules.Checked checked) {
        requireGrantable(caller, request);
        UUID id = Ids.newId();
        Instant now = Timestamps.now();
        SamlSpKey spKey = SsoConnection.SAML.equals(request.protocol()) ? SamlSpKey.generate("Gatehouse SP " + id) : null;
        em.createNativeQuery("insert into sso_connections (" + COLUMNS + ", created_by) values (?1, ?2, ?3, ?4, ?5,"
                        + " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?21, ?22, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?19, ?20)")
                .setParameter(1, id).setParameter(2, caller.tenantId())
                .setParameter(3, request.name().strip()).setParameter(4, request.protocol())
                .setParameter(5, request.enabled() == null || request.enabled())
                .setParameter(6, checked.oidcIssuer()).setParameter(7, checked.oidcClientId())
                .setParameter(8, checked.oidcClientSecret() == null ? null : seal(checked.oidcClientSecret()))
                .setParameter(9, checked.oidcScopes())
                .setParameter(10, checked.samlEntityId()).setParameter(11, checked.samlSsoUrl())
                .setParameter(12, checked.samlCertificatesPem())
                .setParameter(13, checked.attributes().email()).setParameter(14, checked.attributes().name())
                .setParameter(15, checked.attributes().groups())
                .setParameter(16, String.join(",", checked.defaultRoleIds().stream().map(UUID::toString).toList()))
                .setParameter(17, groupRolesJson(checked.groupRoles()))
                .setParameter(18, Boolean.TRUE.equals(request.trustIdpMfa()))
                .setParameter(19, now).setParameter(20, caller.id())
                .setParameter(21, spKey == null ? null : key.seal(spKey.privateKey().getEncoded()))
                .setParameter(22, spKey == null ? null : encoded(spKey))
                .executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.SSO_CONNECTION_CREATED, caller.tenantId())
                .detail("connection", id.toString()).detail("protocol", request.protocol()).detail("name", request.name().strip()));
        return get(caller.tenantId(), id.toString());
    }

    /** Replaces the connection; an OIDC client secret left out keeps the stored one. The protocol cannot change. */
    @Transactional
    public Stored replace(CallerView caller, String id, ConnectionRequest request, ConnectionRules.Checked checked) {
        Stored current = get(caller.tenantId(), id);
        if (!current.connection().protocol().equals(request.protocol())) {
            throw ProblemException.invalidField("protocol", "cannot change; make a new connection");
        }
        requireGrantable(caller, request);
        byte[] newSecret = checked.oidcClientSecret() == null ? null : seal(checked.oidcClientSecret());
        em.createNativeQuery("""
                        update sso_connections set name = ?2, is_enabled = ?3, oidc_issuer = ?4, oidc_client_id = ?5,
                               oidc_client_secret = coalesce(?6, oidc_client_secret), oidc_scopes = ?7, saml_idp_entity_id = ?8, saml_idp_sso_url = ?9,
                               saml_idp_certificates = ?10, email_attribute = ?11, name_attribute = ?12,
                               groups_attribute = ?13, default_role_ids = ?14, group_role_ids = ?15, trust_idp_mfa = ?16,
                               updated_at = ?17
                        where id = ?1""")
                .setParameter(1, current.connection().id()).setParameter(2, request.name().strip())
                .setParameter(3, request.enabled() == null || request.enabled())
                .setParameter(4, checked.oidcIssuer()).setParameter(5, checked.oidcClientId()).setParameter(6, newSecret)
                .setParameter(7, checked.oidcScopes()).setParameter(8, checked.samlEntityId())
                .setParameter(9, checked.samlSsoUrl()).setParameter(10, checked.samlCertificatesPem())
                .setParameter(11, checked.attributes().email()).setParameter(12, checked.attributes().name())
                .setParameter(13, checked.attributes().groups())
                .setParameter(14, String.join(",", checked.defaultRoleIds().stream().map(UUID::toString).toList()))
                .setParameter(15, groupRolesJson(checked.groupRoles()))
                .setParameter(16, Boolean.TRUE.equals(request.trustIdpMfa())).setParameter(17, Timestamps.now())
                .executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.SSO_CONNECTION_CHANGED, caller.tenantId())
                .detail("connection", current.connection().id().toString()));
        return get(caller.tenantId(), id);
    }

    @Transactional
    public void delete(CallerView caller, String id) {
        Stored current = get(caller.tenantId(), id);
        em.createNativeQuery("delete from sso_connections where id = ?1").setParameter(1, current.connection().id())
                .executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.SSO_CONNECTION_DELETED, caller.tenantId())
                .detail("connection", current.connection().id().toString()));
    }

    /** 404 for a role that is not the tenant's, 403 privilege-escalation for one the writer may not grant. */
    private void requireGrantable(CallerView caller, ConnectionRequest request) {
        Set<String> roleIds = new LinkedHashSet<>(request.defaultRoleIds() == null ? List.of() : request.defaultRoleIds());
        if (request.groupRoles() != null) {
            request.groupRoles().values().forEach(roleIds::addAll);
        }
        roleAssignments.grantableRoles(caller, roleIds);
    }

    private Stored stored(Tuple row) {
        byte[] sealed = row.get("oidc_client_secret", byte[].class);
        SsoConnection connection = new SsoConnection(row.get("id", UUID.class), row.get("tenant_id", UUID.class),
                row.get("name", String.class), row.get("protocol", String.class), row.get("is_enabled", Boolean.class),
                row.get("oidc_issuer", String.class), row.get("oidc_client_id", String.class),
                sealed == null ? null : new String(key.open(sealed), StandardCharsets.UTF_8),
                row.get("oidc_scopes", String.class), row.get("saml_idp_entity_id", String.class),
                row.get("saml_idp_sso_url", String.class),
                ConnectionRules.certificates(row.get("saml_idp_certificates", String.class)),
                row.get("saml_sp_private_key") == null ? null : SamlSpKey.of(key.open(row.get("saml_sp_private_key", byte[].class)),
                        row.get("saml_sp_certificate", byte[].class)),
                row.get("email_attribute", String.class), row.get("name_attribute", String.class),
                row.get("groups_attribute", String.class), ids(row.get("default_role_ids", String.class)),
                groupRoles(row.get("group_role_ids", String.class)), row.get("trust_idp_mfa", Boolean.class),
                Timestamps.instant(row.get("updated_at")));
        return new Stored(connection, Timestamps.instant(row.get("created_at")));
    }

    private static byte[] encoded(SamlSpKey spKey) {
        try {
            return spKey.certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] seal(String secret) {
        return key.seal(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static List<UUID> ids(String commaSeparated) {
        List<UUID> ids = new ArrayList<>();
        for (String id : commaSeparated.split(",")) {
            if (!id.isBlank()) {
                ids.add(UUID.fromString(id));
            }
        }
        return ids;
    }

    private static String groupRolesJson(Map<String, List<UUID>> groupRoles) {
        JsonObjectBuilder json = Json.createObjectBuilder();
        groupRoles.forEach((group, roles) -> {
            JsonArrayBuilder array = Json.createArrayBuilder();
            roles.forEach(role -> array.add(role.toString()));
            json.add(group, array);
        });
        return json.build().toString();
    }

    private static Map<String, List<UUID>> groupRoles(String json) {
        Map<String, List<UUID>> groupRoles = new LinkedHashMap<>();
        JsonObject object = Json.createReader(new StringReader(json)).readObject();
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            List<UUID> roles = new ArrayList<>();
            for (JsonValue role : (JsonArray) entry.getValue()) {
                roles.add(UUID.fromString(((JsonString) role).getString()));
            }
            groupRoles.put(entry.getKey(), roles);
        }
        return groupRoles;
    }
}
