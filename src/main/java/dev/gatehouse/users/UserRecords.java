package dev.gatehouse.users;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/** The request bodies of the user endpoints. */
public final class UserRecords {

    private UserRecords() {
    }

    /** PATCH: a field left out (or null) stays as it is. */
    public record UserUpdate(
            @Email @Size(min = 3, max = 320) String email,
            @Size(max = 255) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String fullName) {
    }

    /**
     * PATCH /users/me: a field left out (or null) stays as it is. A new email needs the current password and
     * takes effect when the link mailed to it is followed.
     */
    public record OwnUserUpdate(
            @Email @Size(min = 3, max = 320) String email,
            @Size(max = 255) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String fullName,
            @Size(max = PasswordPolicy.MAX_PRESENTED_LENGTH) String currentPassword) {
    }

    /** POST /users/import: accounts from another system, into the caller's tenant ({@link AccountImport}). */
    public record AccountImportRequest(@NotNull @Size(min = 1, max = 500) List<@Valid @NotNull ImportedAccount> accounts) {
    }

    /** One account of an import: its password hash (or none: OAuth or a reset), flags and role names. */
    public record ImportedAccount(
            @NotBlank @Email @Size(max = 320) String email,
            @NotBlank @Size(max = 255) String fullName,
            @Size(max = 1000) String passwordHash,
            Boolean isActive,
            Boolean isSuperuser,
            @Size(max = 50) List<@NotBlank @Size(max = 100) String> roles) {
    }

    /** The result of one row: its index in the batch, the account made, and the scheme of its hash (null: none). */
    public record ImportedAccountResult(int row, String email, UUID id, String passwordScheme) {
    }

    /** The answer of an import: every row's result, in the batch's order. */
    public record AccountImportResponse(List<ImportedAccountResult> accounts) {
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

    /** POST /auth/forgot-password; {@code tenant} is accepted for the v1 contract: an account is one per email. */
    public record ForgotPassword(@NotBlank @Email @Size(max = 320) String email, @Size(max = 80) String tenant) {
    }

    /** POST /auth/reset-password: the token of the mail, and the new password. */
    public record PasswordResetRequest(
            @NotNull @Size(max = 200) String token,
            @NotNull @Size(min = PasswordPolicy.MIN_LENGTH, max = PasswordPolicy.MAX_LENGTH) String newPassword) {
    }

    /** POST /auth/verify-email: the token of the mail. */
    public record EmailVerificationRequest(@NotNull @Size(max = 200) String token) {
    }

    /** The body of a 202: the request is taken, the mail (if any) follows. */
    public record Accepted(String detail) {
    }
}
