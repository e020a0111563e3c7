package dev.gatehouse.sessions;

import dev.gatehouse.caller.CallerView;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.sessions.AuthRecords.LoginResponse;
import dev.gatehouse.sessions.AuthRecords.TokenResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * POST /auth/switch-tenant: a signed-in person gets a new session for another of their memberships. A tenant
 * they are not an active member of is 404, whether it exists or not.
 */
@ApplicationScoped
public class TenantSwitch {

    @Inject
    AccountMemberships memberships;

    @Inject
    Sessions sessions;

    public LoginResponse switchTo(CallerView caller, String tenant, ClientInfo client) {
        List<LoginCandidate> all = memberships.ofAccount(caller.id());
        LoginCandidate target = AccountMemberships.choose(all, tenant).filter(LoginCandidate::usable)
                .orElseThrow(() -> ProblemException.notFound("Tenant"));
        TokenResponse tokens = sessions.start(caller.id(), target.tenant().id(), target.tokenVersion(), target.roles(),
                client, null);
        return new LoginResponse(tokens, target.tenant(), AccountMemberships.usableTenants(all));
    }
}
