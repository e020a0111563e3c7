package dev.gatehouse.invitations;

import dev.gatehouse.access.Role;
import dev.gatehouse.access.RoleService;
import dev.gatehouse.access.UserRole;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.caller.Permissions;
import dev.gatehouse.invitations.InvitationRecords.Acceptance;
import dev.gatehouse.invitations.InvitationRecords.Accepted;
import dev.gatehouse.invitations.InvitationRecords.InvitationResponse;
import dev.gatehouse.invitations.InvitationRecords.NewInvitation;
import dev.gatehouse.lockout.LoginAttempts;
import dev.gatehouse.mail.MailLinks;
import dev.gatehouse.mail.MailOutbox;
import dev.gatehouse.mail.RecipientLimits;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.RandomTokens;
import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.platform.http.RetryLater;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.signin.AccountMemberships;
import dev.gatehouse.signin.AuthRecords.MfaChallenge;
import dev.gatehouse.signin.LoginCandidate;
import dev.gatehouse.signin.MfaSignIn;
import dev.gatehouse.tenants.Membership;
import dev.gatehouse.tenants.TenantSummary;
import dev.gatehouse.users.AccountTokens;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.PasswordHasher;
import dev.gatehouse.users.PasswordPolicy;
import dev.gatehouse.users.User;
import dev.gatehouse.users.UserResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Invitations into a tenant (tables invitations, invitation_roles). An admin invites an address with roles
 * they may hand out; the mail's link (a one-time token, stored as its SHA-256) lets the person accept: a new
 * account with the password they choose, their existing account by its password, or (package oauth) an
 * identity whose provider verified the invited address. The invitation is used up by one UPDATE ...
 * RETURNING, so of two concurrent acceptances one succeeds.
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
    RoleService roles;

    @Inject
    PasswordHasher hasher;

    @Inject
    LoginAttempts attempts;

    @Inject
    MailOutbox outbox;

    @Inject
    MailLinks links;

    @Inject
    RecipientLimits recipientLimits;

    @Inject
    Sessions sessions;

    @Inject
    AccountMemberships memberships;

    @Inject
    MfaSignIn mfaSignIn;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<CallerChanged> callerChanges;

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
            throw new ProblemException(Status.CONFLICT, "already-member", "This person is a member of the tenant already.");
        }
        em.createNativeQuery("update invitations set revoked_at = now() where tenant_id = ?1 and email = ?2 and " + pendingIn(""))
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
                caller.id(), now, expires);
    }

    /**
     * The tenant's name, once its invitations of the last 24 hours are fewer than gatehouse.invitation.per-tenant-per-day;
     * otherwise 429 {@code invitation-limit} with Retry-After: when the oldest of them turns a day old. One
     * statement, which locks the tenant's row until the transaction ends, so concurrent invitations of one
     * tenant are counted one after the other and cannot overshoot the budget together.
     */
    private String tenantNameWithinBudget(UUID tenantId) {
        Object[] row = (Object[]) em.createNativeQuery("""
                        select t.name,
                               (select i.created_at from invitations i
                                where i.tenant_id = t.id and i.created_at > now() - interval '1 day'
                                order by i.created_at desc offset ?2 limit 1)
                        from tenants t where t.id = ?1 for update of t""")
                .setParameter(1, tenantId).setParameter(2, invitationsPerDay - 1).getSingleResult();
        if (row[1] != null) {
            Instant budgetBack = Timestamps.instant(row[1]).plus(Duration.ofDays(1));
            throw new RetryLater(Status.TOO_MANY_REQUESTS, "invitation-limit", "This tenant has sent its "
                    + invitationsPerDay + " invitations of the last 24 hours. Try again later.",
                    Duration.between(Timestamps.now(), budgetBack).toSeconds() + 1);
        }
        return (String) row[0];
    }

    /** The tenant's pending invitations, newest first (one statement). */
    public List<InvitationResponse> pending(UUID tenantId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select i.id, i.email, i.invited_by, i.created_at, i.expires_at,
                               (select string_agg(cast(ir.role_id as text), ',' order by ir.role_id)
                                from invitation_roles ir where ir.invitation_id = i.id)
                        from invitations i where i.tenant_id = ?1 and %s
                        order by i.created_at desc""".formatted(pendingIn("i.")))
                .setParameter(1, tenantId).getResultList();
        return rows.stream().map(r -> new InvitationResponse((UUID) r[0], tenantId, (String) r[1],
                r[5] == null ? List.of() : Arrays.stream(((String) r[5]).split(",")).map(UUID::fromString).toList(),
                (UUID) r[2], Timestamps.instant(r[3]), Timestamps.instant(r[4]))).toList();
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

    /**
     * The first step of POST /invitations/accept, before its transaction: when the invited address has an
     * account, the password presented must be its own. Counted like a login's ({@link LoginAttempts}), so the
     * count survives the refusal that rolls the acceptance back, and checked with no connection held during
     * the hash. Answers the account whose password it is, or null when the address has no account (or the
     * token names no pending invitation, which {@link #accept} then refuses).
     */
    public UUID proveExistingAccount(Acceptance acceptance) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select u.id, u.email, u.password_hash, u.is_active, i.tenant_id
                        from invitations i join users u on lower(u.email) = i.email
                        where i.token_hash = ?1 and %s""".formatted(pendingIn("i.")))
                .setParameter(1, RandomTokens.sha256(acceptance.token())).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] row = rows.getFirst();
        UUID userId = (UUID) row[0];
        String passwordHash = (String) row[2];
        LoginAttempts.Attempt attempt = attempts.claim(Emails.normalize((String) row[1]));
        attempt.requireAllowed();
        boolean matches = attempts.check(attempt, () -> passwordHash == null // made by an OAuth sign-in: its provider
                ? hasher.verifyDecoy(acceptance.password()) : hasher.verify(acceptance.password(), passwordHash));
        if (!matches || !(Boolean) row[3]) {
            attempts.failed(attempt, SecurityEvent.of(SecurityEventType.LOGIN_FAILED, (UUID) row[4]).actor(null)
                    .subjectUser(userId).failed().detail("reason", "invitation_password"));
            throw new ProblemException(Status.UNAUTHORIZED, "invalid-credentials",
                    "This address has an account: accept with its password.");
        }
        attempts.succeeded(attempt);
        return userId;
    }

    /**
     * POST /invitations/accept: uses up the invitation and makes the person a member with its roles: a new
     * account (its email verified: the link proves it) or the existing account of the address, whose password
     * {@link #proveExistingAccount} checked ({@code provenAccount}). Any refusal after the token is used up
     * rolls the transaction back, so the invitation stays pending.
     */
    @Transactional
    public Accepted accept(Acceptance acceptance, UUID provenAccount, ClientInfo client) {
        Invited invited = use(RandomTokens.sha256(acceptance.token())).orElseThrow(AccountTokens::invalidToken);
        User user = em.createQuery("select u from User u where lower(u.email) = :email", User.class)
                .setParameter("email", invited.email()).getResultStream().findFirst().orElse(null);
        boolean created = user == null;
        if (created) {
            user = newAccount(invited.email(), acceptance);
        } else if (!user.id().equals(provenAccount)) { // the account appeared after the first step
            throw new ProblemException(Status.UNAUTHORIZED, "invalid-credentials",
                    "This address has an account: accept with its password.");
        }
        Joined joined = join(invited, user, created, client, "pwd");
        return joined.signIn() instanceof MfaChallenge challenge
                ? Accepted.challenged(joined.user(), challenge, joined.tenant())
                : Accepted.signedIn(joined.user(), (TokenResponse) joined.signIn(), joined.tenant());
    }

    /** A pending invitation, used up by {@link #use}. */
    public record Invited(UUID id, UUID tenantId, String email) {
    }

    /**
     * What joining answers: the member as the tenant sees them, the tenant, the account's usable tenants, and
     * the session, or the second factor due first.
     */
    public record Joined(UserResponse user, TenantSummary tenant, List<TenantSummary> tenants, SignInResult signIn) {
    }

    /**
     * Uses up the pending invitation with this token hash, in one statement (of two concurrent uses one gets
     * it); empty when it is unknown, used, revoked, expired or its tenant is inactive. Call it in the
     * transaction that then joins: a refusal after it rolls back and leaves the invitation pending.
     */
    public Optional<Invited> use(byte[] tokenHash) {
        @SuppressWarnings("unchecked")
        List<Object[]> used = em.createNativeQuery("""
                        update invitations i set accepted_at = now()
                        where i.token_hash = ?1 and %s
                          and exists (select 1 from tenants t where t.id = i.tenant_id and t.is_active)
                        returning i.id, i.tenant_id, i.email""".formatted(pendingIn("i.")))
                .setParameter(1, tokenHash).getResultList();
        return used.stream().findFirst().map(row -> new Invited((UUID) row[0], (UUID) row[1], (String) row[2]));
    }

    /**
     * Makes the account (the invited address proven, by the mail's link) a member with the invitation's
     * roles, then starts its session in the tenant, or answers the second factor due first: the account's
     * own, or the one the tenant requires of these roles. {@code amr}: how the person proved who they are.
     */
    public Joined join(Invited invited, User user, boolean created, ClientInfo client, String amr) {
        if (!user.active()) {
            throw new ProblemException(Status.FORBIDDEN, "account-inactive", "This account is deactivated.");
        }
        if (!created && em.find(Membership.class, new Membership.Key(user.id(), invited.tenantId())) != null) {
            throw new ProblemException(Status.CONFLICT, "already-member", "You are a member of this tenant already.");
        }
        if (!user.emailVerified() && user.email().equals(invited.email())) {
            user.changeEmailVerified(invited.email());
        }
        Membership membership = new Membership(user.id(), invited.tenantId(), false);
        em.persist(membership);
        grantRoles(invited.id(), user.id());
        em.createNativeQuery("update invitations set accepted_by = ?2 where id = ?1")
                .setParameter(1, invited.id()).setParameter(2, user.id()).executeUpdate();
        callerChanges.fire(CallerChanged.user(user.id()));
        if (created) {
            securityEvents.record(SecurityEvent.of(SecurityEventType.USER_CREATED, invited.tenantId()).actor(user.id())
                    .subjectUser(user.id()).detail("via", "invitation"));
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.INVITATION_ACCEPTED, invited.tenantId()).actor(user.id())
                .subjectUser(user.id()).detail("invitation_id", invited.id().toString()));
        em.flush(); // the memberships query below reads the new membership and its roles
        List<LoginCandidate> all = memberships.ofAccount(user.id());
        LoginCandidate joined = all.stream().filter(m -> m.tenant().id().equals(invited.tenantId())).findFirst().orElseThrow();
        MfaChallenge challenge = mfaSignIn.challengeFor(joined, amr);
        SignInResult signIn = challenge != null ? challenge : sessions.start(user.id(), invited.tenantId(),
                user.tokenVersion(), joined.roles(), client, null, amr);
        return new Joined(user.toResponse(membership), joined.tenant(), AccountMemberships.usableTenants(all), signIn);
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

    /** The invitation's roles (those not deleted since), given to the user. */
    private void grantRoles(UUID invitationId, UUID userId) {
        @SuppressWarnings("unchecked")
        List<UUID> granted = em.createNativeQuery("select ir.role_id from invitation_roles ir where ir.invitation_id = ?1")
                .setParameter(1, invitationId).getResultList();
        for (UUID roleId : granted) {
            em.persist(new UserRole(userId, roleId));
        }
    }
}
