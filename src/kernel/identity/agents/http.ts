import type { FastifyReply, FastifyRequest } from 'fastify';
import { h, type VNode } from 'preact';
import { HttpError } from '../../http/errors.js';
import type { Translate } from '../../i18n/i18n.js';
import type { Kernel } from '../../kernel.js';
import { AdminLayout } from '../../ui/admin-layout.js';
import type { FieldError } from '../../ui/components.js';
import type { NavLink } from '../../ui/context.js';
import { SESSION_COOKIE } from '../sessions.js';
import type { Acting } from './acting.js';
import { sectionsFor } from './sections.js';

/** The agent behind a back-office request (the route's access rule already required one). */
export function actingOf(request: FastifyRequest): Acting {
  const actor = request.actor;
  // Unreachable behind the route's rule, which already required an agent; kept so the type is narrowed.
  if (actor.kind !== 'agent') throw new HttpError(403, 'auth.forbidden', 'This is reserved for the city’s agents.');
  return { actor, ip: request.ip };
}

/** HttpOnly, SameSite=Lax, Secure over TLS (direct, or via a trusted proxy); no Max-Age: the server enforces the timeouts. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
}

/** A text field of a posted form (the first one when repeated), or '' when absent. */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** Every value of a repeated field (checkboxes). */
export function fieldList(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/**
 * Runs a domain write. A form problem comes back as translated field errors for the page to show
 * again; anything else (403, 404…) goes on to the error page.
 */
export async function attempt<T>(
  t: Translate,
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; errors: FieldError[] }> {
  try {
    return { ok: true, value: await work() };
  } catch (err) {
    if (!(err instanceof HttpError) || (err.statusCode !== 400 && err.statusCode !== 409) || err.fields.length === 0) throw err;
    // Our own problems carry message keys; those of shared domain code (units.ts) are named by their code.
    const key = (message: string) => (message.startsWith('admin.') ? message : `admin.errors.${err.code}`);
    return { ok: false, errors: err.fields.map((f) => ({ field: f.field, message: t(key(f.message)) })) };
  }
}

/** A page of the back office: the layout's sub-navigation lists only what the agent may open. */
export function adminPage(kernel: Kernel, request: FastifyRequest, reply: FastifyReply, title: string, body: VNode<any>, status?: number) {
  const ctx = reply.view();
  const entries = [
    { href: '/admin', label: 'admin.nav.home' },
    ...sectionsFor(kernel, request.actor),
    { href: '/admin/account', label: 'admin.nav.account' },
  ];
  // The home entry is current on its own page only: every other page is inside it.
  const current = (href: string): NavLink['current'] =>
    ctx.path === href ? 'page' : href !== '/admin' && ctx.path.startsWith(`${href}/`) ? 'true' : false;
  const links: NavLink[] = entries.map((e) => ({ href: e.href, label: ctx.t(e.label), current: current(e.href) }));
  return reply.page(title, h(AdminLayout, { label: ctx.t('admin.nav.label'), links, children: body }), { status });
}
