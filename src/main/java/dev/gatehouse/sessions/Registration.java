package dev.gatehouse.sessions;

import dev.gatehouse.access.Role;
import dev.gatehouse.sessions.AuthRecords.RegisterRequest;
import dev.gatehouse.sessions.AuthRecords.RegisterResponse;
import dev.gatehouse.sessions.AuthRecords.TokenResponse;
import dev.gatehouse.users.Emails;
import dev.gatehouse.users.PasswordHasher;
import dev.gatehouse.users.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;

/** POST /auth/register: a new tenant with its default roles and its first user, its superuser and admin. */
@ApplicationScoped
public class Registration {

    @Inject
    PasswordHasher hasher;

    @Inject
    TenantRegistration tenants;

    @Inject
    Sessions sessions;

    @Transactional
    public RegisterResponse register(RegisterRequest request, ClientInfo client) {
        String passwordHash = hasher.hash(request.password()); // before the first statement: no connection held meanwhile
        User user = tenants.createWithOwner(request.tenantName(), tenant ->
                new User(tenant, Emails.normalize(request.email()), passwordHash, request.fullName().strip(), true));
        TokenResponse tokens = sessions.start(user.id(), user.tenantId(), user.tokenVersion(), List.of(Role.ADMIN), client, null);
        return new RegisterResponse(user.toResponse(), tokens);
    }
}
