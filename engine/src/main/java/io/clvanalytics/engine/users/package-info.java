/**
 * Users of the web server, their API tokens and sign-in attempts, kept in the store so the CLI
 * ({@code clv user ...}) and the server share them. No web code here: the server's pac4j
 * authenticators call {@link io.clvanalytics.engine.users.Users}, {@link io.clvanalytics.engine.users.ApiTokens}
 * and {@link io.clvanalytics.engine.users.LoginThrottle}.
 */
package io.clvanalytics.engine.users;
