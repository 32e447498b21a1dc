import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appliedMigrations, migrate } from '../../../src/kernel/db/migrator.js';
import { newId } from '../../../src/kernel/db/values.js';
import { catalogue } from '../../../src/modules/catalogue.js';
import { CITY_ENVELOPE } from '../../../src/modules/participatory-budget/campaigns/definition.js';
import { demoCampaignDefinition, seedCampaignsDemo } from '../../../src/modules/participatory-budget/campaigns/demo.js';
import { currentPhase } from '../../../src/modules/participatory-budget/campaigns/phases.js';
import { campaignCodes, loadCampaign } from '../../../src/modules/participatory-budget/campaigns/store.js';
import participatoryBudget from '../../../src/modules/participatory-budget/module.js';
import { computeEnvelope, withOverrides } from '../../../src/modules/participatory-budget/results/compute.js';
import { countEnvelope } from '../../../src/modules/participatory-budget/results/tally.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { startWithParticipatoryBudget } from './campaigns-support.js';

const TABLES = ['pb_campaigns', 'pb_envelopes', 'pb_phases', 'pb_reserved_amounts', 'pb_themes'];
/** Tables of the test's own database or schema: on PostgreSQL, introspection lists every schema's, other test files' included. */
const tablesOf = async (t: TestApp) =>
  (await t.kernel.db.introspection.getTables()).filter((x) => x.schema === t.testDb.schema).map((x) => x.name);

describe('the module, registered, enabled by the demo city only', () => {
  it('is in the catalogue, and only Paris’s configuration enables it', () => {
    expect(catalogue.map((m) => m.code)).toContain('participatory-budget');
    const cities = readdirSync(new URL('../../../cities/', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(cities.length).toBeGreaterThanOrEqual(3);
    for (const city of cities) {
      const config = JSON.parse(readFileSync(new URL(`../../../cities/${city.name}/civitas.json`, import.meta.url), 'utf8'));
      expect(config.modules.includes('participatory-budget'), city.name).toBe(city.name === 'paris');
    }
  });

  describe('in a city that does not enable it', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ demo: true, overrides: { modules: ['pages', 'procedures', 'street-reports'] } });
    });
    afterAll(async () => t.close());

    it('contributes nothing: no table, migration, permission, message, job, schedule or demo', async () => {
      const tables = await tablesOf(t);
      for (const table of TABLES) expect(tables).not.toContain(table);
      expect((await appliedMigrations(t.kernel.database)).filter((m) => m.owner === 'module:participatory-budget')).toEqual([]);
      expect(t.kernel.permissions.map((p) => p.code)).not.toContain('participatory-budget.manage');
      expect(t.kernel.i18n.keys('fr').filter((key) => key.startsWith('participatory-budget.'))).toEqual([]);
      await expect(t.kernel.jobs.enqueue(t.kernel.db, 'participatory-budget:freeze-opened-votes', {})).rejects.toThrow(
        /freeze-opened-votes/,
      );
      await t.kernel.jobs.syncSchedules();
      const schedules = await t.kernel.db.selectFrom('schedules').select('name').execute();
      expect(schedules.map((s) => s.name)).not.toContain('participatory-budget:freeze-opened-votes');
    });
  });
});

describe('enabled, in the demo city', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startWithParticipatoryBudget({ demo: true });
  });
  afterAll(async () => t.close());

  it('has its tables, its permission in the demo roles, its messages in both languages and its schedule', async () => {
    const tables = await tablesOf(t);
    for (const table of TABLES) expect(tables).toContain(table);
    expect((await appliedMigrations(t.kernel.database)).filter((m) => m.owner === 'module:participatory-budget')).toEqual(
      Object.keys(participatoryBudget.migrations!).map((name) => ({ owner: 'module:participatory-budget', name })),
    );
    const role = await t.kernel.db.selectFrom('roles').select('permissions').where('code', '=', 'administrateur').executeTakeFirstOrThrow();
    expect(JSON.parse(role.permissions)).toContain('participatory-budget.manage');
    expect(t.kernel.i18n.t('fr', 'participatory-budget.phase.proposals')).toBe('Dépôt des projets');
    expect(t.kernel.i18n.t('en', 'participatory-budget.errors.frozen')).toMatch(/can no longer change/);
    await t.kernel.jobs.syncSchedules();
    const schedules = await t.kernel.db.selectFrom('schedules').select('name').execute();
    expect(schedules.map((s) => s.name)).toContain('participatory-budget:freeze-opened-votes');
  });

  it('seeds a Paris-shaped campaign: €100M, ~€30M Paris-wide, the 20 arrondissements by population, its vote open now', async () => {
    const codes = await campaignCodes(t.kernel.db);
    expect(codes).toHaveLength(2);
    const campaign = (await loadCampaign(t.kernel.db, codes[0]!))!;
    expect(campaign.code).toMatch(/^paris-20\d\d$/);
    expect(campaign.status).toBe('published');
    expect(currentPhase(campaign, new Date())?.phase).toBe('vote');
    expect(campaign.phases.map((p) => p.phase)).toEqual(['proposals', 'co-construction', 'study', 'vote', 'results', 'execution']);
    // The campaign is named by the year of its vote, as Paris names its editions.
    expect(campaign.code).toBe(`paris-${campaign.phases[3]!.startsAt.slice(0, 4)}`);

    const [city, ...arrondissements] = campaign.envelopes;
    expect(city).toMatchObject({
      code: CITY_ENVELOPE,
      label: { fr: 'Tout Paris', en: 'All of Paris' },
      frozenAt: campaign.phases[3]!.startsAt,
    });
    expect(arrondissements.map((e) => e.code)).toEqual(t.kernel.districts.all.map((d) => d.code));
    expect(arrondissements).toHaveLength(20);
    expect(campaign.envelopes.reduce((sum, e) => sum + e.amount, 0)).toBe(100_000_000);
    expect(city!.amount).toBeGreaterThan(28_000_000);
    expect(city!.amount).toBeLessThan(32_000_000);
    const byCode = new Map(arrondissements.map((e) => [e.code, e]));
    expect(byCode.get('75115')!.amount).toBeGreaterThan(byCode.get('75101')!.amount * 3);
    expect(byCode.get('75101')!.label).toEqual({ fr: '1er arrondissement', en: '1st arrondissement' });
    expect(byCode.get('75112')!.label).toEqual({ fr: '12e arrondissement', en: '12th arrondissement' });
    for (const e of campaign.envelopes) {
      expect(e.amount % 10_000, e.code).toBe(0);
      expect(
        e.reserved.reduce((sum, r) => sum + r.amount, 0),
        e.code,
      ).toBeLessThanOrEqual(e.amount);
      expect(e.ballotRules).toEqual({ type: 'approval', maxProjects: 4, minProjects: 1 });
      expect(e.winnerRule).toBe('greedy');
    }
    const reservedTotal = (code: string) =>
      campaign.envelopes
        .flatMap((e) => e.reserved)
        .filter((r) => r.code === code)
        .reduce((sum, r) => sum + r.amount, 0);
    // Paris reserves about €30M for working-class neighbourhoods and €10M for schools.
    expect(reservedTotal('quartiers-populaires')).toBeGreaterThan(25_000_000);
    expect(reservedTotal('quartiers-populaires')).toBeLessThan(35_000_000);
    expect(reservedTotal('ecoles')).toBeGreaterThan(9_000_000);
    expect(reservedTotal('ecoles')).toBeLessThan(11_000_000);
    expect(byCode.get('75106')!.reserved.map((r) => r.code)).toEqual(['ecoles']);
    expect(byCode.get('75119')!.reserved.map((r) => r.code)).toEqual(['quartiers-populaires', 'ecoles']);
  });

  it('takes its themes from Paris’s winning projects (the 11 values of the “Thématique” column)', async () => {
    const campaign = (await loadCampaign(t.kernel.db, (await campaignCodes(t.kernel.db))[0]!))!;
    expect(campaign.themes.map((th) => th.label.fr).sort()).toEqual(
      [
        'Attractivité et emploi',
        'Cadre de vie',
        'Culture et patrimoine',
        'Education et jeunesse',
        'Environnement',
        'Mobilités',
        'Prévention et sécurité',
        'Propreté',
        'Santé',
        'Solidarités',
        'Sport',
      ].sort(),
    );
    expect(campaign.themes.every((th) => /^[a-z-]+$/.test(th.code) && th.label.en.length > 0)).toBe(true);
  });

  it('seeds last year’s edition with its results computed from its ballots by its rule, published, and its winners tracked', async () => {
    const past = (await loadCampaign(t.kernel.db, (await campaignCodes(t.kernel.db))[1]!))!;
    expect(currentPhase(past, new Date())?.phase).toBe('execution');
    const results = await t.kernel.db
      .selectFrom('pb_results as r')
      .innerJoin('pb_envelopes as e', 'e.id', 'r.envelope_id')
      .select(['e.code', 'e.id', 'e.amount', 'e.ballot_rules', 'e.winner_rule', 'r.selected', 'r.published_at', 'r.ballots_online'])
      .where('e.campaign_id', '=', past.id)
      .execute();
    expect(results).toHaveLength(21);
    for (const r of results) {
      expect(r.published_at, r.code).not.toBeNull();
      expect(r.ballots_online, r.code).toBeGreaterThan(0);
      // Computed, not typed in: the rule run again on the stored ballots funds the same projects.
      const outcome = computeEnvelope(await countEnvelope(t.kernel.db, r), r.winner_rule);
      expect(withOverrides(outcome, []), r.code).toEqual(JSON.parse(r.selected));
    }
    const tracked = await t.kernel.db.selectFrom('pb_tracked_projects').select('project_id').execute();
    expect(tracked.length).toBe(results.reduce((n, r) => n + JSON.parse(r.selected).length, 0));
    // The current edition is on the ballot in every envelope.
    const current = (await loadCampaign(t.kernel.db, (await campaignCodes(t.kernel.db))[0]!))!;
    const onBallot = await t.kernel.db
      .selectFrom('pb_projects as p')
      .innerJoin('pb_envelopes as e', 'e.id', 'p.envelope_id')
      .select('e.code')
      .distinct()
      .where('p.campaign_id', '=', current.id)
      .where('p.status', '=', 'ballot')
      .execute();
    expect(onBallot).toHaveLength(21);
  });

  it('seeds once: running the demo again adds nothing', async () => {
    await seedCampaignsDemo(t.kernel);
    expect(await campaignCodes(t.kernel.db)).toHaveLength(2);
  });

  it('builds the demo of a city without districts with its city-wide envelope alone', () => {
    const kernel = {
      ...t.kernel,
      config: { ...t.kernel.config, city: { ...t.kernel.config.city, code: 'bourg' } },
      districts: { all: [] },
    };
    const def = demoCampaignDefinition(kernel as never, new Date('2026-11-27T10:00:00Z'));
    expect(def.code).toBe('bourg-2026');
    expect(def.envelopes.map((e) => [e.code, e.amount])).toEqual([[CITY_ENVELOPE, 100_000_000]]);
  });
});

describe('the migration, on this engine', () => {
  let db: TestDatabase;
  afterEach(async () => db?.drop());
  const set = { owner: 'module:participatory-budget', migrations: participatoryBudget.migrations! };

  it('applies once, and stores amounts beyond 2^31 and open-ended phases', async () => {
    db = await createTestDatabase();
    expect(await migrate(db.database, [set])).toEqual(
      Object.keys(set.migrations).map((name) => ({ owner: 'module:participatory-budget', name })),
    );
    expect(await migrate(db.database, [set])).toEqual([]);
    const k = db.database.db;
    const at = '2026-11-27T00:00:00.000Z';
    const id = newId();
    await k
      .insertInto('pb_campaigns')
      .values({ id, code: 'big-2027', title_fr: 'Grand', title_en: 'Big', status: 'draft', revision: 0, created_at: at, updated_at: at })
      .execute();
    await k
      .insertInto('pb_phases')
      .values({ id: newId(), campaign_id: id, phase: 'execution', position: 0, starts_at: at, ends_at: null })
      .execute();
    const envelope = {
      id: newId(),
      campaign_id: id,
      code: 'city',
      label_fr: 'Ville',
      label_en: 'City',
      amount: 5_000_000_000,
      ballot_rules: '{"type":"approval","maxProjects":4}',
      winner_rule: 'greedy',
      frozen_at: null,
      position: 0,
      created_at: at,
      updated_at: at,
    };
    await k.insertInto('pb_envelopes').values(envelope).execute();
    const stored = await k
      .selectFrom('pb_envelopes')
      .select(['amount', 'frozen_at'])
      .where('id', '=', envelope.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ amount: 5_000_000_000, frozen_at: null });
    expect(typeof stored.amount).toBe('number');
    expect((await loadCampaign(k, 'big-2027'))!.phases).toEqual([{ phase: 'execution', startsAt: at, endsAt: null }]);
    // Stable codes are unique where configuration refers to them.
    await expect(
      k
        .insertInto('pb_envelopes')
        .values({ ...envelope, id: newId() })
        .execute(),
    ).rejects.toThrow();
    await expect(
      k
        .insertInto('pb_campaigns')
        .values({
          id: newId(),
          code: 'big-2027',
          title_fr: 'x',
          title_en: 'x',
          status: 'draft',
          revision: 0,
          created_at: at,
          updated_at: at,
        })
        .execute(),
    ).rejects.toThrow();
  });
});
