package dev.gatehouse.invitations;

import dev.gatehouse.access.Role;
import dev.gatehouse.access.RoleAssignments;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.Permissions;
import dev.gatehouse.invitations.InvitationRecords.InvitationResponse;
import dev.gatehouse.invitations.InvitationRecords.NewInvitation;
import dev.gatehouse.mail.MailLinks;
import dev.gatehouse.mail.MailOutbox;
import dev.gatehouse.mail.RecipientLimits;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.http.RetryLater;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.users.Emails;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/**
 * Invitations into a tenant, and the owner of their tables (invitations, invitation_roles). An admin invites
 * an address with roles they may hand out; the mail's link (a one-time token, stored as its SHA-256) lets the
 * person accept ({@link InvitationAcceptance}). The invitation is used up by one UPDATE ... RETURNING, so of
 * two concurrent acceptances one succeeds.
 */
@ApplicationScoped
public class Invitations {

    /**
     * The condition of a pending invitation (neither accepted nor revoked, and not expired), its columns named
     * with {@code alias} ("i." in a query that names the table i, "" where it is the only table).
     */
    private static String pendingIn(String alias) {
        return alias + "accepted_at is null and " + alias + "revoked_at is null and " + alias + "expires_at > now()";
    }

    @Inject
    EntityManager em;

    @Inject
    RoleAssignments roles;

    @Inject
    MailOutbox outbox;

    @Inject
    MailLinks links;

    @Inject
    RecipientLimits recipientLimits;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    @ConfigProperty(name = "gatehouse.invitation.days")
    int invitationDays;

    @Inject
    @ConfigProperty(name = "gatehouse.invitation.per-tenant-per-day")
    int invitationsPerDay;

    /**
     * Invites the address with these roles; an earlier pending invitation of the address to this tenant is
     * revoked, so only the newest link works. 409 when the address's account is a member already; 429 past the
     * tenant's daily budget. The mail is written only within the address's limit (mail/RecipientLimits): one
     * tenant, or many, cannot flood an inbox with invitations.
     */
    @Transactional
    public InvitationResponse create(CallerView caller, NewInvitation request) {
        String email = Emails.normalize(request.email());
        List<Role> granted = roles.grantableRoles(caller, request.roleIds() == null ? List.of() : request.roleIds());
        String tenantName = tenantNameWithinBudget(caller.tenantId());
        boolean member = !em.createNativeQuery("""
                        select 1 from memberships m join users u on u.id = m.user_id
                        where lower(u.email) = ?1 and m.tenant_id = ?2""")
                .setParameter(1, email).setParameter(2, caller.tenantId()).getResultList().isEmpty();
        if (member) {
            throw new ProblemException(ProblemType.ALREADY_MEMBER, "This person is a member of the tenant already.");
        }
        em.createNativeQuery("update invitations set revoked_at = now() where tenant_id = ?1 and email = ?2 and " + pendingIn(""))
                .setParameter(1, caller.tenantId()).setParameter(2, email).executeUpdate();
        String token = RandomTokens.newToken();
        UUID id = Ids.newId();
        Instant now = Timestamps.now();
        Instant expires = now.plus(Duration.ofDays(invitationDays));
        UUID invitedBy = caller.serviceAccount() ? null : caller.id(); // invited_by names a person (the event names the machine)
        em.createNativeQuery("""
                        insert into invitations (id, tenant_id, email, token_hash, invited_by, created_at, expires_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, id).setParameter(2, caller.tenantId()).setParameter(3, email)
                .setParameter(4, RandomTokens.sha256(token)).setParameter(5, new TypedParameterValue<>(StandardBasicTypes.UUID, invitedBy)).setParameter(6, now)
                .setParameter(7, expires).executeUpdate();
        for (Role role : granted) {
            em.createNativeQuery("insert into invitation_roles (invitation_id, role_id) values (?1, ?2)")
                    .setParameter(1, id).setParameter(2, role.id()).executeUpdate();
        }
        if (recipientLimits.allow(email, "invitation")) {
            outbox.enqueue(email, "invitation", Map.of("inviter", caller.fullName(), "tenant", tenantName,
                    "days", Integer.toString(invitationDays), "link", links.to("accept-invitation.html", token)));
        } else { // the answer stays the same: whether others invited the address lately is not this tenant's to know
            securityEvents.record(SecurityEvent.of(SecurityEventType.MAIL_SUPPRESSED, caller.tenantId()).failed()
                    .detail("kind", "invitation").detail("invitation_id", id.toString()));
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.INVITATION_CREATED, caller.tenantId())
                .detail("invitation_id", id.toString())
                .detail("role_ids", granted.stream().map(r -> r.id().toString()).toList()));
        return new InvitationResponse(id, caller.tenantId(), email, granted.stream().map(Role::id).sorted().toList(),
                invitedBy, now, expires);
    }

    /**
     * The tenant's name, once its invitations of the last 24 hours are fewer than gatehouse.invitation.per-tenant-per-day;
     * otherwise 429 {@code invitation-limit} with Retry-After: when the oldest of them turns a day old. One
     * statement, which locks the tenant's row until the transaction ends, so concurrent invitations of one
     * tenant are counted one after the other and cannot overshoot the budget together.
     */
    private String tenantNameWithinBudget(UUID tenantId) {
        Tuple row = (Tuple) em.createNativeQuery("""
                        select t.name,
                               (select i.created_at from invitations i
                                where i.tenant_id = t.id and i.created_at > now() - interval '1 day'
                                order by i.created_at desc offset ?2 limit 1) as oldest_within_budget
                        from tenants t where t.id = ?1 for update of t""", Tuple.class)
                .setParameter(1, tenantId).setParameter(2, invitationsPerDay - 1).getSingleResult();
        Instant oldest = Timestamps.instant(row.get("oldest_within_budget"));
        if (oldest != null) {
            Instant budgetBack = oldest.plus(Duration.ofDays(1));
            throw new RetryLater(ProblemType.INVITATION_LIMIT, "This tenant has sent its "
                    + invitationsPerDay + " invitations of the last 24 hours. Try again later.",
                    Duration.between(Timestamps.now(), budgetBack).toSeconds() + 1);
        }
        return row.get("name", String.class);
    }

    /** The tenant's pending invitations, newest first (one statement). */
    public List<InvitationResponse> pending(UUID tenantId) {
        List<Tuple> rows = em.createNativeQuery("""
                        select i.id, i.email, i.invited_by, i.created_at, i.expires_at,
                               (select string_agg(cast(ir.role_id as text), ',' order by ir.role_id)
                                from invitation_roles ir where ir.invitation_id = i.id) as role_ids
                        from invitations i where i.tenant_id = ?1 and %s
                        order by i.created_at desc""".formatted(pendingIn("i.")), Tuple.class)
                .setParameter(1, tenantId).getResultList();
        return rows.stream().map(r -> new InvitationResponse(r.get("id", UUID.class), tenantId, r.get("email", String.class),
                uuids(r.get("role_ids", String.class)), r.get("invited_by", UUID.class),
                Timestamps.instant(r.get("created_at")), Timestamps.instant(r.get("expires_at")))).toList();
    }

    private static List<UUID> uuids(String commaSeparated) {
        return commaSeparated == null ? List.of() : Arrays.stream(commaSeparated.split(",")).map(UUID::fromString).toList();
    }

    /**
     * Revokes a pending invitation of the tenant: its link stops working. 404 for any other id; 403 when its
     * roles hold permissions the caller does not (whoever could not have made the invitation cannot undo it).
     */
    @Transactional
    public void revoke(CallerView caller, UUID invitationId) {
        @SuppressWarnings("unchecked")
        List<Object> pending = em.createNativeQuery("""
                        select (select string_agg(distinct rp.permission_name, ',')
                                from invitation_roles ir join role_permissions rp on rp.role_id = ir.role_id
                                where ir.invitation_id = i.id)
                        from invitations i where i.id = ?1 and i.tenant_id = ?2 and %s
                        for update of i""".formatted(pendingIn("i.")))
                .setParameter(1, invitationId).setParameter(2, caller.tenantId()).getResultList();
        if (pending.isEmpty()) {
            throw ProblemException.notFound("Invitation");
        }
        caller.requireMayChange("an invitation", false, Permissions.parse((String) pending.getFirst()));
        em.createNativeQuery("update invitations set revoked_at = now() where id = ?1")
                .setParameter(1, invitationId).executeUpdate();
        securityEvents.record(SecurityEvent.of(SecurityEventType.INVITATION_REVOKED, caller.tenantId())
                .detail("invitation_id", invitationId.toString()));
    }

    /** The account of the address a pending invitation names, with what a password check needs. */
    public record InvitedAccount(UUID userId, String email, String passwordHash, boolean active, UUID tenantId) {
    }

    /** The account that the pending invitation with this token hash invites; empty when none (or no account). */
    public Optional<InvitedAccount> invitedAccount(byte[] tokenHash) {
        List<Tuple> rows = em.createNativeQuery("""
                        select u.id as user_id, u.email, u.password_hash, u.is_active, i.tenant_id
                        from invitations i join users u on lower(u.email) = i.email
                        where i.token_hash = ?1 and %s""".formatted(pendingIn("i.")), Tuple.class)
                .setParameter(1, tokenHash).getResultList();
        return rows.stream().findFirst().map(row -> new InvitedAccount(row.get("user_id", UUID.class),
                row.get("email", String.class), row.get("password_hash", String.class),
                row.get("is_active", Boolean.class), row.get("tenant_id", UUID.class)));
    }

    /** A pending invitation, used up by {@link #use}. */
    public record Invited(UUID id, UUID tenantId, String email) {
    }

    /**
     * Uses up the pending invitation with this token hash, in one statement (of two concurrent uses one gets
     * it); empty when it is unknown, used, revoked, expired or its tenant is inactive. Call it in the
     * transaction that then joins: a refusal after it rolls back and leaves the invitation pending.
     */
    public Optional<Invited> use(byte[] tokenHash) {
        List<Tuple> used = em.createNativeQuery("""
                        update invitations i set accepted_at = now()
                        where i.token_hash = ?1 and %s
                          and exists (select 1 from tenants t where t.id = i.tenant_id and t.is_active)
                        returning i.id, i.tenant_id, i.email""".formatted(pendingIn("i.")), Tuple.class)
                .setParameter(1, tokenHash).getResultList();
        return used.stream().findFirst().map(row -> new Invited(row.get("id", UUID.class), row.get("tenant_id", UUID.class),
                row.get("email", String.class)));
    }

    /** Records who accepted the invitation, and answers its roles (those not deleted since). */
    List<UUID> acceptedBy(UUID invitationId, UUID userId) {
        em.createNativeQuery("update invitations set accepted_by = ?2 where id = ?1")
                .setParameter(1, invitationId).setParameter(2, userId).executeUpdate();
        @SuppressWarnings("unchecked")
        List<UUID> roleIds = em.createNativeQuery("select ir.role_id from invitation_roles ir where ir.invitation_id = ?1")
                .setParameter(1, invitationId).getResultList();
        return roleIds;
    }
}
