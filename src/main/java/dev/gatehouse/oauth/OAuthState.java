package dev.gatehouse.oauth;

import dev.gatehouse.platform.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/**
 * An OAuth flow between authorize and callback. Kept in the database so that any instance can finish a flow
 * another one started. Written once, then only deleted: consumed by its callback or removed when expired.
 */
@Entity
@Table(name = "oauth_states")
public class OAuthState {

    @Id
    private String state;

    @Column(nullable = false, updatable = false)
    private String provider;

    @Column(name = "code_verifier", nullable = false, updatable = false)
    private String codeVerifier;

    @Column(nullable = false, updatable = false)
    private String nonce;

    @Column(name = "redirect_uri", nullable = false, updatable = false)
    private String redirectUri;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    protected OAuthState() {
    }

    OAuthState(String state, String provider, String codeVerifier, String nonce, String redirectUri, Duration lifetime) {
        this.state = state;
        this.provider = provider;
        this.codeVerifier = codeVerifier;
        this.nonce = nonce;
        this.redirectUri = redirectUri;
        this.createdAt = Timestamps.now();
        this.expiresAt = createdAt.plus(lifetime);
    }
}
