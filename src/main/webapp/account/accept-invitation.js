"use strict";
Account.wire("/invitations/accept", form => {
    const body = {password: form.password.value};
    if (form.full_name.value.trim()) {
        body.full_name = form.full_name.value.trim();
    }
    return body;
}, answer => "Welcome to " + answer.tenant.name + ". You joined as " + answer.user.email + ": sign in to continue.");
