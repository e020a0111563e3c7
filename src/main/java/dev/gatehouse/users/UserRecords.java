package dev.gatehouse.users;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The request bodies of the user endpoints. */
public final class UserRecords {

    private UserRecords() {
    }

    /** PATCH: a field left out (or null) stays as it is. */
    public record UserUpdate(
            @Email @Size(min = 3, max = 320) String email,
            @Size(max = 255) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String fullName) {
    }

    /** A tenant admin adds a user to their own tenant. */
    public record NewUser(
            @NotBlank @Email @Size(max = 320) String email,
            @NotNull @Size(min = PasswordPolicy.MIN_LENGTH, max = PasswordPolicy.MAX_LENGTH) String password,
            @NotBlank @Size(max = 255) String fullName,
            Boolean isSuperuser) {
    }

    public record PasswordChange(
            @NotNull @Size(max = PasswordPolicy.MAX_PRESENTED_LENGTH) String currentPassword,
            @NotNull @Size(min = PasswordPolicy.MIN_LENGTH, max = PasswordPolicy.MAX_LENGTH) String newPassword) {
    }
}
