/**
 * Tokens of external identity providers (Keycloak, Okta, Entra ID, Auth0, any OpenID provider): verification by
 * issuer, asymmetric signature (RS256, ES256, EdDSA), times and audience, the mapping of claims to a caller, and each
 * provider's keys, discovered, cached and refreshed at a bounded rate. See docs/adr/0015.
 */
package dev.mcpgw.gateway.auth.oidc;
