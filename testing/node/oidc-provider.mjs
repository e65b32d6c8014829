// A real OpenID provider for the gateway's end-to-end tests: oidc-provider (panva) on 127.0.0.1:PORT, issuer
// http://127.0.0.1:PORT, fresh signing keys (RS256, ES256, EdDSA) at every start (so a restart is a key rotation),
// client-credentials clients and users (authorization code with PKCE, dynamic client registration, the built-in
// login and consent pages: any password) whose JWT access tokens carry `tenant` and `roles`, RFC 8707 resource
// indicators (the token's aud is the resource asked for). Test-only routes, never in a real provider:
//   POST /test/sign {claims, alg, unpublished}  signs claims with a published key of alg (or one never published)
//   GET  /test/stats                            how often the JWKS and discovery were fetched
import Provider from 'oidc-provider';
import * as jose from 'jose';
import http from 'node:http';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

async function key(alg, kid) {
  const { privateKey } = await jose.generateKeyPair(alg, { extractable: true, crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
  return { ...(await jose.exportJWK(privateKey)), kid, alg, use: 'sig' };
}
const stamp = Date.now().toString(36);
const keys = [await key('RS256', `rsa-${stamp}`), await key('ES256', `ec-${stamp}`), await key('EdDSA', `ed-${stamp}`)];
const unpublished = { RS256: await key("RS256", `rsa-x-${stamp}`), ES256: await key("ES256", `ec-x-${stamp}`),
  EdDSA: await key("EdDSA", `ed-x-${stamp}`) };

const clients = {
  'acme-user': { tenant: 'acme', roles: [] },
  'acme-admin': { tenant: 'acme', roles: ['mcpgw-tenant-admin'] },
  'globex-user': { tenant: 'globex', roles: [] },
};
const users = {
  alice: { tenant: 'acme', roles: [] },
  root: { tenant: 'acme', roles: ['mcpgw-tenant-admin'] },
};
const provider = new Provider(issuer, {
  jwks: { keys },
  scopes: ['openid', 'offline_access', 'mcp'],
  clients: Object.keys(clients).map((id) => ({
    client_id: id, client_secret: `${id}-secret`, grant_types: ['client_credentials'], redirect_uris: [],
    response_types: [], scope: 'mcp', token_endpoint_auth_method: 'client_secret_basic',
  })),
  features: {
    devInteractions: { enabled: true },
    registration: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx, client, oneOf) => oneOf ?? undefined,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => ({
        scope: 'mcp', audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: (ctx, token) => {
    const c = token.accountId ? users[token.accountId] : clients[token.clientId];
    return c ? { tenant: c.tenant, roles: c.roles } : undefined;
  },
});
provider.on('server_error', (ctx, err) => process.stderr.write(`server_error: ${err?.stack || err}\n`));

const stats = { jwks: 0, discovery: 0 };
const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  if (req.url === '/jwks') stats.jwks++;
  if (req.url === '/.well-known/openid-configuration') stats.discovery++;
  if (req.url === '/test/stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(stats));
    return;
  }
  if (req.url === '/test/sign' && req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    const { claims, alg = 'RS256', unpublished: other = false } = JSON.parse(body);
    const jwk = other ? unpublished[alg] : keys.find((k) => k.alg === alg);
    const signed = await new jose.SignJWT(claims).setProtectedHeader({ alg, kid: jwk.kid, typ: 'at+jwt' })
      .sign(await jose.importJWK(jwk, alg));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ token: signed }));
    return;
  }
  callback(req, res);
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${issuer}\n`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
