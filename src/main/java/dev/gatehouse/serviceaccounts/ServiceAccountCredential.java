package dev.gatehouse.serviceaccounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A client secret (its SHA-256) or a registered public key of a service account. Mapped for the caller's
 * query, which lists the live ones; {@link ServiceAccountCredentials} writes the table.
 */
@Entity
@Table(name = "service_account_credentials")
public class ServiceAccountCredential {

    @Id
    private UUID id;

    @Column(name = "service_account_id", nullable = false)
    private UUID serviceAccountId;

    @Column(nullable = false)
    private String kind;

    @Column(name = "key_id")
    private String keyId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ServiceAccountCredential() {
    }
}
