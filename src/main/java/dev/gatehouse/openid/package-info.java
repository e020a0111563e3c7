/**
 * Gatehouse as an OpenID Provider for the deployment's own applications (docs/openid-provider.md): the OAuth
 * clients a deployment admin registers, the authorization endpoint and the hosted sign-in page, codes, the token
 * endpoint with every grant (client credentials come from serviceaccounts/), ID tokens, userinfo, revocation and
 * discovery. The page signs people in through signin/ and oauth/, so the same passwords, lockout, second factor
 * and upstream providers hold; its session is an ordinary session of sessions/, whose refresh token is the
 * browser's cookie.
 */
package dev.gatehouse.openid;
