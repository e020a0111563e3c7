package dev.gatehouse.users;

import dev.gatehouse.access.RoleService;
import dev.gatehouse.caller.CallerChanged;
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

    @Transactional
    public UserResponse create(UUID tenantId, NewUser request) {
        String email = Emails.normalize(request.email());
        String passwordHash = hasher.hash(request.password());
        if (queries.emailTaken(tenantId, email, null)) {
            throw emailTaken();
        }
        User user = new User(em.getReference(Tenant.class, tenantId), email, passwordHash, request.fullName().strip(),
                Boolean.TRUE.equals(request.isSuperuser()));
        em.persist(user);
        em.flush(); // a concurrent insert of the same email fails here, as a 409 (ProblemExceptionMappers)
        return user.toResponse();
    }

    @Transactional
    public UserResponse update(UUID tenantId, UUID userId, UserUpdate update) {
        User user = toChange(tenantId, userId);
        if (update.email() != null) {
            String email = Emails.normalize(update.email());
            if (!email.equals(user.email()) && queries.emailTaken(tenantId, email, userId)) {
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
    public UserResponse setActive(UUID tenantId, UUID userId, boolean active, UUID actingUserId) {
        User user = toChange(tenantId, userId);
        if (active) {
            user.activate();
        } else {
            if (userId.equals(actingUserId)) {
                throw new ProblemException(Status.CONFLICT, "cannot-deactivate-self", "You cannot deactivate your own account.");
            }
            if (user.active() && roles.isLastActiveAdmin(tenantId, userId)) {
                throw new ProblemException(Status.CONFLICT, "last-admin", "The tenant must keep at least one active admin.");
            }
            user.deactivate();
            sessionRevocations.fire(new AllSessionsRevoked(userId));
        }
        return user.toResponse();
    }

    /** A new password ends every session of the user, this one included: they sign in again. */
    @Transactional
    public void changePassword(UUID tenantId, UUID userId, PasswordChange change) {
        User user = toChange(tenantId, userId);
        if (!hasher.verify(change.currentPassword(), user.passwordHash())) {
            throw new ProblemException(Status.BAD_REQUEST, "invalid-current-password", "The current password is not correct.");
        }
        user.changePassword(hasher.hash(change.newPassword()));
        sessionRevocations.fire(new AllSessionsRevoked(userId));
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
