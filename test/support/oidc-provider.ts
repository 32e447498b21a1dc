import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The identity the provider signs in: FranceConnect's pivot identity and e-mail. */
export interface TestIdentity {
  sub: string;
  claims: {
    given_name: string;
    family_name: string;
    birthdate: string;
    gender: string;
    birthplace: string;
    birthcountry: string;
    email: string;
  };
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the next login signs in as; tests change it between logins. */
  user: TestIdentity;
  /** `config.oidc` for the app under test. */
  config(): { issuer: string; clientId: string; clientSecret: string; scopes: string; label: string; acrValues: string };
  /** Registers the app's callback and builds the provider (the app's address may only be known once it listens). */
  register(redirectUri: string): Promise<void>;
  close(): Promise<void>;
}

/** The little of oidc-provider's API used here (the package ships no types). */
interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ params: Record<string, string> }>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: object, options: object): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => { addOIDCScope(scope: string): void; save(): Promise<string> };
}

export const FRANCECONNECT_USER: TestIdentity = {
  sub: 'b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1',
  claims: {
    given_name: 'Angela Claire Louise',
    family_name: 'DUBOIS',
    birthdate: '1962-08-24',
    gender: 'female',
    birthplace: '75107',
    birthcountry: '99100',
    email: 'wossewodda-3728@yopmail.com',
  },
};

/**
 * A real OpenID Connect provider (oidc-provider) on loopback, configured like FranceConnect:
 * scopes openid, profile, email, birth; its claims given in userinfo; PKCE required; a confidential
 * client authenticating with client_secret_post; acr "eidas1". Instead of login and consent pages,
 * a minimal interaction signs `user` in at once, so a client following redirects completes the flow.
 */
export async function startOidcProvider(): Promise<TestOidcProvider> {
  let provider: Provider | undefined;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!provider) {
      res.statusCode = 503;
      res.end('provider not registered yet');
      return;
    }
    if (!req.url?.startsWith('/interaction/')) return provider.callback()(req, res);
    const details = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId: fixture.user.sub, clientId: details.params.client_id as string });
    grant.addOIDCScope(details.params.scope as string);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: fixture.user.sub, acr: 'eidas1' }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fixture: TestOidcProvider = {
    issuer,
    clientId: 'civitas-test',
    clientSecret: 'a-client-secret-long-enough-for-hs256-0123456789',
    user: FRANCECONNECT_USER,
    config: () => ({
      issuer,
      clientId: fixture.clientId,
      clientSecret: fixture.clientSecret,
      scopes: 'openid profile email birth',
      label: 'FranceConnect',
      acrValues: 'eidas1',
    }),
    async register(redirectUri) {
      // A variable specifier: the package has no type declarations, `Provider` above describes what is used.
      const specifier = 'oidc-provider';
      const { default: ProviderClass } = (await import(specifier)) as { default: new (issuer: string, config: object) => Provider };
      const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
      provider = new ProviderClass(issuer, {
        clients: [
          {
            client_id: fixture.clientId,
            client_secret: fixture.clientSecret,
            redirect_uris: [redirectUri],
            token_endpoint_auth_method: 'client_secret_post',
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        scopes: ['openid', 'profile', 'email', 'birth'],
        claims: {
          openid: ['sub'],
          profile: ['given_name', 'family_name', 'birthdate', 'gender', 'preferred_username'],
          email: ['email'],
          birth: ['birthplace', 'birthcountry'],
          acr: null,
        },
        acrValues: ['eidas1'],
        pkce: { required: () => true },
        features: { devInteractions: { enabled: false } },
        findAccount: async (_ctx: unknown, sub: string) =>
          sub === fixture.user.sub ? { accountId: sub, claims: async () => ({ sub, ...fixture.user.claims }) } : undefined,
        cookies: { keys: ['a-test-cookie-signing-key'] },
        ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Grant: 600, Session: 600 },
        jwks: { keys: [{ ...key, use: 'sig', alg: 'RS256', kid: 'test' }] },
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fixture;
}
