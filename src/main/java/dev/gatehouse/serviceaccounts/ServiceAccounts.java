package dev.gatehouse.serviceaccounts;

import com.nimbusds.jose.jwk.JWK;
import dev.gatehouse.access.Role;
import dev.gatehouse.access.RoleAssignments;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.CredentialResponse;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.IssuedSecret;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.NewPublicKey;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.NewSecret;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.NewServiceAccount;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.ServiceAccountResponse;
import dev.gatehouse.serviceaccounts.ServiceAccountRecords.ServiceAccountUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The service accounts of a tenant, and the roles they hold: created, listed, changed, disabled and deleted by
 * its admins. The escalation rules of people hold: nobody gives a service account a role with a permission they
 * do not hold, or changes one that holds such a permission. Every query names the tenant: an id of another
 * tenant's account is 404.
 */
@ApplicationScoped
public class ServiceAccounts {

    @Inject
    EntityManager em;

    @Inject
    RoleAssignments roles;

    @Inject
    ServiceAccountCredentials credentials;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<CallerChanged> callerChanges;

    @Transactional
    public ServiceAccountResponse create(CallerView caller, NewServiceAccount request) {
        List<Role> granted = roles.grantableRoles(caller, request.roleIds() == null ? List.of() : request.roleIds());
        String name = request.name().strip();
        requireFreeName(caller.tenantId(), name, null);
        ServiceAccount account = new ServiceAccount(caller.tenantId(), name, request.description(), caller.id());
        em.persist(account);
        granted.forEach(role -> em.persist(new ServiceAccountRole(account.id(), role.id())));
        em.flush(); // a concurrent one of the same name fails here, as a 409
        securityEvents.record(SecurityEvent.of(SecurityEventType.SERVICE_ACCOUNT_CREATED, caller.tenantId())
                .detail("service_account_id", account.id().toString()).detail("name", name)
                .detail("roles", granted.stream().map(Role::name).sorted().toList()));
        return account.toResponse(granted.stream().map(Role::id).sorted().toList());
    }

    /** The tenant's service accounts by name, with their roles: two statements. */
    public List<ServiceAccountResponse> list(UUID tenantId) {
        List<ServiceAccount> accounts = em.createQuery(
                        "select s from ServiceAccount s where s.tenantId = :tenant order by lower(s.name)", ServiceAccount.class)
                .setParameter("tenant", tenantId).getResultList();
        Map<UUID, List<UUID>> roleIds = em.createQuery("""
                        select sr.id from ServiceAccountRole sr, ServiceAccount s
                        where s.id = sr.id.serviceAccountId and s.tenantId = :tenant""", ServiceAccountRole.Key.class)
                .setParameter("tenant", tenantId).getResultStream()
                .collect(Collectors.groupingBy(ServiceAccountRole.Key::serviceAccountId,
                        Collectors.mapping(ServiceAccountRole.Key::roleId, Collectors.toList())));
        return accounts.stream().map(s -> s.toResponse(sorted(roleIds.getOrDefault(s.id(), List.of())))).toList();
    }

    public ServiceAccountResponse get(UUID tenantId, String id) {
        ServiceAccount account = existing(tenantId, id);
        return account.toResponse(roleIdsOf(account.id()));
    }

    /** Name, description, active: deactivating refuses its tokens on their next request, on every instance. */
    @Transactional
    public ServiceAccountResponse update(CallerView caller, String id, ServiceAccountUpdate update) {
        ServiceAccount account = toChange(caller, id);
        List<String> changed = new ArrayList<>();
        if (update.name() != null && !update.name().strip().equals(account.name())) {
            requireFreeName(caller.tenantId(), update.name().strip(), account.id());
            account.rename(update.name().strip());
            changed.add("name");
        }
        if (update.description() != null) {
            account.describe(update.description());
            changed.add("description");
        }
        if (update.active() != null && update.active() != account.active()) {
            account.activate(update.active());
            changed.add("active");
        }
        if (!changed.isEmpty()) {
            em.flush();
            callerChanges.fire(CallerChanged.user(account.id()));
            securityEvents.record(SecurityEvent.of(SecurityEventType.SERVICE_ACCOUNT_CHANGED, caller.tenantId())
                    .detail("service_account_id", account.id().toString()).detail("changed", changed)
                    .detail("active", account.active()));
        }
        return account.toResponse(roleIdsOf(account.id()));
    }

    @Transactional
    public void delete(CallerView caller, String id) {
        ServiceAccount account = toChange(caller, id);
        em.remove(account);
        em.flush();
        callerChanges.fire(CallerChanged.user(account.id()));
        securityEvents.record(SecurityEvent.of(SecurityEventType.SERVICE_ACCOUNT_DELETED, caller.tenantId())
                .detail("service_account_id", account.id().toString()).detail("name", account.name()));
    }

    /** Replaces the account's roles: each new one must be grantable by the caller (they hold all its permissions). */
    @Transactional
    public ServiceAccountResponse replaceRoles(CallerView caller, String id, List<String> roleIds) {
        ServiceAccount account = toChange(caller, id);
        List<UUID> current = roleIdsOf(account.id());
        List<Role> wanted = roles.grantableRoles(caller, roleIds.stream()
                .filter(roleId -> !current.contains(Ids.parseOrNull(roleId))).toList());
        List<UUID> kept = roleIds.stream().map(Ids::parseOrNull).filter(current::contains).toList();
        em.createQuery("delete from ServiceAccountRole sr where sr.id.serviceAccountId = :id")
                .setParameter("id", account.id()).executeUpdate();
        List<UUID> now = new ArrayList<>(kept);
        wanted.forEach(role -> now.add(role.id()));
        now.stream().distinct().forEach(roleId -> em.persist(new ServiceAccountRole(account.id(), roleId)));
        callerChanges.fire(CallerChanged.user(account.id()));
        securityEvents.record(SecurityEvent.of(SecurityEventType.SERVICE_ACCOUNT_ROLES_ASSIGNED, caller.tenantId())
                .detail("service_account_id", account.id().toString())
                .detail("role_ids", now.stream().distinct().sorted().map(UUID::toString).toList()));
        return account.toResponse(sorted(now.stream().distinct().toList()));
    }

    public List<CredentialResponse> credentials(UUID tenantId, String id) {
        return credentials.of(existing(tenantId, id).id());
    }

    /** A new client secret, shown in this answer only; the account's other credentials keep working (rotation). */
    @Transactional
    public IssuedSecret issueSecret(CallerView caller, String id, NewSecret request) {
        ServiceAccount account = toChange(caller, id);
        IssuedSecret secret = credentials.issueSecret(account.id(), request.expiresInDays());
        credentialAdded(caller, account, secret.id(), "secret");
        return secret;
    }

    /**
     * A public key that verifies the account's signed assertions (RFC 7523): RSA of 2048 bits or more, or EC
     * P-256, public members only; 422 for anything else. Its kid is the JWK's, or its RFC 7638 thumbprint.
     */
    @Transactional
    public CredentialResponse addPublicKey(CallerView caller, String id, NewPublicKey request) {
        ServiceAccount account = toChange(caller, id);
        JWK key = ClientAssertions.acceptablePublicKey(request.jwk());
        CredentialResponse added = credentials.addPublicKey(account.id(), key.toJSONString(), key.getKeyID(),
                request.expiresInDays());
        credentialAdded(caller, account, added.id(), "public_key");
        return added;
    }

    private void credentialAdded(CallerView caller, ServiceAccount account, UUID credentialId, String kind) {
        securityEvents.record(SecurityEvent.of(SecurityEventType.SERVICE_ACCOUNT_CREDENTIAL_ADDED, caller.tenantId())
                .detail("service_account_id", account.id().toString()).detail("credential_id", credentialId.toString())
                .detail("kind", kind));
    }

    /** Revokes a credential: tokens issued for it are refused on their next request, on every instance. */
    @Transactional
    public void revokeCredential(CallerView caller, String id, String credentialId) {
        ServiceAccount account = toChange(caller, id);
        UUID credential = Ids.parseOrNull(credentialId);
        if (credential == null || !credentials.revoke(account.id(), credential)) {
            throw ProblemException.notFound("Credential");
        }
        callerChanges.fire(CallerChanged.user(account.id()));
        securityEvents.record(SecurityEvent.of(SecurityEventType.SERVICE_ACCOUNT_CREDENTIAL_REVOKED, caller.tenantId())
                .detail("service_account_id", account.id().toString()).detail("credential_id", credential.toString()));
    }

    /**
     * An account of the caller's tenant that the caller may change: they hold every permission its roles give
     * (no lowering a stronger machine's powers, no revoking its credentials, no deleting it).
     */
    ServiceAccount toChange(CallerView caller, String id) {
        ServiceAccount account = existing(caller.tenantId(), id);
        List<String> held = em.createQuery("""
                        select p.name from ServiceAccountRole sr join Role r on r.id = sr.id.roleId join r.permissions p
                        where sr.id.serviceAccountId = :id""", String.class)
                .setParameter("id", account.id()).getResultList();
        caller.requireMayChange("a service account", false, held);
        return account;
    }

    ServiceAccount existing(UUID tenantId, String id) {
        UUID uuid = Ids.parseOrNull(id);
        ServiceAccount account = uuid == null ? null : em.find(ServiceAccount.class, uuid);
        if (account == null || !account.tenantId().equals(tenantId)) {
            throw ProblemException.notFound("Service account");
        }
        return account;
    }

    private List<UUID> roleIdsOf(UUID serviceAccountId) {
        return sorted(em.createQuery("select sr.id.roleId from ServiceAccountRole sr where sr.id.serviceAccountId = :id", UUID.class)
                .setParameter("id", serviceAccountId).getResultList());
    }

    private static List<UUID> sorted(List<UUID> ids) {
        return ids.stream().sorted().toList();
    }

    private void requireFreeName(UUID tenantId, String name, UUID except) {
        boolean taken = !em.createQuery("""
                        select 1 from ServiceAccount s where s.tenantId = :tenant and lower(s.name) = :name
                        and (:except is null or s.id <> :except)""", Integer.class)
                .setParameter("tenant", tenantId).setParameter("name", name.toLowerCase(Locale.ROOT))
                .setParameter("except", except).setMaxResults(1).getResultList().isEmpty();
        if (taken) {
            throw new ProblemException(ProblemType.SERVICE_ACCOUNT_NAME_TAKEN, "The tenant has a service account of this name already.");
        }
    }
}
