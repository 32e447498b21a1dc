import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import { enforce } from '../../http/rate-limit.js';
import type { Kernel } from '../../kernel.js';
import { absoluteUrl, safeNext } from '../citizens/links.js';
import { startSession } from '../citizens/session-cookie.js';
import { sendMessage } from '../citizens/views/message.js';
import { lazyDiscovery, type OidcSettings, providerUnavailable } from './client.js';
import { IDENTITY_CLAIMS, oidcSignIn } from './sign-in.js';
import { saveLoginState, takeLoginState } from './states.js';

/**
 * Binds a login to the browser that started it: the callback must bring back the `state` this
 * cookie holds, so a callback URL sent to someone else cannot log them into another account.
 */
const STATE_COOKIE = 'civitas_oidc';
const STATE_COOKIE_PATH = '/auth/oidc';
const CALLBACK = '/auth/oidc/callback';

function sameValue(a: string, b: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** A page for when OpenID Connect login cannot go on: `key` names its texts (identity.oidc.<key>.title/text). */
function problemPage(reply: FastifyReply, key: string, status: number, label: string) {
  const t = reply.view().t;
  const message = {
    title: t(`identity.oidc.${key}.title`, { label }),
    text: t(`identity.oidc.${key}.text`, { label }),
    link: { href: '/login', label: t('identity.link.toLogin') },
  };
  return sendMessage(reply, message, status);
}

/** The claims the ID token and userinfo carry, merged; userinfo is where FranceConnect puts the identity. */
async function identityClaims(
  configuration: client.Configuration,
  tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
) {
  // The grant was made with idTokenExpected: a response without an ID token was already refused.
  const idClaims = tokens.claims()!;
  const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
  const claims: Record<string, unknown> = {};
  for (const name of [...IDENTITY_CLAIMS, 'email', 'email_verified']) claims[name] = userinfo[name] ?? idClaims[name];
  return { subject: idClaims.sub, acr: typeof idClaims.acr === 'string' ? idClaims.acr : null, claims };
}

/**
 * Residents' login through the city's OpenID Connect provider (FranceConnect or compatible):
 * authorization code flow with PKCE (S256), state and nonce. Registered only when configured.
 */
export function oidcRoutes(app: FastifyInstance, kernel: Kernel, settings: OidcSettings): void {
  const discovery = lazyDiscovery(settings);
  const cookieOptions = (request: FastifyRequest) => ({
    path: STATE_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
  });

  app.get<{ Querystring: { next?: string } }>(
    '/auth/oidc',
    {
      config: { public: true },
      schema: { querystring: { type: 'object', properties: { next: { type: 'string' }, lang: { type: 'string' } } } },
    },
    async (request, reply) => {
      // Each start stores a login state: limited per address like a state-changing request.
      await enforce(kernel.db, `oidc:ip:${request.ip}`, { max: 30, windowSeconds: 600 });
      let configuration: client.Configuration;
      try {
        configuration = await discovery();
      } catch (err) {
        request.log.warn({ err, issuer: settings.issuer }, 'OpenID Connect provider unreachable');
        return problemPage(reply, 'unavailable', 503, settings.label);
      }
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      await saveLoginState(kernel.db, state, { nonce, codeVerifier, nextPath: safeNext(request.query.next) });
      reply.setCookie(STATE_COOKIE, state, { ...cookieOptions(request), maxAge: 600 });
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: absoluteUrl(kernel.config, CALLBACK),
        scope: settings.scopes,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        ...(settings.acrValues ? { acr_values: settings.acrValues } : {}),
      });
      return reply.redirect(url.href, 303);
    },
  );

  app.get<{ Querystring: { state?: string; error?: string } }>(
    CALLBACK,
    {
      config: { public: true },
      schema: { querystring: { type: 'object', properties: { state: { type: 'string' }, error: { type: 'string' } } } },
    },
    async (request, reply) => {
      const { state, error } = request.query;
      const expected = request.cookies[STATE_COOKIE];
      reply.clearCookie(STATE_COOKIE, cookieOptions(request));
      const login = state && expected && sameValue(state, expected) ? await takeLoginState(kernel.db, state) : undefined;
      if (!state || !login) return problemPage(reply, 'badState', 400, settings.label);
      if (error) return problemPage(reply, 'cancelled', 400, settings.label);

      let identity: Awaited<ReturnType<typeof identityClaims>>;
      let issuer: string;
      try {
        const configuration = await discovery();
        issuer = configuration.serverMetadata().issuer;
        const query = request.url.slice(request.url.indexOf('?'));
        const tokens = await client.authorizationCodeGrant(configuration, new URL(`${absoluteUrl(kernel.config, CALLBACK)}${query}`), {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: state,
          expectedNonce: login.nonce,
          idTokenExpected: true,
        });
        identity = await identityClaims(configuration, tokens);
      } catch (err) {
        const unavailable = providerUnavailable(err);
        request.log.warn({ err, issuer: settings.issuer }, 'OpenID Connect login failed');
        return problemPage(reply, unavailable ? 'unavailable' : 'refused', unavailable ? 503 : 400, settings.label);
      }
      const lang = reply.view().lang;
      const result = await oidcSignIn(kernel, { issuer, ...identity }, { lang, ip: request.ip });
      if ('problem' in result) return problemPage(reply, result.problem, result.problem === 'disabled' ? 403 : 400, settings.label);
      await startSession(kernel, request, reply, {
        accountId: result.accountId,
        method: `oidc:${issuer}`,
        acr: identity.acr,
        details: { outcome: result.outcome },
      });
      return reply.redirect(login.nextPath, 303);
    },
  );
}
