import * as client from 'openid-client';
import type { Config } from '../../config/schema.js';

export type OidcSettings = NonNullable<Config['oidc']>;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The provider's configuration, discovered on first use rather than at boot (a city's server may
 * start without reaching the provider) and kept for the life of the process; a failed discovery
 * is not kept, so the next login tries again. Plain HTTP is allowed to a loopback provider only
 * (development and tests), never to a remote one.
 */
export function lazyDiscovery(settings: OidcSettings): () => Promise<client.Configuration> {
  let pending: Promise<client.Configuration> | undefined;
  return () => {
    pending ??= discover(settings).catch((err) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}

async function discover(settings: OidcSettings): Promise<client.Configuration> {
  const issuer = new URL(settings.issuer);
  const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
  // The timeout (seconds) also applies to the token and userinfo requests made with this configuration.
  return client.discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
    timeout: 10,
    ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
  });
}

/** The provider could not be reached or answered with a server error: try later (503), not "you did something wrong". */
export function providerUnavailable(err: unknown): boolean {
  if (err instanceof TypeError) return true;
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return true;
  return err instanceof client.ClientError && (err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || err.code === 'OAUTH_RESPONSE_IS_NOT_JSON');
}
