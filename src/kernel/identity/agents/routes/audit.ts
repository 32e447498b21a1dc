import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { HttpError } from '../../../http/errors.js';
import type { Kernel } from '../../../kernel.js';
import { audit } from '../../audit.js';
import { auditCsv } from '../audit-csv.js';
import { type AuditFilter, parseAuditFilter, searchAudit } from '../audit-search.js';
import { actingOf, adminPage, field } from '../http.js';
import { AuditPage } from '../views/audit.js';

const config = { permission: 'admin.audit' };
const PAGE_SIZE = 50;

function queryOf(filter: AuditFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...(filter as Record<string, string>), ...extra });
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function auditRoutes(app: FastifyInstance, kernel: Kernel): void {
  const timeZone = kernel.config.city.timezone;

  app.get('/admin/audit', { config }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const { filter, problems } = parseAuditFilter(query);
    const before = field(query, 'before');
    const ctx = reply.view();
    const result = problems.length
      ? { rows: [] }
      : await searchAudit(kernel.db, request.actor, filter, {
          timeZone,
          before: /^[0-9a-f]{28}$/.test(before) ? before : undefined,
          limit: PAGE_SIZE,
        });
    // What was typed is shown again, wrong dates included, for the agent to correct.
    const values = {
      actor: field(query, 'actor'),
      action: field(query, 'action'),
      resource: field(query, 'resource'),
      from: field(query, 'from'),
      to: field(query, 'to'),
    };
    const page = h(AuditPage, {
      ctx,
      values,
      rows: result.rows,
      errors: problems.map((p) => ({ field: p.field, message: ctx.t(p.message) })),
      csvHref: `/admin/audit.csv${queryOf(filter)}`,
      olderHref: 'next' in result && result.next ? `/admin/audit${queryOf(filter, { before: result.next })}` : undefined,
    });
    return adminPage(kernel, request, reply, ctx.t('admin.audit.title'), page, problems.length ? 400 : undefined);
  });

  app.get('/admin/audit.csv', { config }, async (request, reply) => {
    const who = actingOf(request);
    const { filter, problems } = parseAuditFilter(request.query as Record<string, unknown>);
    if (problems.length) throw new HttpError(400, 'validation', `Invalid search: ${problems.map((p) => p.field).join(', ')}.`, problems);
    // Exporting copies personal data out of the platform: that itself is recorded.
    await audit(kernel.db, { actor: who.actor, action: 'audit.export', resourceType: 'audit_log', ip: who.ip, details: { filter } });
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(auditCsv(kernel.db, who.actor, filter, timeZone));
  });
}
