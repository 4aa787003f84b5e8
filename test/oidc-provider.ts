import http from 'node:http';
import Provider from 'oidc-provider';
import { afterAll } from 'vitest';
import { freePort } from '../src/db/database.ts';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/**
 * A real OpenID provider (npm oidc-provider) on 127.0.0.1 with its development login and consent pages:
 * any login name is accepted as the subject, whose claims come from `identities`. Closed after the file.
 */
export async function startTestProvider(
  redirectUri: string,
  identities: Record<string, { email?: string; email_verified?: boolean }>,
): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'leadwell-test';
  const clientSecret = 'a-client-secret-for-the-test-provider';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    async findAccount(_ctx: unknown, sub: string) {
      return { accountId: sub, claims: async () => ({ sub, ...identities[sub] }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: ['oidc-test-cookie-key'] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: true } },
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { issuer, clientId, clientSecret };
}
