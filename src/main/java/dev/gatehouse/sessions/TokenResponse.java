package dev.gatehouse.sessions;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A session's token pair, as refresh answers it and every sign-in's answer carries it. */
@JsonbPropertyOrder({"accessToken", "refreshToken", "tokenType", "expiresIn"})
public record TokenResponse(String accessToken, String refreshToken, String tokenType, long expiresIn)
        implements SignInResult {
    public static TokenResponse bearer(String accessToken, String refreshToken, long expiresIn) {
        return new TokenResponse(accessToken, refreshToken, "bearer", expiresIn);
    }
}
