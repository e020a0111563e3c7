package dev.gatehouse.sessions;

import dev.gatehouse.platform.Timestamps;
import dev.gatehouse.users.User;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One refresh token of a session (of one membership), stored as its SHA-256 hash only. Its successor
 * (successor_id, successor_ciphertext: the reuse interval) is set by the native statement that rotates it out,
 * and is not mapped here.
 */
@Entity
@Table(name = "refresh_tokens")
public class RefreshToken {

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false, updatable = false)
    private User user;

    /** The membership (with user) the session is for. */
    @Column(name = "tenant_id", nullable = false, updatable = false)
    private UUID tenantId;

    @Column(name = "token_hash", nullable = false, updatable = false)
    private byte[] tokenHash;

    @Column(name = "family_id", nullable = false, updatable = false)
    private UUID familyId;

    @Column(name = "token_version", nullable = false, updatable = false)
    private int tokenVersion;

    @Column(name = "session_started_at", nullable = false, updatable = false)
    private Instant sessionStartedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "created_by_ip")
    private String createdByIp;

    @Column(name = "user_agent")
    private String userAgent;

    @Column(nullable = false, updatable = false)
    private String amr;

    @Column(name = "oauth_client_id", updatable = false)
    private UUID oauthClientId;

    @Column(name = "browser_session", updatable = false)
    private UUID browserSession;

    protected RefreshToken() {
    }

    RefreshToken(UUID id, User user, UUID tenantId, byte[] tokenHash, UUID familyId, int tokenVersion, Instant sessionStartedAt, Instant expiresAt,
                 ClientInfo client, String amr, OAuthClientBinding binding) {
        this.id = id;
        this.user = user;
        this.tenantId = tenantId;
        this.tokenHash = tokenHash;
        this.familyId = familyId;
        this.tokenVersion = tokenVersion;
        this.sessionStartedAt = sessionStartedAt;
        this.expiresAt = expiresAt;
        this.createdAt = Timestamps.now();
        this.createdByIp = client.ip();
        this.userAgent = client.userAgent();
        this.amr = amr;
        this.oauthClientId = binding == null ? null : binding.clientId();
        this.browserSession = binding == null ? null : binding.browserSession();
    }
}
