package dev.gatehouse.sessions;

/**
 * What a successful first sign-in step answers: a session's tokens ({@link TokenResponse}), or, from signin/,
 * the tokens with the account's tenants or the second factor that is due. Not sealed: its other answers live in
 * signin/, above this package, and a sealed type outside a named module permits only its own package.
 */
public interface SignInResult {
}
