// Drives mcp-remote (the stdio-to-remote bridge desktop assistants use) against URL with no token: it finds the
// authorization server in the gateway's protected-resource metadata, registers itself there (dynamic client
// registration), and prints the authorization URL. This script is the user's browser: it signs in as LOGIN on the
// provider's login page, consents, and follows the redirect to mcp-remote's callback (authorization code + PKCE).
// Then it speaks MCP over mcp-remote's stdio: initialize, tools/list, tools/call TOOL with ARGS.
// Prints {"discovered": the authorization server mcp-remote reported, "tools": [names], "call": result}.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const env = process.env;
const bridge = spawn(process.execPath, [path.join(env.NODE_MODULES, 'mcp-remote/dist/proxy.js'), env.URL,
  env.CALLBACK_PORT, '--allow-http'], {
  env: { ...env, MCP_REMOTE_CONFIG_DIR: env.CONFIG_DIR, BROWSER: 'true', DISPLAY: '' },
  stdio: ['pipe', 'pipe', 'pipe'],
});
const fail = (why) => {
  process.stderr.write(`mcp-remote client failed: ${why}\n--- mcp-remote said:\n${said}\n`);
  bridge.kill('SIGKILL');
  process.exit(1);
};
setTimeout(() => fail('timed out'), Number(env.TIMEOUT_MS || 50000)).unref();

let said = '';
const waiters = [];
bridge.stderr.on('data', (chunk) => {
  said += chunk;
  for (const w of [...waiters]) {
    const m = said.match(w.pattern);
    if (m) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  }
});
bridge.on('exit', (code) => fail(`mcp-remote exited with ${code}`));
const logged = (pattern) => new Promise((resolve) => {
  const m = said.match(pattern);
  if (m) resolve(m); else waiters.push({ pattern, resolve });
});

// the user's browser: a cookie jar for the provider, redirects followed by hand
const jar = new Map();
async function browse(url, init = {}) {
  let current = url;
  let options = init;
  for (let hops = 0; hops < 15; hops++) {
    const sameProvider = new URL(current).origin === new URL(url).origin;
    const headers = { ...(options.headers || {}) };
    if (sameProvider && jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(current, { ...options, headers, redirect: 'manual' });
    if (sameProvider) {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        if (value) jar.set(name, value); else jar.delete(name);
      }
    }
    if (res.status >= 300 && res.status < 400) {
      current = new URL(res.headers.get('location'), current).href;
      options = {};
      continue;
    }
    return { url: current, status: res.status, body: await res.text() };
  }
  throw new Error('too many redirects');
}
const form = (fields) => ({
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

const [, authorizationUrl] = await logged(/Please authorize this client by visiting:\s*\n(\S+)/);
const discovered = said.match(/Discovered authorization server: (\S+)/)?.[1] ?? null;
const login = await browse(authorizationUrl);
if (!/\/interaction\//.test(login.url)) fail(`no login page: ${login.status} ${login.url}`);
const consent = await browse(login.url, form({ prompt: 'login', login: env.LOGIN, password: 'any' }));
if (!/\/interaction\//.test(consent.url)) fail(`no consent page: ${consent.status} ${consent.url}`);
const callback = await browse(consent.url, form({ prompt: 'consent' }));
if (!callback.url.includes('/oauth/callback')) fail(`no callback: ${callback.status} ${callback.url} ${callback.body}`);
await logged(/Proxy established successfully/);

// MCP over the bridge's stdio
const answers = new Map();
readline.createInterface({ input: bridge.stdout }).on('line', (line) => {
  try {
    const msg = JSON.parse(line);
    if (msg.id !== undefined && answers.has(msg.id)) answers.get(msg.id)(msg);
  } catch {
    // not a JSON-RPC line
  }
});
let nextId = 1;
const request = (method, params) => new Promise((resolve) => {
  const id = nextId++;
  answers.set(id, resolve);
  bridge.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
});
const init = await request('initialize', { protocolVersion: '2025-06-18', capabilities: {},
  clientInfo: { name: 'mcpgw-mcp-remote-e2e', version: '1.0.0' } });
if (init.error) fail(`initialize: ${JSON.stringify(init.error)}`);
bridge.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
const list = await request('tools/list', {});
const call = await request('tools/call', { name: env.TOOL, arguments: JSON.parse(env.ARGS || '{}') });
process.stdout.write(JSON.stringify({ discovered, tools: (list.result?.tools || []).map((t) => t.name),
  call: call.result ?? call.error }) + '\n');
bridge.removeAllListeners('exit');
bridge.kill();
process.exit(0);
