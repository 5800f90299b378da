// A real OpenID Provider for the test suite: the npm package oidc-provider (a certified OpenID
// Connect implementation) with its own login and consent pages (devInteractions), on loopback.
// Started by tests/e2e/test_oidc_sign_in.py with:
//   OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_USERS_FILE
// The users file ({"alice": {"email": …, "name": …, "groups": […]}}) is read at every claims
// request, so a test changes someone's groups between two sign-ins by rewriting it.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const port = Number(env('OIDC_PORT'));
const issuer = `http://127.0.0.1:${port}`;
const users = () => JSON.parse(readFileSync(env('OIDC_USERS_FILE'), 'utf8'));

const provider = new Provider(issuer, {
  clients: [{
    client_id: env('OIDC_CLIENT_ID'),
    client_secret: env('OIDC_CLIENT_SECRET'),
    redirect_uris: [env('OIDC_REDIRECT_URI')],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  // PKCE for every client, not only public ones: a sign-in without it fails here.
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
  },
  async findAccount(ctx, id) {
    const user = users()[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        const now = users()[id] || user;
        return {
          sub: id, preferred_username: id, name: now.name, email: now.email, email_verified: true,
          groups: now.groups,
        };
      },
    };
  },
  cookies: { keys: ['test-only-cookie-signing-key'] },
  features: { devInteractions: { enabled: true } },
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
