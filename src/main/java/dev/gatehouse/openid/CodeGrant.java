package dev.gatehouse.openid;

import dev.gatehouse.audit.SecurityEvent;
import dev.gatehouse.audit.SecurityEventType;
import dev.gatehouse.audit.SecurityEvents;
import dev.gatehouse.platform.Ids;
import dev.gatehouse.platform.problems.ProblemException;
import dev.gatehouse.platform.problems.ProblemType;
import dev.gatehouse.serviceaccounts.ClientAuthenticator.ClientAuthentication;
import dev.gatehouse.serviceaccounts.TokenEndpointError;
import dev.gatehouse.sessions.ClientInfo;
import dev.gatehouse.sessions.OAuthClientBinding;
import dev.gatehouse.sessions.Sessions;
import dev.gatehouse.sessions.TokenResponse;
import dev.gatehouse.signin.AccountMemberships;
import dev.gatehouse.signin.LoginCandidate;
import dev.gatehouse.users.Member;
import dev.gatehouse.users.UserQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The token endpoint's grants for OAuth clients: authorization_code (RFC 6749 §4.1.3 with PKCE, RFC 7636 §4.6)
 * and refresh_token, through today's rotation and reuse detection with the session bound to its client.
 */
@ApplicationScoped
public class CodeGrant {

    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    /** RFC 6749 §5.1, with OpenID Connect's id_token. */
    public record TokenAnswer(String accessToken, String tokenType, long expiresIn, String refreshToken, String idToken,
                              String scope) {
    }

    @Inject
    AuthorizationCodes codes;

    @Inject
    AccountMemberships memberships;

    @Inject
    UserQueries users;

    @Inject
    Sessions sessions;

    @Inject
    IdTokenIssuer idTokens;

    @Inject
    SignInFlow flow;

    @Inject
    OAuthClientAuthentication clientAuthentication;

    @Inject
    SecurityEvents securityEvents;

    /** Redeems a code; a code redeemed before ends the session its first redemption started. */
    @Transactional(dontRollbackOn = TokenEndpointError.class)
    public TokenAnswer redeem(ClientAuthentication authentication, String code, String redirectUri, String verifier,
                              ClientInfo info) {
        OAuthClients.Client client = clientAuthentication.authenticate(authentication);
        if (!client.allows(OAuthClients.AUTHORIZATION_CODE)) {
            throw TokenEndpointError.unauthorizedClient("This client may not use the authorization_code grant.");
        }
        if (code == null || code.length() > 100) {
            throw TokenEndpointError.invalidRequest("code is missing.");
        }
        Optional<AuthorizationCodes.Grant> redeemed = codes.redeem(code);
        if (redeemed.isEmpty()) {
            codes.replayed(code).ifPresent(this::endReplayed);
            throw TokenEndpointError.invalidGrant("The code is invalid, expired or used.");
        }
        AuthorizationCodes.Grant grant = redeemed.get();
        if (!grant.clientId().equals(client.id()) || !grant.redirectUri().equals(redirectUri)) {
            throw TokenEndpointError.invalidGrant("The code was issued to another client or redirect_uri.");
        }
        if (!pkceMatches(verifier, grant.codeChallenge())) {
            throw TokenEndpointError.invalidGrant("code_verifier does not match the code_challenge.");
        }
        LoginCandidate membership = AccountMemberships.choose(memberships.ofAccount(grant.userId()), grant.tenantId().toString())
                .filter(LoginCandidate::usable)
                .orElseThrow(() -> TokenEndpointError.invalidGrant("The account can no longer sign in to that tenant."));
        Member member = users.findInTenant(grant.userId(), grant.tenantId())
                .orElseThrow(() -> TokenEndpointError.invalidGrant("The account can no longer sign in to that tenant."));
        UUID sessionId = Ids.newId();
        TokenResponse tokens = sessions.startForClient(sessionId, grant.userId(), grant.tenantId(), membership.tokenVersion(),
                membership.roles(), info, grant.amr(), grant.authenticatedAt(),
                new OAuthClientBinding(client.id(), grant.browserSession()));
        codes.startedSession(code, sessionId);
        String idToken = AuthorizationRequest.holds(grant.scope(), "openid")
                ? idTokens.issue(flow.issuer(), client.id(), member.user(), membership.tenant(), grant) : null;
        return new TokenAnswer(tokens.accessToken(), "Bearer", tokens.expiresIn(),
                client.allows(OAuthClients.REFRESH_TOKEN) ? tokens.refreshToken() : null, idToken, grant.scope());
    }

    /** Rotates a refresh token of a session this client holds; anything else is invalid_grant (and a reuse). */
    public TokenAnswer refresh(ClientAuthentication authentication, String refreshToken, ClientInfo info) {
        OAuthClients.Client client = clientAuthentication.authenticate(authentication);
        if (!client.allows(OAuthClients.REFRESH_TOKEN)) {
            throw TokenEndpointError.unauthorizedClient("This client may not use the refresh_token grant.");
        }
        if (refreshToken == null || refreshToken.length() > 200) {
            throw TokenEndpointError.invalidRequest("refresh_token is missing.");
        }
        try {
            TokenResponse tokens = sessions.refresh(refreshToken, info, client.id());
            return new TokenAnswer(tokens.accessToken(), "Bearer", tokens.expiresIn(), tokens.refreshToken(), null, null);
        } catch (ProblemException e) {
            if (e.type() == ProblemType.INVALID_REFRESH_TOKEN) {
                throw TokenEndpointError.invalidGrant("The refresh token is invalid, expired, revoked or another client's.");
            }
            throw e;
        }
    }

    private void endReplayed(AuthorizationCodes.Replay replay) {
        boolean ended = replay.sessionId() != null && sessions.endIfLive(replay.userId(), replay.sessionId());
        securityEvents.record(SecurityEvent.of(SecurityEventType.AUTHORIZATION_CODE_REPLAYED, replay.tenantId()).actor(null)
                .subjectUser(replay.userId()).failed().detail("client_id", replay.clientId().toString())
                .detail("session_ended", ended));
    }

    /** RFC 7636 §4.6: BASE64URL(SHA-256(verifier)) is the challenge, compared in constant time. */
    static boolean pkceMatches(String verifier, String challenge) {
        if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
            return false;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return MessageDigest.isEqual(Base64.getUrlEncoder().withoutPadding().encode(digest),
                    challenge.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
