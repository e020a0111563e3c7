"use strict";
Account.wire("/auth/verify-email", () => ({}), () => "Your email address is confirmed. You can close this page.");
