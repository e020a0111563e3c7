package dev.gatehouse.mfa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An account's TOTP secret, encrypted; active once confirmed with a code. Mapped for the login's projection. */
@Entity
@Table(name = "mfa_totp")
public class TotpSecret {

    @Id
    @Column(name = "user_id")
    private UUID userId;

    @Column(name = "secret_ciphertext", nullable = false)
    private byte[] secretCiphertext;

    @Column(name = "confirmed_at")
    private Instant confirmedAt;

    @Column(name = "last_used_step", nullable = false)
    private long lastUsedStep;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected TotpSecret() {
    }
}
