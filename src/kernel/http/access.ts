import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { type Actor, ANONYMOUS, can, holds, loadGrants, type PermissionRule } from '../identity/authorization.js';
import { readSessionWithProfile } from '../identity/citizens/profile.js';
import { readSession, SESSION_COOKIE } from '../identity/sessions.js';
import type { Kernel } from '../kernel.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting, resolved from the session cookie before any handler runs. */
    actor: Actor;
  }
  interface FastifyInstance {
    /** Every route with its declared access rule, for the authorization matrix test and docs. */
    accessTable: { method: string; url: string; rule: string }[];
  }
  interface FastifyContextConfig {
    /** A signed-in resident or agent ("citizen"), or an agent ("agent"). */
    auth?: 'citizen' | 'agent';
    /**
     * An agent holding this permission (or one of these) in some unit; handlers check the
     * resource's unit with `can`.
     */
    permission?: PermissionRule;
    /**
     * The route shows the signed-in resident's profile: it is read with the session, in the same
     * statement, and handed to the handler as `actor.profile` (one query per request, not two).
     */
    withProfile?: boolean;
  }
}

/** Every route must say who may call it; a route that says nothing does not start. */
export function accessRuleOf(route: Pick<RouteOptions, 'config' | 'method' | 'url'>): string {
  const config = (route.config ?? {}) as { public?: boolean; auth?: string; permission?: PermissionRule };
  if (config.permission) return `permission:${[config.permission].flat().join('|')}`;
  if (config.auth) return `auth:${config.auth}`;
  if (config.public) return 'public';
  throw new Error(
    `Route ${String(route.method)} ${route.url} declares no access rule: add config.public, config.auth or config.permission.`,
  );
}

function wantsHtml(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
}

function loginUrl(request: FastifyRequest, forAgent: boolean): string {
  const next = encodeURIComponent(request.url);
  return forAgent ? `/admin/login?next=${next}` : `/login?next=${next}`;
}

/** Records every route's rule at registration, refusing routes that declare none (the whole app, probes included). */
export function installRouteRules(app: FastifyInstance): void {
  const table: FastifyInstance['accessTable'] = [];
  app.decorate('accessTable', table);
  app.addHook('onRoute', (route) => {
    // Static files (CSS, scripts, logo) are public by nature; Fastify reads the config after this hook.
    if ((route.url ?? '').startsWith('/assets/')) route.config = { ...(route.config as object), public: true };
    if (route.method === 'HEAD') return;
    for (const method of [route.method].flat()) table.push({ method, url: route.url, rule: accessRuleOf(route) });
  });
}

/**
 * Resolves the actor of each request from its session cookie, and enforces each route's declared
 * rule before the handler: anonymous callers are sent to log in (HTML) or get 401 (API); callers
 * without the permission get 403.
 */
export function installAccess(app: FastifyInstance, kernel: Kernel): void {
  app.decorateRequest('actor', null as never);
  // Resolve the actor, then apply the route's rule, before the body is even read: a refused caller
  // costs no parsing, and CSRF or validation errors never mask an access decision.
  app.addHook('onRequest', (request, reply, done) => {
    request.actor = ANONYMOUS;
    const token = request.cookies[SESSION_COOKIE];
    const check = () => {
      if (request.is404) return done();
      const config = request.routeOptions.config;
      if (config.public && !config.auth && !config.permission) return done();
      try {
        // A redirect to the login page answers the request: the chain must then stop here.
        if (enforce(kernel, request, reply) === 'redirected') return;
        done();
      } catch (err) {
        done(err as Error);
      }
    };
    if (!token) return check();
    resolveActor(kernel, token, request.routeOptions.config.withProfile === true).then((actor) => {
      request.actor = actor;
      check();
    }, done);
  });
}

async function resolveActor(kernel: Kernel, token: string, withProfile: boolean): Promise<Actor> {
  const { identity, city } = kernel.config;
  const found: Awaited<ReturnType<typeof readSessionWithProfile>> = withProfile
    ? await readSessionWithProfile(kernel.db, token, identity, city.defaultLanguage)
    : await readSession(kernel.db, token, identity);
  if (!found) return ANONYMOUS;
  const { session, account, profile } = found;
  if (account.kind === 'agent') {
    return { kind: 'agent', account, session, grants: await loadGrants(kernel.db, account.id), admin: account.is_admin === 1 };
  }
  return profile ? { kind: 'citizen', account, session, profile } : { kind: 'citizen', account, session };
}

function enforce(kernel: Kernel, request: FastifyRequest, reply: FastifyReply): 'allowed' | 'redirected' {
  const { auth, permission } = request.routeOptions.config;
  const actor = request.actor;
  const needsAgent = auth === 'agent' || !!permission;
  if (actor.kind === 'anonymous' || (needsAgent && actor.kind !== 'agent')) {
    if (wantsHtml(request) && actor.kind === 'anonymous') {
      reply.redirect(loginUrl(request, needsAgent), 303);
      return 'redirected';
    }
    if (actor.kind === 'anonymous') throw new HttpError(401, 'auth.required', 'You must be signed in.');
    throw new HttpError(403, 'auth.forbidden', 'This is reserved for the city’s agents.');
  }
  // An agent who turned TOTP on must use it, even where the city does not require it.
  const mfaDue = actor.kind === 'agent' && (kernel.config.identity.requireAgentMfa || !!actor.account.totp_enabled_at);
  if (actor.kind === 'agent' && mfaDue && !actor.session.mfaPassed && !request.url.startsWith('/admin/mfa')) {
    if (wantsHtml(request)) {
      reply.redirect(actor.account.totp_enabled_at ? '/admin/mfa' : '/admin/mfa/setup', 303);
      return 'redirected';
    }
    throw new HttpError(403, 'auth.mfa-required', 'A second factor is required: complete it at /admin/mfa.');
  }
  if (permission && !holds(actor, permission)) {
    const names = [permission].flat().map((p) => `"${p}"`);
    throw new HttpError(
      403,
      'auth.forbidden',
      names.length === 1 ? `You do not hold the permission ${names[0]}.` : `You hold none of the permissions ${names.join(', ')}.`,
    );
  }
  return 'allowed';
}

/** For handlers: refuses unless the actor may use `permission` on a resource of this unit. */
export function assertCan(actor: Actor, permission: string, unitPath: string | null | undefined): void {
  if (!can(actor, permission, { unitPath })) {
    throw new HttpError(403, 'auth.out-of-unit', 'You may not act on this resource: it belongs to another unit.');
  }
}
