import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/kernel/db/values.js';
import { auditCsv, csvCell } from '../../src/kernel/identity/agents/audit-csv.js';
import { parseAuditFilter, searchAudit, startOfDay } from '../../src/kernel/identity/agents/audit-search.js';
import { type Actor, ANONYMOUS } from '../../src/kernel/identity/authorization.js';
import { createUnit } from '../../src/kernel/identity/units.js';
import { createTestApp, type TestApp } from '../support/app.js';

/** Searching and exporting the audit log (domain functions). */
let t: TestApp;
const TZ = 'Europe/Paris';
const everything: Actor = { kind: 'agent', admin: true, grants: [], account: {} as never, session: {} as never };
const auditorOfD1: Actor = {
  kind: 'agent',
  admin: false,
  grants: [{ role: 'auditor', unit: 'd1', unitPath: '/city/d1/', permissions: new Set(['admin.audit']) }],
  account: {} as never,
  session: {} as never,
};

async function entry(at: string, values: { actor?: string; action: string; resourceType?: string; resourceId?: string; unit?: string }) {
  await t.kernel.db
    .insertInto('audit_log')
    .values({
      id: newId(Date.parse(at)),
      at,
      actor_id: null,
      actor_label: values.actor ?? 'agent:someone@city.test',
      action: values.action,
      resource_type: values.resourceType ?? null,
      resource_id: values.resourceId ?? null,
      unit_code: values.unit ?? null,
      ip: '192.0.2.1',
      details: '{}',
    })
    .execute();
}

const search = async (actor: Actor, query: Record<string, string>, options: { before?: string; limit?: number } = {}) => {
  const { filter, problems } = parseAuditFilter(query);
  expect(problems).toEqual([]);
  return searchAudit(t.kernel.db, actor, filter, { timeZone: TZ, limit: options.limit ?? 100, before: options.before });
};

beforeAll(async () => {
  t = await createTestApp();
  await createUnit(t.kernel.db, { code: 'city', parentCode: null, name: { fr: 'Ville', en: 'City' } });
  await createUnit(t.kernel.db, { code: 'd1', parentCode: 'city', name: { fr: 'D1', en: 'D1' } });
  await createUnit(t.kernel.db, { code: 'd1-a', parentCode: 'd1', name: { fr: 'D1 A', en: 'D1 A' } });
  await createUnit(t.kernel.db, { code: 'd2', parentCode: 'city', name: { fr: 'D2', en: 'D2' } });
  await entry('2024-03-09T22:30:00.000Z', { action: 'login', actor: 'agent:Jeanne.Dupont@city.test' });
  await entry('2024-03-09T23:30:00.000Z', { action: 'grant.create', resourceType: 'grant', resourceId: 'g1', unit: 'd1' });
  await entry('2024-03-10T10:00:00.000Z', { action: 'grant.revoke', resourceType: 'grant', resourceId: 'g1', unit: 'd1-a' });
  await entry('2024-03-10T22:59:00.000Z', { action: 'unit.create', resourceType: 'unit', resourceId: 'd2', unit: 'd2' });
  await entry('2024-03-10T23:00:00.000Z', { action: 'grantee.odd', actor: 'agent:100%_sure@city.test' });
});
afterAll(async () => t?.close());

describe('searching the audit log', () => {
  it('filters by action or family of actions, actor (any case), resource', async () => {
    const actions = async (query: Record<string, string>) => (await search(everything, query)).rows.map((r) => r.action);
    expect(await actions({ action: 'grant' })).toEqual(['grant.revoke', 'grant.create']);
    expect(await actions({ action: 'grant.create' })).toEqual(['grant.create']);
    expect(await actions({ actor: 'jeanne.DUPONT' })).toEqual(['login']);
    expect(await actions({ resource: 'g1' })).toEqual(['grant.revoke', 'grant.create']);
    expect(await actions({ resource: 'unit' })).toEqual(['unit.create']);
  });

  it('takes the actor text literally, wildcards included', async () => {
    expect((await search(everything, { actor: '100%_' })).rows.map((r) => r.action)).toEqual(['grantee.odd']);
    expect((await search(everything, { actor: '%' })).rows.map((r) => r.action)).toEqual(['grantee.odd']);
  });

  it('reads dates as days in the city’s time zone', async () => {
    // 2024-03-09T23:30Z is already 10 March in Paris; 2024-03-10T23:00Z is 11 March.
    const rows = await search(everything, { from: '2024-03-10', to: '2024-03-10' });
    expect(rows.rows.map((r) => r.action)).toEqual(['unit.create', 'grant.revoke', 'grant.create']);
    expect(startOfDay('2024-03-31', TZ)).toBe('2024-03-30T23:00:00.000Z');
    expect(startOfDay('2024-10-27', TZ)).toBe('2024-10-26T22:00:00.000Z');
    expect(startOfDay('2024-07-01', 'UTC')).toBe('2024-07-01T00:00:00.000Z');
  });

  it('refuses malformed dates and over-long texts, naming the fields', () => {
    expect(parseAuditFilter({ from: '10/03/2024', to: '2024-02-30x', actor: 'x'.repeat(201) }).problems.map((p) => p.field)).toEqual([
      'actor',
      'from',
      'to',
    ]);
  });

  it('pages newest first by key, without gaps or repeats', async () => {
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await search(everything, {}, { before, limit: 2 });
      expect(page.rows.length).toBeLessThanOrEqual(2);
      seen.push(...page.rows.map((r) => r.action));
      before = page.next;
    } while (before);
    expect(seen).toEqual(['grantee.odd', 'unit.create', 'grant.revoke', 'grant.create', 'login']);
  });

  it('shows an auditor of a unit the entries of that unit and below, nothing else', async () => {
    expect((await search(auditorOfD1, {})).rows.map((r) => r.unit_code)).toEqual(['d1-a', 'd1']);
    expect((await search(ANONYMOUS, {})).rows).toEqual([]);
  });
});

describe('exporting as CSV', () => {
  it('neutralises cells a spreadsheet would run as formulas, and quotes what needs it', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+33 1 23')).toBe("'+33 1 23");
    expect(csvCell('@sum')).toBe("'@sum");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(null)).toBe('');
    expect(csvCell('agent:x@city.test')).toBe('agent:x@city.test');
  });

  it('streams every matching entry, page after page', async () => {
    const base = Date.parse('2024-05-01T00:00:00.000Z');
    for (let i = 0; i < 1201; i++) await entry(new Date(base + i * 1000).toISOString(), { action: 'bulk.test', resourceId: `r${i}` });
    let text = '';
    for await (const chunk of auditCsv(t.kernel.db, everything, { action: 'bulk' }, TZ)) text += chunk;
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(1202);
    expect(lines[1]).toContain(',r1200,');
    expect(lines.at(-1)).toContain(',r0,');
  });
});
