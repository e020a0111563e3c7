package dev.gatehouse.sso;

import dev.gatehouse.access.UserRole;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.SignInResult;
import dev.gatehouse.signin.AccountMemberships;
import dev.gatehouse.signin.AuthRecords.MfaChallenge;
import dev.gatehouse.signin.LoginCandidate;
import dev.gatehouse.signin.MfaSignIn;
import dev.gatehouse.tenants.Membership;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.User;
import dev.gatehouse.users.UserQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The account and membership of an identity a tenant's IdP vouched for, found or made, and its session, in one
 * transaction. An IdP is trusted for addresses of the domains its tenant proved, and nothing else: only such an
 * address makes an account, links an existing one (whose owner verified the address), or makes a membership
 * (just in time, with the connection's default roles and those of the person's groups). An identity linked before
 * signs in to its membership of the connection's tenant as long as that is active: a deactivated membership (by
 * an admin or the directory) is a leaver, refused.
 */
@ApplicationScoped
public class SsoAccounts {

    private static final int MAX_NAME = 255;

    @Inject
    EntityManager em;

    @Inject
    TenantDomains domains;

    @Inject
    UserQueries users;

    @Inject
    AccountMemberships memberships;

    @Inject
    MfaSignIn mfaSignIn;

    @Inject
    Sessions sessions;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<CallerChanged> callerChanges;

    @Transactional(dontRollbackOn = ProblemException.class) // a refusal's event stays
    public SignInResult signIn(SsoConnection connection, VerifiedIdentity identity, ClientInfo client) {
        String email = identity.email() == null ? null : Emails.normalize(identity.email());
        boolean domainOfTenant = email != null && domains.ownerOfEmail(email)
                .filter(owner -> owner.tenantId().equals(connection.tenantId())).isPresent();
        UUID userId = linkedAccount(connection.id(), identity.subject());
        if (userId == null) {
            if (!domainOfTenant) {
                throw refused(connection, identity, "domain_not_proved", "The address " + (email == null ? "(none)" : email)
                        + " is not in a domain this organisation proved, so its identity provider cannot sign it in.");
            }
            userId = accountFor(connection, identity, email);
            em.createNativeQuery("insert into sso_identities (connection_id, subject, user_id, created_at) values (?1, ?2, ?3, now())")
                    .setParameter(1, connection.id()).setParameter(2, identity.subject()).setParameter(3, userId).executeUpdate();
            securityEvents.record(SecurityEvent.of(SecurityEventType.OAUTH_IDENTITY_LINKED, connection.tenantId())
                    .actor(userId).subjectUser(userId).detail("provider", "sso:" + connection.id()));
        }
        if (em.find(Membership.class, new Membership.Key(userId, connection.tenantId())) == null) {
            if (!domainOfTenant) {
                throw refused(connection, identity, "not_a_member", "This account is not a member of the organisation.");
            }
            join(connection, identity, userId);
        }
        em.flush();
        UUID member = userId;
        LoginCandidate membership = memberships.ofAccount(userId).stream()
                .filter(m -> m.tenant().id().equals(connection.tenantId())).findFirst().orElseThrow();
        if (!membership.usable()) {
            throw refused(connection, identity, "inactive", "This account is deactivated in the organisation.");
        }
        boolean idpMfaCounts = connection.trustIdpMfa() && identity.secondFactorAtIdp();
        if (!idpMfaCounts) {
            MfaChallenge challenge = mfaSignIn.challengeFor(membership, "");
            if (challenge != null) {
                return challenge;
            }
        }
        securityEvents.record(SecurityEvent.of(SecurityEventType.SSO_SIGN_IN_SUCCEEDED, connection.tenantId())
                .actor(member).subjectUser(member).detail("connection", connection.id().toString())
                .detail("idp_mfa", idpMfaCounts));
        return sessions.start(member, connection.tenantId(), membership.tokenVersion(), membership.roles(), client, null,
                idpMfaCounts ? "mfa" : "");
    }

    private UUID linkedAccount(UUID connectionId, String subject) {
        List<?> rows = em.createNativeQuery("select user_id from sso_identities where connection_id = ?1 and subject = ?2")
                .setParameter(1, connectionId).setParameter(2, subject).getResultList();
        return rows.isEmpty() ? null : (UUID) rows.getFirst();
    }

    /**
     * The account of the address: an existing one when its owner verified the address, or when nobody can sign in
     * to it (no password, no OAuth link: made by the tenant's directory over SCIM), whose address the domain's proof
     * now verifies. Not an unverified account with a password: it may be someone's pre-registration of the
     * address, whose password would then open the person's sign-in. Else a new one, password-less, its email
     * verified by the tenant's proof of the domain.
     */
    private UUID accountFor(SsoConnection connection, VerifiedIdentity identity, String email) {
        User existing = users.findByEmail(email).orElse(null);
        if (existing != null) {
            if (!existing.emailVerified()) {
                if (existing.passwordHash() != null || existing.oauthProvider() != null) {
                    throw refused(connection, identity, "email_not_verified", "An account with this address exists but"
                            + " has not verified it: verify it from the mail Gatehouse sent, then sign in again.");
                }
                existing.changeEmailVerified(email);
                callerChanges.fire(CallerChanged.user(existing.id()));
            }
            return existing.id();
        }
        User user = User.fromOAuth(email, nameOf(identity, email), null, null, true);
        em.persist(user);
        em.flush(); // a concurrent first sign-in of the same address fails here
        securityEvents.record(SecurityEvent.of(SecurityEventType.USER_CREATED, connection.tenantId()).actor(user.id())
                .subjectUser(user.id()).detail("email", email).detail("method", "sso"));
        return user.id();
    }

    /** Just-in-time membership: the default roles and those of the person's groups that still exist in the tenant. */
    private void join(SsoConnection connection, VerifiedIdentity identity, UUID userId) {
        em.persist(new Membership(userId, connection.tenantId(), false));
        Set<UUID> roleIds = new LinkedHashSet<>(connection.defaultRoleIds());
        for (String group : identity.groups()) {
            roleIds.addAll(connection.groupRoles().getOrDefault(group, List.of()));
        }
        List<UUID> existing = roleIds.isEmpty() ? List.of() : em.createQuery(
                        "select r.id from Role r where r.tenantId = :tenant and r.id in :ids", UUID.class)
                .setParameter("tenant", connection.tenantId()).setParameter("ids", roleIds).getResultList();
        em.flush(); // the membership before its roles
        existing.forEach(roleId -> em.persist(new UserRole(userId, roleId)));
        securityEvents.record(SecurityEvent.of(SecurityEventType.SSO_MEMBERSHIP_CREATED, connection.tenantId())
                .actor(userId).subjectUser(userId).detail("connection", connection.id().toString())
                .detail("roles", existing.stream().map(UUID::toString).sorted().toList()));
    }

    private ProblemException refused(SsoConnection connection, VerifiedIdentity identity, String reason, String detail) {
        securityEvents.record(SecurityEvent.of(SecurityEventType.SSO_SIGN_IN_REFUSED, connection.tenantId()).actor(null)
                .failed().detail("connection", connection.id().toString()).detail("reason", reason));
        return new ProblemException(ProblemType.SSO_REFUSED, detail);
    }

    private static String nameOf(VerifiedIdentity identity, String email) {
        String name = identity.name() == null || identity.name().isBlank() ? email.substring(0, email.indexOf('@'))
                : identity.name().strip();
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME);
    }
}
