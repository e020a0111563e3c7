package dev.gatehouse.access;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** A user holds a role. Mapped as a row of its own, so queries can join it without loading either side. */
@Entity
@Table(name = "user_roles")
public class UserRole {

    @Embeddable
    public record Key(@Column(name = "user_id") UUID userId, @Column(name = "role_id") UUID roleId) {
    }

    @EmbeddedId
    private Key id;

    protected UserRole() {
    }

    public UserRole(UUID userId, UUID roleId) {
        this.id = new Key(userId, roleId);
    }
}
