package dev.gatehouse.access;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entry of the permission catalogue, "resource:action". The catalogue is data, seeded by migration. */
@Entity
@Table(name = "permissions")
public class Permission {

    @Id
    private String name;

    @Column(nullable = false)
    private String resource;

    @Column(nullable = false)
    private String action;

    @Column(nullable = false)
    private String description;

    protected Permission() {
    }

    public String name() {
        return name;
    }

    public PermissionResponse toResponse() {
        return new PermissionResponse(name, resource, action, description);
    }

    @JsonbPropertyOrder({"name", "resource", "action", "description"})
    public record PermissionResponse(String name, String resource, String action, String description) {
    }
}
