import * as client from 'openid-client';
import type { Config } from '../../config.ts';
import { isLocalHttpIssuer } from './accounts.ts';

/**
 * Single sign-on with an OpenID provider (NHS CIS2, Microsoft Entra ID, …): authorisation code flow
 * with PKCE, state and nonce, through openid-client 6. The provider's metadata is discovered on first
 * use and kept for the life of the process; a failed discovery is not kept, so the next sign-in retries.
 */

export type OidcSettings = NonNullable<Config['oidc']>;

/** The provider could not be reached or did not answer discovery. */
export class OidcUnavailable extends Error {}
/** The provider answered, but the answer did not pass the checks (state, nonce, signature, code…). */
export class OidcRejected extends Error {}

const DISCOVERY_TIMEOUT_SECONDS = 10;
const discovered = new Map<string, Promise<client.Configuration>>();

function configuration(settings: OidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer} ${settings.clientId}`;
  let pending = discovered.get(key);
  if (!pending) {
    pending = client
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        timeout: DISCOVERY_TIMEOUT_SECONDS,
        // Plain http only for a provider on this machine (development and tests); anything else must be https.
        execute: isLocalHttpIssuer(settings.issuer) ? [client.allowInsecureRequests] : [],
      })
      .catch((err: unknown) => {
        discovered.delete(key);
        throw new OidcUnavailable(`discovery of ${settings.issuer} failed: ${(err as Error).message}`);
      });
    discovered.set(key, pending);
  }
  return pending;
}

/** What must survive the trip to the provider and back, kept in a signed cookie (there is no session yet). */
export interface FlowState {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  /** Epoch milliseconds after which the flow is stale. */
  expires: number;
}

export function createOidc(settings: OidcSettings, baseUrl: string) {
  const redirectUri = `${baseUrl}/sign-in/oidc/callback`;

  return {
    label: settings.label,
    matchClaim: settings.matchClaim,

    /** The provider's authorisation URL and the secrets to check its answer with. */
    async start(): Promise<{ url: URL; state: string; nonce: string; verifier: string }> {
      const config = await configuration(settings);
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: settings.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, state, nonce, verifier };
    },

    /**
     * Exchange the code from the callback's query string and return the person's claims: the ID token's,
     * plus the UserInfo endpoint's when the matching claim is not in the ID token (CIS2 sends email there).
     */
    async finish(query: string, flow: FlowState): Promise<Record<string, unknown>> {
      const config = await configuration(settings);
      const currentUrl = new URL(redirectUri);
      currentUrl.search = query;
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw new OidcRejected((err as Error).message);
      }
      const idClaims = tokens.claims();
      if (!idClaims) throw new OidcRejected('the provider returned no ID token');
      if (idClaims[settings.matchClaim] !== undefined || !config.serverMetadata().userinfo_endpoint) {
        return { ...idClaims };
      }
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        return { ...info, ...idClaims };
      } catch (err) {
        throw new OidcRejected(`UserInfo request failed: ${(err as Error).message}`);
      }
    },
  };
}

export type Oidc = ReturnType<typeof createOidc>;
