package dev.gatehouse.serviceaccounts;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** A service account holds a role of its tenant. A row of its own, so the caller's query can join it. */
@Entity
@Table(name = "service_account_roles")
public class ServiceAccountRole {

    @Embeddable
    public record Key(@Column(name = "service_account_id") UUID serviceAccountId, @Column(name = "role_id") UUID roleId) {
    }

    @EmbeddedId
    private Key id;

    protected ServiceAccountRole() {
    }

    ServiceAccountRole(UUID serviceAccountId, UUID roleId) {
        this.id = new Key(serviceAccountId, roleId);
    }
}
