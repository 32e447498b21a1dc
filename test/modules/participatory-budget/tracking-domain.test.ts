import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { seedIdentityDemo } from '../../../src/kernel/identity/demo.js';
import { updateProgress } from '../../../src/modules/participatory-budget/tracking/change.js';
import { followProject, unfollowProject } from '../../../src/modules/participatory-budget/tracking/follow.js';
import { historyOf } from '../../../src/modules/participatory-budget/tracking/history.js';
import { addMilestone, milestoneOwner, milestonesOf } from '../../../src/modules/participatory-budget/tracking/milestones.js';
import { trackedById } from '../../../src/modules/participatory-budget/tracking/project.js';
import { startTracking } from '../../../src/modules/participatory-budget/tracking/start.js';
import { agentActor } from '../../identity/agents-fixtures.js';
import type { TestApp } from '../../support/app.js';
import { createCitizen } from '../../support/identity.js';
import { refusal, SYSTEM, startWithParticipatoryBudget } from './campaigns-support.js';
import { insertProject, photo, trackedCampaign, trackingCounts } from './tracking-support.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof trackedCampaign>>;

const agent = async (email: string) => {
  const row = await t.kernel.db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return { actor: await agentActor(t.kernel, row.id), ip: '127.0.0.1' };
};
const update = (
  projectId: string,
  change: { status: string; progress: number; reason?: string },
  acting: Parameters<typeof updateProgress>[2] = SYSTEM,
) => inTransaction(t.kernel.db, (trx) => updateProgress(trx, t.kernel, acting, projectId, change));

beforeAll(async () => {
  t = await startWithParticipatoryBudget();
  await seedIdentityDemo(t.kernel);
  ids = await trackedCampaign(t.kernel);
});
afterAll(async () => t?.close());

describe('startTracking (called when the results are published)', () => {
  it('makes each winner a tracked result, planned at 0 %, with its first history entry; a second call changes nothing', async () => {
    const square = await trackedById(t.kernel.db, ids.square);
    expect(square).toMatchObject({ code: '11-001', status: 'planned', progress: 0, abandonReason: null, envelopeCode: '75111' });
    expect((await historyOf(t.kernel.db, ids.square)).map((h) => h.kind)).toEqual(['start']);
    const before = await trackingCounts(t.kernel);
    expect(await inTransaction(t.kernel.db, (trx) => startTracking(trx, t.kernel, [ids.square, ids.plan]))).toEqual([]);
    expect(await trackingCounts(t.kernel)).toEqual(before);
  });

  it('refuses an unknown project, and tracks none of the others given with it', async () => {
    const other = await insertProject(t.kernel, { envelope: '75111', code: '11-099', title: 'Autre' });
    await refusal(
      inTransaction(t.kernel.db, (trx) => startTracking(trx, t.kernel, [other, 'no-such-project'])),
      'participatory-budget.tracking.project-unknown',
    );
    expect(await trackedById(t.kernel.db, other)).toBeUndefined();
  });
});

describe('updating status and progress', () => {
  it('records the change, its history and audit entry', async () => {
    const after = await update(ids.square, { status: 'studies', progress: 10 }, await agent('agent.11@ville.example'));
    expect(after).toMatchObject({ status: 'studies', progress: 10 });
    expect(await trackedById(t.kernel.db, ids.square)).toMatchObject({ status: 'studies', progress: 10 });
    expect((await historyOf(t.kernel.db, ids.square)).at(-1)).toMatchObject({ kind: 'update', status: 'studies', progress: 10 });
    const entry = await t.kernel.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'participatory-budget.tracking.update')
      .where('resource_id', '=', ids.square)
      .executeTakeFirstOrThrow();
    expect(entry.actor_label).toBe('agent:agent.11@ville.example');
    expect(JSON.parse(entry.details)).toMatchObject({ from: { status: 'planned', progress: 0 }, to: { status: 'studies', progress: 10 } });
  });

  it('"delivered" means 100 %; leaving "abandoned" drops the reason', async () => {
    expect(await update(ids.garden, { status: 'delivered', progress: 80 })).toMatchObject({ status: 'delivered', progress: 100 });
    await update(ids.garden, { status: 'abandoned', progress: 20, reason: '  Site vendu.  ' });
    expect(await trackedById(t.kernel.db, ids.garden)).toMatchObject({ status: 'abandoned', progress: 20, abandonReason: 'Site vendu.' });
    await update(ids.garden, { status: 'works', progress: 30, reason: 'ignored' });
    expect(await trackedById(t.kernel.db, ids.garden)).toMatchObject({ status: 'works', progress: 30, abandonReason: null });
  });

  it('refuses bad changes with every problem named, and changes nothing', async () => {
    const before = await trackingCounts(t.kernel);
    const cases: [object, string[]][] = [
      [{ status: 'works', progress: 120 }, ['progress']],
      [{ status: 'works', progress: -1 }, ['progress']],
      [{ status: 'works', progress: 12.5 }, ['progress']],
      [{ status: 'works', progress: Number.NaN }, ['progress']],
      [{ status: 'abandoned', progress: 10 }, ['reason']],
      [{ status: 'abandoned', progress: 10, reason: '   ' }, ['reason']],
      [{ status: 'finished', progress: 150 }, ['status', 'progress']],
    ];
    for (const [change, fields] of cases) {
      const error = await refusal(update(ids.square, change as never), 'participatory-budget.tracking.invalid-change');
      expect(error.statusCode).toBe(400);
      expect(error.fields.map((f) => f.field)).toEqual(fields);
      expect(error.fields.every((f) => t.kernel.i18n.t('fr', f.message) !== f.message)).toBe(true);
    }
    expect(await trackingCounts(t.kernel)).toEqual(before);
  });

  it('refuses an unknown or untracked project, and an agent outside the project’s unit', async () => {
    const before = await trackingCounts(t.kernel);
    await refusal(update('no-such-project', { status: 'works', progress: 10 }), 'participatory-budget.tracking.not-tracked');
    const untracked = await insertProject(t.kernel, { envelope: '75118', code: '18-050', title: 'Perdant' });
    await refusal(update(untracked, { status: 'works', progress: 10 }), 'participatory-budget.tracking.not-tracked');
    const of18 = await agent('agent.18@ville.example');
    const forbidden = await refusal(update(ids.square, { status: 'works', progress: 50 }, of18), 'participatory-budget.tracking.forbidden');
    expect(forbidden.statusCode).toBe(403);
    // A town hall's grant does not reach the city-wide envelope: that is the city's root unit.
    await refusal(
      update(ids.plan, { status: 'works', progress: 50 }, await agent('agent.11@ville.example')),
      'participatory-budget.tracking.forbidden',
    );
    const after = await trackingCounts(t.kernel);
    expect({ ...after, rows: after.rows.filter((r) => r.project_id !== untracked) }).toEqual(before);
    // The city's administrator may report on the whole city.
    expect(await update(ids.plan, { status: 'studies', progress: 5 }, await agent('admin@ville.example'))).toMatchObject({
      status: 'studies',
    });
  });
});

describe('milestones with photos', () => {
  it('adds a dated milestone whose photos the files service attaches to it; English falls back to French', async () => {
    const stored = await t.kernel.files.store({ data: await photo(), filename: 'chantier.jpg' });
    const id = await inTransaction(t.kernel.db, (trx) =>
      addMilestone(trx, t.kernel, SYSTEM, ids.square, {
        date: '2028-03-14',
        title: { fr: 'Début des travaux', en: '' },
        text: { fr: 'Les clôtures sont posées.', en: 'The fences are up.' },
        photoIds: [stored.id],
      }),
    );
    const [milestone] = await milestonesOf(t.kernel.db, ids.square);
    expect(milestone).toEqual({
      id,
      date: '2028-03-14',
      title: { fr: 'Début des travaux', en: 'Début des travaux' },
      text: { fr: 'Les clôtures sont posées.', en: 'The fences are up.' },
      photos: [{ fileId: stored.id }],
    });
    expect((await t.kernel.files.get(stored.id))?.owner).toBe(milestoneOwner(id));
    expect((await historyOf(t.kernel.db, ids.square)).at(-1)).toMatchObject({ kind: 'milestone', milestoneId: id });
  });

  it('refuses a bad date, a missing title, a document instead of a photo, and changes nothing', async () => {
    const pdf = await t.kernel.files.store({
      data: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
      filename: 'plan.pdf',
    });
    const before = await trackingCounts(t.kernel);
    const error = await refusal(
      inTransaction(t.kernel.db, (trx) =>
        addMilestone(trx, t.kernel, SYSTEM, ids.square, {
          date: '2028-02-30x',
          title: { fr: ' ', en: 'Works' },
          text: { fr: '', en: '' },
          photoIds: [pdf.id],
        }),
      ),
      'participatory-budget.tracking.invalid-change',
    );
    expect(error.fields.map((f) => f.field)).toEqual(['date', 'titleFr', 'photos']);
    expect(await trackingCounts(t.kernel)).toEqual(before);
    expect((await t.kernel.files.get(pdf.id))?.owner).toBeNull();
  });
});

describe('followers', () => {
  it('hear of each change in their own language, on the dashboard and by e-mail; no longer once they unfollow', async () => {
    const fr = await createCitizen(t.kernel, { email: 'suit.fr@example.org' });
    const en = await createCitizen(t.kernel, { email: 'follows.en@example.org' });
    await t.kernel.db.updateTable('accounts').set({ preferred_lang: 'en' }).where('id', '=', en).execute();
    for (const account of [fr, en, fr]) await inTransaction(t.kernel.db, (trx) => followProject(trx, ids.garden, account));
    await update(ids.garden, { status: 'abandoned', progress: 30, reason: 'Le terrain est inconstructible.' });
    const messages = async (accountId: string) =>
      t.kernel.db.selectFrom('notifications').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
    const toFr = await messages(fr);
    expect(toFr.map((m) => m.channel).sort()).toEqual(['dashboard', 'email']);
    expect(toFr[0]!.subject).toBe('Budget participatif : du nouveau sur « Jardin partagé »');
    expect(toFr[0]!.body).toContain('Nouvel état : Abandonné, réalisé à 30 %. Raison : Le terrain est inconstructible.');
    expect(toFr[0]!.link).toBe('/budget/essai-2027/realisations/18-001');
    const toEn = await messages(en);
    expect(toEn[0]!.subject).toBe('Participatory budget: news of “Jardin partagé (en)”');
    expect(toEn[0]!.body).toContain('New status: Abandoned, 30% done.');

    await inTransaction(t.kernel.db, (trx) => unfollowProject(trx, ids.garden, fr));
    await inTransaction(t.kernel.db, (trx) =>
      addMilestone(trx, t.kernel, SYSTEM, ids.garden, {
        date: '2028-05-02',
        title: { fr: 'Réunion publique', en: 'Public meeting' },
        text: { fr: '', en: '' },
        photoIds: [],
      }),
    );
    expect(await messages(fr)).toHaveLength(2);
    const latest = (await messages(en)).at(-1)!;
    expect(latest.body).toContain('New milestone, on 2 May 2028: Public meeting.');
  });

  it('can only follow a tracked project', async () => {
    const resident = await createCitizen(t.kernel, { email: 'curieux@example.org' });
    await refusal(
      inTransaction(t.kernel.db, (trx) => followProject(trx, 'no-such-project', resident)),
      'participatory-budget.tracking.not-tracked',
    );
  });
});
