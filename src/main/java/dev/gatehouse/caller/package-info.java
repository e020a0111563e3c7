/**
 * The authenticated caller of one request and its permission checks. A second kind of principal, the service
 * account, goes here beside {@link dev.gatehouse.caller.CurrentUser}, which assumes a user with a session id and a
 * membership row; its tokens are issued by tokens/.
 */
package dev.gatehouse.caller;
