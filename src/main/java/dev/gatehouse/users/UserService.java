package dev.gatehouse.users;

import dev.gatehouse.access.RoleAssignments;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.tenants.Membership;
import dev.gatehouse.users.UserRecords.NewUser;
import dev.gatehouse.users.UserRecords.OwnUserUpdate;
import dev.gatehouse.users.UserRecords.PasswordChange;
import dev.gatehouse.users.UserRecords.UserUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Changes to accounts and memberships: tenant admins manage memberships in their tenant (never an account
 * that also belongs to another tenant), and people change their own account.
 */
@ApplicationScoped
public class UserService {

    @Inject
    EntityManager em;

    @Inject
    UserQueries queries;

    @Inject
    PasswordHasher hasher;

    @Inject
    RoleAssignments roles;

    @Inject
    Event<CallerChanged> callerChanges;

    @Inject
    Event<AllSessionsRevoked> sessionRevocations;

    @Inject
    Event<MembershipSessionsRevoked> membershipRevocations;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    AccountMails mails;

    @Inject
    AccountChanges accounts;

    /**
     * A tenant admin adds a person: a new account and its membership. An email that has an account already
     * is 409: no admin attaches an existing person to a tenant without their consent. Only a superuser adds
     * a superuser.
     */
    @Transactional
    public UserResponse create(CallerView caller, NewUser request) {
        boolean superuser = Boolean.TRUE.equals(request.isSuperuser());
        if (superuser && !caller.superuser()) {
            throw new ProblemException(ProblemType.PRIVILEGE_ESCALATION, "Only a superuser can add a superuser.");
        }
        String email = Emails.normalize(request.email());
        String passwordHash = hasher.hash(request.password());
        if (queries.emailTaken(email, null)) {
            throw new ProblemException(ProblemType.EMAIL_TAKEN, "A person with this email has a Gatehouse"
                    + " account already. An admin cannot add an existing account: invite the person instead"
                    + " (POST /api/v1/invitations), and they join this tenant by accepting.");
        }
        User user = new User(email, passwordHash, request.fullName().strip());
        em.persist(user);
        Membership membership = new Membership(user.id(), caller.tenantId(), superuser);
        em.persist(membership);
        em.flush(); // a concurrent insert of the same email fails here, as a 409 (ProblemExceptionMappers)
        securityEvents.record(SecurityEvent.of(SecurityEventType.USER_CREATED, caller.tenantId())
                .subjectUser(user.id()).detail("email", email));
        if (superuser) {
            securityEvents.record(SecurityEvent.of(SecurityEventType.SUPERUSER_GRANTED, caller.tenantId()).subjectUser(user.id()));
        }
        mails.sendVerification(user, caller.tenantId());
        return user.toResponse(membership);
    }

    /**
     * A tenant admin changes a member who holds no permission the admin does not hold. Name and email are the
     * person's own: an admin changes them only for an account that belongs to no other tenant, or one of a
     * domain the tenant proved.
     */
    @Transactional
    public UserResponse update(CallerView caller, UUID userId, UserUpdate update) {
        UserToChange target = accounts.memberToChange(caller, userId);
        Member member = target.member();
        User user = member.user();
        List<String> changed = new ArrayList<>();
        String email = newEmail(user, update.email());
        if (update.email() != null || update.fullName() != null) {
            accounts.requireAccountChangeable(target, email);
        }
        if (email != null) {
            if (queries.emailTaken(email, user.id())) {
                throw new ProblemException(ProblemType.EMAIL_TAKEN, "Another account has this email.");
            }
            user.changeEmail(email); // unverified until the link mailed to it is followed
            changed.add("email");
        }
        changeFullName(user, update.fullName(), changed);
        em.flush(); // a concurrent change to the same email fails here, as a 409
        if (email != null) {
            mails.sendVerification(user, caller.tenantId());
        }
        recordChanged(caller, user, changed);
        return member.toResponse();
    }

    /**
     * The caller changes their own account (seen from every tenant). A new email, for which the caller has
     * presented the current password ({@link PasswordConfirmation}), takes effect only when the link mailed to
     * it is followed; the answer is the same whether another account has the address (whose owner is told by
     * mail instead) or not, so that it tells nobody which addresses have accounts. The name changes at once.
     */
    @Transactional
    public UserResponse updateOwn(CallerView caller, OwnUserUpdate update) {
        Member member = own(caller);
        User user = member.user();
        String email = newEmail(user, update.email());
        if (email != null) {
            Optional<User> owner = queries.findByEmail(email);
            if (owner.isPresent()) {
                mails.sendEmailInUseNotice(owner.get());
                securityEvents.record(SecurityEvent.of(SecurityEventType.EMAIL_CHANGE_REQUESTED, caller.tenantId())
                        .subjectUser(user.id()));
            } else {
                mails.sendEmailChange(user, email, caller.tenantId());
            }
        }
        List<String> changed = new ArrayList<>();
        changeFullName(user, update.fullName(), changed);
        if (!changed.isEmpty()) {
            accounts.recordInEveryTenant(user.id(), tenantId -> SecurityEvent.of(SecurityEventType.USER_CHANGED, tenantId)
                    .subjectUser(user.id()).detail("fields", changed));
        }
        return member.toResponse();
    }

    /** Whether changing the caller's email to this one is a change (the current password is needed then). */
    public static boolean changesEmail(CallerView caller, String requested) {
        return requested != null && !Emails.normalize(requested).equals(caller.email());
    }

    private static void changeFullName(User user, String fullName, List<String> changed) {
        if (fullName != null) {
            if (!fullName.strip().equals(user.fullName())) {
                changed.add("full_name");
            }
            user.changeFullName(fullName.strip());
        }
    }

    private void recordChanged(CallerView caller, User user, List<String> changed) {
        if (!changed.isEmpty()) {
            securityEvents.record(SecurityEvent.of(SecurityEventType.USER_CHANGED, caller.tenantId())
                    .subjectUser(user.id()).detail("fields", changed));
        }
    }

    /** The normalised new email, or null when it is not given or not new. */
    private static String newEmail(User user, String requested) {
        if (requested == null) {
            return null;
        }
        String email = Emails.normalize(requested);
        return email.equals(user.email()) ? null : email;
    }

    /**
     * Activates or deactivates the membership, in this tenant only. Deactivation takes effect at once: the
     * person's access tokens for this tenant are refused from the next request, their sessions here end.
     */
    @Transactional
    public UserResponse setActive(CallerView caller, UUID userId, boolean active) {
        Member member = accounts.memberToChange(caller, userId).member();
        Membership membership = member.membership();
        if (active) {
            membership.activate();
        } else {
            if (userId.equals(caller.id())) {
                throw new ProblemException(ProblemType.CANNOT_DEACTIVATE_SELF, "You cannot deactivate your own account.");
            }
            if (membership.active() && roles.isLastActiveAdmin(caller.tenantId(), userId)) {
                throw new ProblemException(ProblemType.LAST_ADMIN, "The tenant must keep at least one active admin.");
            }
            membership.deactivate();
            membershipRevocations.fire(new MembershipSessionsRevoked(userId, caller.tenantId()));
        }
        securityEvents.record(SecurityEvent.of(active ? SecurityEventType.USER_ACTIVATED : SecurityEventType.USER_DEACTIVATED,
                caller.tenantId()).subjectUser(userId));
        return member.toResponse();
    }

    /**
     * A new password, the current one presented ({@link PasswordConfirmation}): it ends every session of the
     * account, in every tenant, this one included (they sign in again), and every artefact made before it.
     */
    @Transactional
    public void changeOwnPassword(CallerView caller, PasswordChange change) {
        User user = own(caller).user();
        user.changePassword(hasher.hash(change.newPassword()));
        sessionRevocations.fire(new AllSessionsRevoked(caller.id()));
        accounts.recordInEveryTenant(caller.id(), tenantId -> SecurityEvent.of(SecurityEventType.PASSWORD_CHANGED, tenantId)
                .subjectUser(caller.id()));
    }

    /** The caller's own account, announced so that its cached caller views go when this transaction commits. */
    private Member own(CallerView caller) {
        Member member = queries.findInTenant(caller.id(), caller.tenantId())
                .orElseThrow(() -> ProblemException.notFound("User"));
        callerChanges.fire(CallerChanged.user(caller.id()));
        return member;
    }
}
