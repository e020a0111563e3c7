/**
 * Sessions: a refresh-token family with the access tokens issued from it; starting one, rotating its refresh
 * token (with reuse detection and the encrypted successor), ending one, the verified-email rule every session
 * obeys, and the purge of expired refresh tokens. Every way into an account (signin/, invitations/, oauth/,
 * all above) ends here.
 */
package dev.gatehouse.sessions;
