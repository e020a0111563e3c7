"use strict";
Account.wire("/auth/reset-password", form => {
    if (form.password.value !== form.confirmation.value) {
        throw new Error("The two passwords differ.");
    }
    return {new_password: form.password.value};
}, () => "Your new password is set. Sign in with it.");
