import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOnce } from '../../../src/kernel/demo.js';
import { HttpError } from '../../../src/kernel/http/errors.js';
import { loadGrants } from '../../../src/kernel/identity/authorization.js';
import { runAction } from '../../../src/kernel/workflow/transition.js';
import { categoriesFromCsv, parseCsv, searchCategories } from '../../../src/modules/street-reports/domain/categories.js';
import { categoriesOf } from '../../../src/modules/street-reports/domain/settings.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { fileReport, MONTREUIL, POTHOLE } from './support.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoOnce(t.kernel);
});
afterAll(() => t?.close());

async function agent(email: string) {
  const account = await t.kernel.db
    .selectFrom('accounts')
    .select(['id', 'kind', 'email', 'display_name', 'preferred_lang', 'totp_enabled_at', 'is_admin', 'status'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const session = { id: 's', accountId: account.id, lastSeenAt: '', expiresAt: '', mfaPassed: true, method: 'password', acr: null };
  return { kind: 'agent' as const, account, session, grants: await loadGrants(t.kernel.db, account.id), admin: account.is_admin === 1 };
}

describe('the category tree', () => {
  it('reads Paris’s taxonomy into three levels with stable codes, agent-only leaves and search', () => {
    const tree = categoriesOf(t.kernel);
    expect(tree.roots.map((r) => r.code)).toContain('voirie-espace');
    expect(tree.byCode.get(POTHOLE)?.parents).toEqual(['voirie-espace', 'voirie-espace.trottoirs']);
    expect(tree.leaves.some((l) => l.agentOnly)).toBe(true);
    expect(searchCategories(tree, 'pave arrache').map((l) => l.code)).toContain(POTHOLE);
    expect(searchCategories(tree, 'réservé').every((l) => !l.agentOnly)).toBe(true);
  });

  it('parses quoted CSV fields and gives the same codes for the same file', () => {
    expect(parseCsv('a,b\n"x, y","say ""hi"""\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ]);
    const csv = 'type,soustype,count\nPropreté,Déjections canines,3\nPropreté,"Poubelles : Débordement",2\n';
    expect([...categoriesFromCsv(csv).byCode.keys()]).toEqual([...categoriesFromCsv(csv).byCode.keys()]);
  });
});

describe('filing a report', () => {
  it('routes it to the town hall of its district, with a readable reference and a workflow item', async () => {
    const { id, reference } = await fileReport(t.kernel, { category: POTHOLE });
    const row = await t.kernel.db.selectFrom('street_reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(reference).toMatch(/^W-\d{6}-\d{6}$/);
    expect(row).toMatchObject({ district: '75111', unit_path: '/paris/mairie-75111/', state: 'new', status: 'open', category: POTHOLE });
  });

  it('refuses a point outside the city, an unknown category and a 10,000-character description, storing nothing', async () => {
    const count = async () => (await t.kernel.db.selectFrom('street_reports').select('id').execute()).length;
    const before = await count();
    const err = await fileReport(t.kernel, { ...MONTREUIL, category: 'nowhere', description: 'x'.repeat(10_000) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).fields.map((f) => f.message)).toEqual([
      'street-reports.errors.category-unknown',
      'street-reports.errors.point-outside',
      'street-reports.errors.description-too-long',
    ]);
    const agentOnly = categoriesOf(t.kernel).leaves.find((l) => l.agentOnly)!;
    const refused = await fileReport(t.kernel, { category: agentOnly.code }).catch((e: unknown) => e);
    expect((refused as HttpError).fields[0]?.message).toBe('street-reports.errors.category-agents');
    expect(await count()).toBe(before);
  });

  it('keeps the report’s state in step with its workflow, in the same transaction', async () => {
    const { id, itemId } = await fileReport(t.kernel, { category: POTHOLE });
    const nadia = await agent('agent.11@ville.example');
    await runAction(t.kernel, nadia, itemId, 'acknowledge');
    await runAction(t.kernel, nadia, itemId, 'reject', { fields: { reason: 'private-property' } });
    const row = await t.kernel.db
      .selectFrom('street_reports')
      .select(['state', 'status', 'closed_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('rejected');
    expect(row.status).toBe('closed');
    expect(row.closed_at).not.toBeNull();
  });
});
