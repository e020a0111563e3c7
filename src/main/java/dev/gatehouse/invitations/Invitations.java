package dev.gatehouse.invitations;

import dev.gatehouse.access.Role;
import dev.gatehouse.access.RoleService;
import dev.gatehouse.access.UserRole;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.invitations.InvitationRecords.Acceptance;
import dev.gatehouse.invitations.InvitationRecords.Accepted;
import dev.gatehouse.invitations.InvitationRecords.InvitationResponse;
import dev.gatehouse.invitations.InvitationRecords.NewInvitation;
import dev.gatehouse.mail.MailLinks;
import dev.gatehouse.mail.MailOutbox;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sessions.AuthRecords.TokenResponse;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.tenants.Membership;
import dev.gatehouse.tenants.Tenant;
import dev.gatehouse.users.AccountTokens;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.PasswordHasher;
import dev.gatehouse.users.PasswordPolicy;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Invitations into a tenant (tables invitations, invitation_roles). An admin invites an address with roles
 * they may hand out; the mail's link (a one-time token, stored as its SHA-256) lets the person accept: a new
 * account with the password they choose, or their existing account by its password. The invitation is
 * used up by one UPDATE ... RETURNING, so of two concurrent acceptances one succeeds.
 */
@ApplicationScoped
public class Invitations {

    /** A pending invitation: neither accepted nor revoked, and not expired. */
    private static final String PENDING = "accepted_at is null and revoked_at is null and expires_at > now()";

    @Inject
    EntityManager em;

    @Inject
    RoleService roles;

    @Inject
    PasswordHasher hasher;

    @Inject
    MailOutbox outbox;

    @Inject
    MailLinks links;

    @Inject
    Sessions sessions;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<CallerChanged> callerChanges;

    @Inject
    @ConfigProperty(name = "gatehouse.invitation.days")
    int invitationDays;

    /**
     * Invites the address with these roles; an earlier pending invitation of the address to this tenant is
     * revoked, so only the newest link works. 409 when the address's account is a member already.
     */
    @Transactional
    public InvitationResponse create(CallerView caller, NewInvitation request) {
        String email = Emails.normalize(request.email());
        List<Role> granted = roles.grantableRoles(caller, request.roleIds() == null ? List.of() : request.roleIds());
        boolean member = !em.createNativeQuery("""
                        select 1 from memberships m join users u on u.id = m.user_id
                        where lower(u.email) = ?1 and m.tenant_id = ?2""")
                .setParameter(1, email).setParameter(2, caller.tenantId()).getResultList().isEmpty();
        if (member) {
            throw new ProblemException(Status.CONFLICT, "already-member", "This person is a member of the tenant already.");
        }
        em.createNativeQuery("update invitations set revoked_at = now() where tenant_id = ?1 and email = ?2 and " + PENDING)
                .setParameter(1, caller.tenantId()).setParameter(2, email).executeUpdate();
        String token = RandomTokens.newToken();
        UUID id = Ids.newId();
        Instant now = Timestamps.now();
        Instant expires = now.plus(Duration.ofDays(invitationDays));
        em.createNativeQuery("""
                        insert into invitations (id, tenant_id, email, token_hash, invited_by, created_at, expires_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                .setParameter(1, id).setParameter(2, caller.tenantId()).setParameter(3, email)
                .setParameter(4, RandomTokens.sha256(token)).setParameter(5, caller.id()).setParameter(6, now)
                .setParameter(7, expires).executeUpdate();
        for (Role role : granted) {
            em.createNativeQuery("insert into invitation_roles (invitation_id, role_id) values (?1, ?2)")
                    .setParameter(1, id).setParameter(2, role.id()).executeUpdate();
        }
        String tenantName = em.find(Tenant.class, caller.tenantId()).summary().name();
        outbox.enqueue(email, "invitation", Map.of("inviter", caller.fullName(), "tenant", tenantName,
                "days", Integer.toString(invitationDays), "link", links.to("accept-invitation.html", token)));
        securityEvents.record(SecurityEvent.of(SecurityEventType.INVITATION_CREATED, caller.tenantId())
                .detail("invitation_id", id.toString())
                .detail("role_ids", granted.stream().map(r -> r.id().toString()).toList()));
        return new InvitationResponse(id, caller.tenantId(), email, granted.stream().map(Role::id).sorted().toList(),
                caller.id(), now, expires);
    }

    /** The tenant's pending invitations, newest first (one statement). */
    public List<InvitationResponse> pending(UUID tenantId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select i.id, i.email, i.invited_by, i.created_at, i.expires_at,
                               (select string_agg(cast(ir.role_id as text), ',' order by ir.role_id)
                                from invitation_roles ir where ir.invitation_id = i.id)
                        from invitations i where i.tenant_id = ?1 and i.%s
                        order by i.created_at desc""".formatted(PENDING.replace(" and ", " and i.")))
                .setParameter(1, tenantId).getResultList();
        return rows.stream().map(r -> new InvitationResponse((UUID) r[0], tenantId, (String) r[1],
                r[5] == null ? List.of() : Arrays.stream(((String) r[5]).split(",")).map(UUID::fromString).toList(),
                (UUID) r[2], instant(r[3]), instant(r[4]))).toList();
    }

    /** Revokes a pending invitation of the tenant: its link stops working. 404 for any other id. */
    @Transactional
    public void revoke(CallerView caller, UUID invitationId) {
        int revoked = em.createNativeQuery("update invitations set revoked_at = now() where id = ?1 and tenant_id = ?2 and "
                        + PENDING)
                .setParameter(1, invitationId).setParameter(2, caller.tenantId()).executeUpdate();
        if (revoked == 0) {
            throw ProblemException.notFound("Invitation");
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.INVITATION_REVOKED, caller.tenantId())
                .detail("invitation_id", invitationId.toString()));
    }

    /**
     * Uses up the invitation and makes the person a member with its roles: a new account (its email verified:
     * the link proves it) or the existing account of the address, which must present its password. Any
     * refusal after the token is used up rolls the transaction back, so the invitation stays pending.
     */
    @Transactional
    public Accepted accept(Acceptance acceptance, ClientInfo client) {
        @SuppressWarnings("unchecked")
        List<Object[]> used = em.createNativeQuery("""
                        update invitations i set accepted_at = now()
                        where i.token_hash = ?1 and i.%s
                          and exists (select 1 from tenants t where t.id = i.tenant_id and t.is_active)
                        returning i.id, i.tenant_id, i.email""".formatted(PENDING.replace(" and ", " and i.")))
                .setParameter(1, RandomTokens.sha256(acceptance.token())).getResultList();
        if (used.isEmpty()) {
            throw AccountTokens.invalidToken();
        }
        UUID invitationId = (UUID) used.getFirst()[0];
        UUID tenantId = (UUID) used.getFirst()[1];
        String email = (String) used.getFirst()[2];
        User user = em.createQuery("select u from User u where lower(u.email) = :email", User.class)
                .setParameter("email", email).getResultStream().findFirst().orElse(null);
        boolean created = user == null;
        if (created) {
            user = newAccount(email, acceptance);
        } else if (!user.active() || !hasher.verify(acceptance.password(), user.passwordHash())) {
            throw new ProblemException(Status.UNAUTHORIZED, "invalid-credentials",
                    "This address has an account: accept with its password.");
        } else if (em.find(Membership.class, new Membership.Key(user.id(), tenantId)) != null) {
            throw new ProblemException(Status.CONFLICT, "already-member", "You are a member of this tenant already.");
        }
        if (!user.emailVerified()) {
            user.changeEmailVerified(email);
        }
        Membership membership = new Membership(user.id(), tenantId, false);
        em.persist(membership);
        List<Object[]> granted = grantRoles(invitationId, user.id());
        em.createNativeQuery("update invitations set accepted_by = ?2 where id = ?1")
                .setParameter(1, invitationId).setParameter(2, user.id()).executeUpdate();
        callerChanges.fire(CallerChanged.user(user.id()));
        if (created) {
            securityEvents.record(SecurityEvent.of(SecurityEventType.USER_CREATED, tenantId).actor(user.id())
                    .subjectUser(user.id()).detail("via", "invitation"));
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.INVITATION_ACCEPTED, tenantId).actor(user.id())
                .subjectUser(user.id()).detail("invitation_id", invitationId.toString()));
        TokenResponse tokens = sessions.start(user.id(), tenantId, user.tokenVersion(),
                granted.stream().map(r -> (String) r[1]).toList(), client, null, "pwd");
        return new Accepted(user.toResponse(membership), tokens.accessToken(), tokens.refreshToken(), tokens.tokenType(),
                tokens.expiresIn(), em.find(Tenant.class, tenantId).summary());
    }

    private User newAccount(String email, Acceptance acceptance) {
        if (acceptance.fullName() == null) {
            throw ProblemException.invalidField("full_name", "is needed for a new account");
        }
        int length = acceptance.password().length();
        if (length < PasswordPolicy.MIN_LENGTH || length > PasswordPolicy.MAX_LENGTH) {
            throw ProblemException.invalidField("password", "size must be between " + PasswordPolicy.MIN_LENGTH
                    + " and " + PasswordPolicy.MAX_LENGTH);
        }
        User user = new User(email, hasher.hash(acceptance.password()), acceptance.fullName().strip());
        user.changeEmailVerified(email);
        em.persist(user);
        em.flush(); // a concurrent sign-up with the same email fails here, as a 409
        return user;
    }

    /** The invitation's roles (those not deleted since), given to the user; answers their ids and names. */
    private List<Object[]> grantRoles(UUID invitationId, UUID userId) {
        @SuppressWarnings("unchecked")
        List<Object[]> granted = em.createNativeQuery("""
                        select r.id, r.name from invitation_roles ir join roles r on r.id = ir.role_id
                        where ir.invitation_id = ?1""")
                .setParameter(1, invitationId).getResultList();
        for (Object[] role : granted) {
            em.persist(new UserRole(userId, (UUID) role[0]));
        }
        return granted;
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case Instant instant -> instant;
            case OffsetDateTime dateTime -> dateTime.toInstant();
            case Timestamp timestamp -> timestamp.toInstant();
            default -> throw new IllegalStateException("Not a timestamp: " + value.getClass());
        };
    }
}
