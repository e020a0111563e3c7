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
 * Bound to the client that started it: only a callback presenting that client's binding consumes it.
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

    /** SHA-256 of the secret the starting client holds; the secret itself is never stored. */
    @Column(name = "binding_hash", nullable = false, updatable = false)
    private byte[] bindingHash;

    /** SHA-256 of the token of the invitation this sign-in accepts; null for a plain sign-in. */
    @Column(name = "invitation_hash", updatable = false)
    private byte[] invitationHash;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    protected OAuthState() {
    }

    OAuthState(String state, String provider, String codeVerifier, String nonce, String redirectUri, byte[] bindingHash,
               byte[] invitationHash, Duration lifetime) {
        this.state = state;
        this.provider = provider;
        this.codeVerifier = codeVerifier;
        this.nonce = nonce;
        this.redirectUri = redirectUri;
        this.bindingHash = bindingHash;
        this.invitationHash = invitationHash;
        this.createdAt = Timestamps.now();
        this.expiresAt = createdAt.plus(lifetime);
    }
}
