package dev.gatehouse.access;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The request bodies of the role endpoints. */
public final class RoleRecords {

    private RoleRecords() {
    }

    public record NewRole(
            @NotBlank @Size(max = 100) String name,
            @Size(max = 500) String description,
            @Size(max = 100) List<@NotBlank String> permissions) {
    }

    /** PATCH: a field left out stays as it is. */
    public record RoleUpdate(
            @Size(max = 100) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
            @Size(max = 500) String description) {
    }

    public record PermissionSet(@NotNull @Size(max = 100) List<@NotBlank String> permissions) {
    }

    public record RoleAssignment(@NotNull @Size(max = 100) List<@NotBlank String> roleIds) {
    }
}
