package dev.gatehouse.users;

import dev.gatehouse.access.RoleService;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.caller.CallerView;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.tenants.Tenant;
import dev.gatehouse.users.UserRecords.NewUser;
import dev.gatehouse.users.UserRecords.PasswordChange;
import dev.gatehouse.users.UserRecords.UserUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.util.UUID;

/** Changes to users: by tenant admins within their tenant, and by users to their own account. */
@ApplicationScoped
public class UserService {

    @Inject
    EntityManager em;

    @Inject
    UserQueries queries;

    @Inject
    PasswordHasher hasher;

    @Inject
    RoleService roles;

    @Inject
    Event<CallerChanged> callerChanges;

    @Inject
    Event<AllSessionsRevoked> sessionRevocations;

    /** A tenant admin adds a user; only a superuser adds a superuser. */
    @Transactional
    public UserResponse create(CallerView caller, NewUser request) {
        boolean superuser = Boolean.TRUE.equals(request.isSuperuser());
        if (superuser && !caller.superuser()) {
            throw new ProblemException(Status.FORBIDDEN, "privilege-escalation", "Only a superuser can add a superuser.");
        }
        String email = Emails.normalize(request.email());
        String passwordHash = hasher.hash(request.password());
        if (queries.emailTaken(caller.tenantId(), email, null)) {
            throw emailTaken();
        }
        User user = new User(em.getReference(Tenant.class, caller.tenantId()), email, passwordHash,
                request.fullName().strip(), superuser);
        em.persist(user);
        em.flush(); // a concurrent insert of the same email fails here, as a 409 (ProblemExceptionMappers)
        return user.toResponse();
    }

    /** A tenant admin changes a user of their tenant, who holds no permission the admin does not hold. */
    @Transactional
    public UserResponse update(CallerView caller, UUID userId, UserUpdate update) {
        return applyUpdate(toChange(caller, userId), update);
    }

    /** The caller changes their own profile. */
    @Transactional
    public UserResponse updateOwn(CallerView caller, UserUpdate update) {
        return applyUpdate(toChange(caller.tenantId(), caller.id()), update);
    }

    private UserResponse applyUpdate(User user, UserUpdate update) {
        if (update.email() != null) {
            String email = Emails.normalize(update.email());
            if (!email.equals(user.email()) && queries.emailTaken(user.tenantId(), email, user.id())) {
                throw emailTaken();
            }
            user.changeEmail(email);
        }
        if (update.fullName() != null) {
            user.changeFullName(update.fullName().strip());
        }
        em.flush(); // a concurrent change to the same email fails here, as a 409
        return user.toResponse();
    }

    /** Deactivation takes effect at once: access tokens are refused from the next request, sessions end. */
    @Transactional
    public UserResponse setActive(CallerView caller, UUID userId, boolean active) {
        User user = toChange(caller, userId);
        if (active) {
            user.activate();
        } else {
            if (userId.equals(caller.id())) {
                throw new ProblemException(Status.CONFLICT, "cannot-deactivate-self", "You cannot deactivate your own account.");
            }
            if (user.active() && roles.isLastActiveAdmin(caller.tenantId(), userId)) {
                throw new ProblemException(Status.CONFLICT, "last-admin", "The tenant must keep at least one active admin.");
            }
            user.deactivate();
            sessionRevocations.fire(new AllSessionsRevoked(userId));
        }
        return user.toResponse();
    }

    /** A new password ends every session of the user, this one included: they sign in again. */
    @Transactional
    public void changeOwnPassword(CallerView caller, PasswordChange change) {
        User user = toChange(caller.tenantId(), caller.id());
        if (!hasher.verify(change.currentPassword(), user.passwordHash())) {
            throw new ProblemException(Status.BAD_REQUEST, "invalid-current-password", "The current password is not correct.");
        }
        user.changePassword(hasher.hash(change.newPassword()));
        sessionRevocations.fire(new AllSessionsRevoked(caller.id()));
    }

    /** Another user an admin changes: refused (403) when they hold more than the admin. */
    private User toChange(CallerView caller, UUID userId) {
        UserToChange target = queries.findToChange(userId, caller.tenantId())
                .orElseThrow(() -> ProblemException.notFound("User"));
        caller.requireMayChange("a user", target.user().superuser(), target.permissions());
        callerChanges.fire(CallerChanged.user(userId));
        return target.user();
    }

    /** The user this transaction changes, announced so that their cached caller view goes when it commits. */
    private User toChange(UUID tenantId, UUID userId) {
        User user = queries.findInTenant(userId, tenantId).orElseThrow(() -> ProblemException.notFound("User"));
        callerChanges.fire(CallerChanged.user(userId));
        return user;
    }

    private static ProblemException emailTaken() {
        return new ProblemException(Status.CONFLICT, "email-taken", "Another user of this tenant has this email.");
    }
}
