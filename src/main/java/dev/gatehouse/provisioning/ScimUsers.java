package dev.gatehouse.provisioning;

import dev.gatehouse.access.RoleAssignments;
import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.caller.CallerChanged;
import dev.gatehouse.tenants.Membership;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.MembershipSessionsRevoked;
import dev.gatehouse.users.User;
import dev.gatehouse.users.UserQueries;
import dev.gatehouse.users.UserToChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a directory does to the tenant's members (docs/provisioning.md, "Semantics"). A provisioned user is a
 * membership: creating one makes the account, or links the existing account of that email when its email is
 * verified (an unverified one may be someone else's claim on the address: 409); deactivating or deleting one
 * ends that membership's sessions, as an admin's deactivation does (MembershipSessionsRevoked), so every
 * instance refuses its access tokens on their next request. Name and email are the account's: a directory
 * changes them only for an account that belongs to no other tenant (400 mutability otherwise). Every change
 * is a security event naming the directory (its token's id).
 */
@ApplicationScoped
public class ScimUsers {

    /** No account: the externalId check of a new one excludes nobody. */
    private static final UUID NOBODY = new UUID(0, 0);

    @Inject
    EntityManager em;

    @Inject
    UserQueries queries;

    @Inject
    ScimMembers members;

    @Inject
    RoleAssignments roles;

    @Inject
    SecurityEvents securityEvents;

    @Inject
    Event<MembershipSessionsRevoked> membershipRevocations;

    @Inject
    Event<CallerChanged> callerChanges;

    @Transactional
    public ScimUser create(ScimDirectory directory, ScimUser request) {
        UUID tenantId = directory.tenantId();
        requireFullNameFits(request);
        Optional<User> existing = queries.findByEmail(request.userName());
        UUID userId = existing.map(User::id).orElse(NOBODY);
        if (request.externalId() != null && members.externalIdTaken(tenantId, request.externalId(), userId)) {
            throw ScimException.uniqueness("Another user of this tenant has this externalId.");
        }
        requireManagerInTenant(tenantId, request.enterprise().manager(), null);
        if (existing.isEmpty()) {
            // no password: the person sets one through "forgot password", which also verifies the address
            User user = new User(request.userName(), null, request.fullName());
            em.persist(user);
            em.persist(new Membership(user.id(), tenantId, false));
            userId = user.id();
            securityEvents.record(event(directory, SecurityEventType.USER_CREATED, userId).detail("email", request.userName()));
        } else if (queries.findInTenant(userId, tenantId).isPresent()) {
            if (!members.deleted(tenantId, userId)) {
                throw ScimException.uniqueness("A member of this tenant has this userName: find it with filter=userName eq \"...\".");
            }
            UserToChange target = toChange(directory, userId); // the directory deleted it: it comes back as sent
            members.save(tenantId, request.withId(userId));
            em.flush();
            return replace(directory, target, members.find(tenantId, userId).orElseThrow(), request.withId(userId));
        } else if (!existing.get().emailVerified()) {
            throw ScimException.uniqueness("An account with this email exists and its owner has not verified the"
                    + " address: it is linked to a tenant only once they have.");
        } else {
            em.persist(new Membership(userId, tenantId, false));
            callerChanges.fire(CallerChanged.user(userId));
            securityEvents.record(event(directory, SecurityEventType.USER_LINKED, userId));
        }
        em.flush(); // the membership exists before its scim_members row refers to it
        members.save(tenantId, request.withId(userId));
        if (!request.active()) {
            em.find(Membership.class, new Membership.Key(userId, tenantId)).deactivate();
            securityEvents.record(event(directory, SecurityEventType.USER_DEACTIVATED, userId));
        }
        em.flush();
        return members.find(tenantId, userId).orElseThrow();
    }

    /** PUT: the user becomes the request (what Gatehouse keeps of it). */
    @Transactional
    public ScimUser replace(ScimDirectory directory, UUID userId, ScimUser request) {
        UserToChange target = toChange(directory, userId);
        ScimUser current = members.find(directory.tenantId(), userId).orElseThrow(() -> ScimException.notFound("User"));
        return replace(directory, target, current, request.withId(userId));
    }

    @Transactional
    public ScimUser patch(ScimDirectory directory, UUID userId, JsonObject body) {
        UserToChange target = toChange(directory, userId);
        ScimUser current = members.find(directory.tenantId(), userId).orElseThrow(() -> ScimException.notFound("User"));
        return replace(directory, target, current, ScimPatch.apply(current, body));
    }

    /** DELETE: the membership is deactivated, its sessions end, and SCIM answers 404 for it from now on. */
    @Transactional
    public void delete(ScimDirectory directory, UUID userId) {
        UserToChange target = toChange(directory, userId);
        if (members.deleted(directory.tenantId(), userId)) {
            throw ScimException.notFound("User");
        }
        Membership membership = target.member().membership();
        if (membership.active()) {
            deactivate(directory, membership);
        }
        members.markDeleted(directory.tenantId(), userId);
        securityEvents.record(event(directory, SecurityEventType.USER_DEACTIVATED, userId).detail("deleted", true));
    }

    private ScimUser replace(ScimDirectory directory, UserToChange target, ScimUser current, ScimUser updated) {
        requireFullNameFits(updated);
        User user = target.member().user();
        UUID tenantId = directory.tenantId();
        List<String> changed = new ArrayList<>();
        boolean emailChanges = !updated.userName().equals(current.userName());
        boolean nameChanges = !updated.fullName().equals(current.displayName());
        // a shared account is its person's, unless this tenant proved its domain (enterprise SSO): then the tenant
        // manages it, within that domain (AccountChanges.requireAccountChangeable, the admin API's rule)
        boolean leavesDomain = emailChanges && !Emails.domainOf(updated.userName()).equals(Emails.domainOf(current.userName()));
        if ((emailChanges || nameChanges) && target.sharedWithOtherTenants() && (!target.managedByTenant() || leavesDomain)) {
            throw ScimException.mutability("This person's account belongs to other tenants too: only they can change"
                    + " its email and name (or, for an account of a domain this tenant proved, its email within that"
                    + " domain). Send the ones it has, " + current.userName() + " and " + current.displayName() + ".");
        }
        if (emailChanges) {
            if (queries.emailTaken(updated.userName(), user.id())) {
                throw ScimException.uniqueness("Another account has this email.");
            }
            user.changeEmail(updated.userName()); // unverified until the person follows a link mailed to it
            changed.add("email");
        }
        if (nameChanges) {
            user.changeFullName(updated.fullName());
            changed.add("full_name");
        }
        if (!Objects.equals(updated.externalId(), current.externalId())) {
            if (updated.externalId() != null && members.externalIdTaken(tenantId, updated.externalId(), user.id())) {
                throw ScimException.uniqueness("Another user of this tenant has this externalId.");
            }
            changed.add("external_id");
        }
        if (!Objects.equals(updated.givenName(), current.givenName()) || !Objects.equals(updated.familyName(), current.familyName())) {
            changed.add("name");
        }
        if (!updated.enterprise().equals(current.enterprise())) {
            requireManagerInTenant(tenantId, updated.enterprise().manager(), current.enterprise().manager());
            changed.add("enterprise");
        }
        if (changed.contains("external_id") || changed.contains("name") || changed.contains("enterprise")) {
            members.save(tenantId, updated);
        }
        Membership membership = target.member().membership();
        if (updated.active() != membership.active()) {
            if (updated.active()) {
                membership.activate();
                securityEvents.record(event(directory, SecurityEventType.USER_ACTIVATED, user.id()));
            } else {
                deactivate(directory, membership);
                securityEvents.record(event(directory, SecurityEventType.USER_DEACTIVATED, user.id()));
            }
        }
        if (!changed.isEmpty()) {
            securityEvents.record(event(directory, SecurityEventType.USER_CHANGED, user.id()).detail("fields", changed));
        }
        em.flush();
        return members.find(tenantId, user.id()).orElseThrow();
    }

    /** A new manager is a SCIM user of the tenant: a directory names no one elsewhere (one statement, only on change). */
    private void requireManagerInTenant(UUID tenantId, UUID manager, UUID before) {
        if (manager != null && !manager.equals(before) && members.find(tenantId, manager).isEmpty()) {
            throw ScimException.invalidValue("manager.value must be the id of a user of this tenant.");
        }
    }

    private void deactivate(ScimDirectory directory, Membership membership) {
        if (roles.isLastActiveAdmin(directory.tenantId(), membership.userId())) {
            throw ScimException.mutability("The tenant must keep at least one active admin.");
        }
        membership.deactivate();
        membershipRevocations.fire(new MembershipSessionsRevoked(membership.userId(), directory.tenantId()));
    }

    /**
     * A member of the directory's tenant it may change: 404 when not a member, 403 when they hold a permission
     * the token's creator did not (or are a superuser and the creator was not). Announced, so that cached
     * caller views of the member go when the transaction commits.
     */
    private UserToChange toChange(ScimDirectory directory, UUID userId) {
        UserToChange target = queries.findToChange(userId, directory.tenantId())
                .orElseThrow(() -> ScimException.notFound("User"));
        if (!directory.mayChange(target.member().membership().superuser(), target.permissions())) {
            throw new ScimException(403, null, "This member holds permissions the SCIM token's creator did not:"
                    + " the directory cannot change them.");
        }
        callerChanges.fire(CallerChanged.user(userId));
        return target;
    }

    /** An event of this directory's change to the member. */
    private static SecurityEvent event(ScimDirectory directory, SecurityEventType type, UUID userId) {
        return SecurityEvent.of(type, directory.tenantId()).subjectUser(userId)
                .detail("directory", directory.tokenId().toString());
    }

    private static void requireFullNameFits(ScimUser user) {
        if (user.fullName().length() > ScimUser.MAX_LENGTH) {
            throw ScimException.invalidValue("The name is longer than " + ScimUser.MAX_LENGTH + " characters.");
        }
    }
}
