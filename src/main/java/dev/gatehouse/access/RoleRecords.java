package dev.gatehouse.access;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The request bodies of the role endpoints. */
public final class RoleRecords {

    /**
     * A role name starts with a letter and holds letters, digits, space, '-', '_' and '.': role names travel
     * comma-separated (the token's groups aggregate), so "x,admin" must never be a name.
     */
    static final String NAME_PATTERN = "\\p{L}[\\p{L}\\p{N} ._-]*";
    static final String NAME_RULE = "must start with a letter and hold only letters, digits, space, '-', '_' and '.'";

    private RoleRecords() {
    }

    public record NewRole(
            @NotBlank @Size(max = 100) @Pattern(regexp = NAME_PATTERN, message = NAME_RULE) String name,
            @Size(max = 500) String description,
            @Size(max = 100) List<@NotBlank String> permissions) {
    }

    /** PATCH: a field left out stays as it is. */
    public record RoleUpdate(
            @Size(max = 100) @Pattern(regexp = NAME_PATTERN, message = NAME_RULE) String name,
            @Size(max = 500) String description) {
    }

    public record PermissionSet(@NotNull @Size(max = 100) List<@NotBlank String> permissions) {
    }

    public record RoleAssignment(@NotNull @Size(max = 100) List<@NotBlank String> roleIds) {
    }
}
