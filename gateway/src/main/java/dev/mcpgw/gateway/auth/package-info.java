/**
 * Authentication of callers: the gateway's own HS256 bearer tokens (nimbus-jose-jwt) whose claims give the user,
 * tenant and role, external identity providers' tokens ({@code OidcVerifier}, {@code ProviderKeys}: issuer, asymmetric signature, times, audience, claims mapped to a caller, keys cached and refreshed at a bounded rate; see docs/authentication.md), basic auth
 * for the configured admin, and the signing secret (from {@code MCPGW_JWT_SECRET} or generated once into the data
 * directory with mode 0600). The result is the {@link dev.mcpgw.gateway.auth.Caller} each request runs as; every
 * decision is reported through {@link dev.mcpgw.gateway.auth.AuthDecisions}.
 */
package dev.mcpgw.gateway.auth;
