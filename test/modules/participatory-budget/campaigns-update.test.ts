import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { newId, nowIso } from '../../../src/kernel/db/values.js';
import { fromCityLocal, toCityLocal } from '../../../src/modules/participatory-budget/campaigns/admin/city-time.js';
import { fieldOfPath } from '../../../src/modules/participatory-budget/campaigns/admin/form-names.js';
import { campaignFingerprint, editCampaignFromForm } from '../../../src/modules/participatory-budget/campaigns/edit.js';
import { addEnvelope, removeEnvelope } from '../../../src/modules/participatory-budget/campaigns/envelope-set.js';
import { loadCampaign } from '../../../src/modules/participatory-budget/campaigns/store.js';
import { updateCampaign } from '../../../src/modules/participatory-budget/campaigns/update.js';
import { OPEN_ELIGIBILITY } from '../../../src/modules/participatory-budget/voting/eligibility.js';
import type { TestApp } from '../../support/app.js';
import { create, goodDefinition, NOW, refusal, SYSTEM, startWithParticipatoryBudget } from './campaigns-support.js';

/** The domain functions the campaign form saves through, besides createCampaign and updateEnvelope. */
let t: TestApp;
const AFTER_VOTE_OPENED = new Date('2027-09-02T00:00:00Z');

beforeAll(async () => {
  t = await startWithParticipatoryBudget();
});
afterAll(async () => t?.close());

const changesOf = (definition: ReturnType<typeof goodDefinition>) => {
  const { title, status, phases, themes } = definition;
  return { title, status: status ?? 'draft', phases, themes };
};

async function freshCampaign(code: string) {
  const definition = { ...goodDefinition(), code };
  await create(t.kernel, definition);
  return definition;
}

describe('updateCampaign', () => {
  it('changes title, status, phases and themes, with an audit entry', async () => {
    const definition = await freshCampaign('maj-2027');
    const changes = changesOf(definition);
    changes.title = { fr: 'Nouveau titre', en: 'New title' };
    changes.status = 'published';
    changes.themes = [...changes.themes, { code: 'culture', label: { fr: 'Culture', en: 'Culture' } }];
    changes.phases = changes.phases.filter((p) => p.phase !== 'study');
    await inTransaction(t.kernel.db, (trx) => updateCampaign(trx, t.kernel, SYSTEM, 'maj-2027', changes, { now: NOW }));
    const campaign = (await loadCampaign(t.kernel.db, 'maj-2027'))!;
    expect(campaign.title.en).toBe('New title');
    expect(campaign.status).toBe('published');
    expect(campaign.phases.map((p) => p.phase)).toEqual(['proposals', 'vote', 'results', 'execution']);
    expect(campaign.themes.map((th) => th.code)).toEqual(['sport', 'environnement', 'culture']);
    const entry = await t.kernel.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'participatory-budget.campaign.update')
      .where('resource_id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details!)).toMatchObject({ code: 'maj-2027', after: { status: 'published' } });
  });

  it('reports every problem of the definition’s checks at once, and changes nothing', async () => {
    const definition = await freshCampaign('maj-invalide');
    const changes = changesOf(definition);
    changes.title = { fr: '', en: 'x' };
    changes.themes = [changes.themes[0]!, changes.themes[0]!];
    const error = await refusal(
      inTransaction(t.kernel.db, (trx) => updateCampaign(trx, t.kernel, SYSTEM, 'maj-invalide', changes, { now: NOW })),
      'participatory-budget.invalid-campaign',
    );
    expect(error.fields.map((f) => f.field)).toEqual(['title.fr', 'themes.1.code']);
    expect((await loadCampaign(t.kernel.db, 'maj-invalide'))!.title.fr).toBe(definition.title.fr);
  });

  it('keeps a theme that a proposal uses', async () => {
    const definition = await freshCampaign('maj-theme');
    const campaign = (await loadCampaign(t.kernel.db, 'maj-theme'))!;
    // A proposal's row as submit.ts writes it, reduced to what the check reads.
    await t.kernel.db
      .insertInto('pb_proposals')
      .values({
        id: newId(),
        campaign_id: campaign.id,
        envelope_code: 'city',
        demand_id: newId(),
        reference: 'BP-2026-999999',
        account_id: newId(),
        title: 'Un terrain de sport',
        description: 'Pour tous',
        cost: 1000,
        theme_code: 'sport',
        address: null,
        lng: null,
        lat: null,
        status: 'submitted',
        removal_reason: null,
        project_id: null,
        supports: 0,
        created_at: nowIso(),
        updated_at: nowIso(),
      })
      .execute();
    const changes = { ...changesOf(definition), themes: definition.themes.filter((th) => th.code !== 'sport') };
    const error = await refusal(
      inTransaction(t.kernel.db, (trx) => updateCampaign(trx, t.kernel, SYSTEM, 'maj-theme', changes, { now: NOW })),
      'participatory-budget.invalid-campaign',
    );
    expect(error.fields).toEqual([{ field: 'themes', message: 'theme "sport" is used by proposals or projects and cannot be removed' }]);
  });

  it('once the vote has opened, refuses to move the phases up to the vote but lets later ones be dated', async () => {
    const definition = await freshCampaign('maj-gel');
    const changes = changesOf(definition);
    const moved = {
      ...changes,
      phases: changes.phases.map((p) => (p.phase === 'vote' ? { ...p, endsAt: '2027-09-21T00:00:00+02:00' } : p)),
    };
    await refusal(
      inTransaction(t.kernel.db, (trx) => updateCampaign(trx, t.kernel, SYSTEM, 'maj-gel', moved, { now: AFTER_VOTE_OPENED })),
      'participatory-budget.frozen',
    );
    const later = {
      ...changes,
      title: { fr: 'Vote en cours', en: 'Voting' },
      phases: changes.phases.map((p) => (p.phase === 'execution' ? { ...p, startsAt: '2027-11-01T00:00:00+01:00' } : p)),
    };
    await inTransaction(t.kernel.db, (trx) => updateCampaign(trx, t.kernel, SYSTEM, 'maj-gel', later, { now: AFTER_VOTE_OPENED }));
    expect((await loadCampaign(t.kernel.db, 'maj-gel'))!.phases.at(-1)!.startsAt).toBe('2027-10-31T23:00:00.000Z');
  });
});

describe('adding and removing envelopes', () => {
  const envelope = {
    code: '75120',
    label: { fr: '20e', en: '20th' },
    amount: 3_000_000,
    ballotRules: { type: 'cumulative', points: 10, minProjects: 3, maxPointsPerProject: 5 },
    winnerRule: 'greedy',
  };

  it('adds a district’s envelope with its rules’ defaults, and removes an envelope without proposals', async () => {
    await freshCampaign('env-2027');
    await inTransaction(t.kernel.db, (trx) => addEnvelope(trx, t.kernel, SYSTEM, 'env-2027', envelope, { now: NOW }));
    await inTransaction(t.kernel.db, (trx) => removeEnvelope(trx, t.kernel, SYSTEM, 'env-2027', '75118', { now: NOW }));
    const campaign = (await loadCampaign(t.kernel.db, 'env-2027'))!;
    expect(campaign.envelopes.map((e) => e.code)).toEqual(['city', '75111', '75120']);
    expect(campaign.envelopes[2]!.ballotRules).toEqual({ ...envelope.ballotRules, requireAllPoints: true });
  });

  it('refuses an envelope already there, one of no district, the city’s removal, and any change once the vote opened', async () => {
    await freshCampaign('env-refus');
    const add = (input: unknown, now = NOW) =>
      inTransaction(t.kernel.db, (trx) => addEnvelope(trx, t.kernel, SYSTEM, 'env-refus', input, { now }));
    expect((await refusal(add({ ...envelope, code: '75111' }), 'participatory-budget.invalid-envelope')).fields[0]!.field).toBe('code');
    expect((await refusal(add({ ...envelope, code: 'lyon-1' }), 'participatory-budget.invalid-envelope')).fields[0]!.field).toBe('code');
    await refusal(
      inTransaction(t.kernel.db, (trx) => removeEnvelope(trx, t.kernel, SYSTEM, 'env-refus', 'city', { now: NOW })),
      'participatory-budget.invalid-envelope',
    );
    await refusal(add(envelope, AFTER_VOTE_OPENED), 'participatory-budget.frozen');
    await refusal(
      inTransaction(t.kernel.db, (trx) => removeEnvelope(trx, t.kernel, SYSTEM, 'env-refus', '75118', { now: AFTER_VOTE_OPENED })),
      'participatory-budget.frozen',
    );
    expect((await loadCampaign(t.kernel.db, 'env-refus'))!.envelopes.map((e) => e.code)).toEqual(['city', '75111', '75118']);
  });
});

describe('editCampaignFromForm', () => {
  it('refuses a form filled in from a campaign configured differently since, and writes nothing', async () => {
    const definition = await freshCampaign('form-2027');
    const seen = campaignFingerprint((await loadCampaign(t.kernel.db, 'form-2027'))!, OPEN_ELIGIBILITY);
    const save = (title: string, fingerprint: string) =>
      inTransaction(t.kernel.db, (trx) =>
        editCampaignFromForm(
          trx,
          t.kernel,
          SYSTEM,
          'form-2027',
          { definition: { ...definition, title: { fr: title, en: title } }, eligibility: OPEN_ELIGIBILITY },
          { now: NOW, fingerprint },
        ),
      );
    await save('Premier', seen);
    await refusal(save('Second', seen), 'participatory-budget.campaign-changed');
    expect((await loadCampaign(t.kernel.db, 'form-2027'))!.title.fr).toBe('Premier');
  });

  it('reports the definition’s and the eligibility’s problems together', async () => {
    const definition = await freshCampaign('form-invalide');
    const error = await refusal(
      inTransaction(t.kernel.db, (trx) =>
        editCampaignFromForm(trx, t.kernel, SYSTEM, 'form-invalide', {
          definition: { ...definition, envelopes: [{ ...definition.envelopes[0]!, amount: 0 }] },
          eligibility: { minimumAge: 0, residenceRequired: false, assuranceLevel: 50 },
        }),
      ),
      'participatory-budget.invalid-campaign',
    );
    // The 11th's envelope at 0 is also less than its reserved amount; the city's envelope is missing.
    expect(error.fields.map((f) => f.field)).toEqual([
      'envelopes.0.amount',
      'envelopes.0.reserved.0.amount',
      'envelopes',
      'eligibility.minimumAge',
      'eligibility.assuranceLevel',
    ]);
  });
});

describe('the form’s helpers', () => {
  it('reads times in the city’s zone, summer and winter, and gives back what it cannot read', () => {
    expect(fromCityLocal('2027-09-01T10:00', 'Europe/Paris')).toBe('2027-09-01T10:00:00+02:00');
    expect(fromCityLocal('2027-01-15', 'Europe/Paris')).toBe('2027-01-15T00:00:00+01:00');
    expect(fromCityLocal('2027-03-28T03:30', 'Europe/Paris')).toMatch(/^2027-03-28T03:30:00\+0[12]:00$/);
    expect(fromCityLocal('2027-02-30T10:00', 'Europe/Paris')).toBe('2027-02-30T10:00');
    expect(fromCityLocal('demain', 'Europe/Paris')).toBe('demain');
    expect(toCityLocal('2027-09-01T08:00:00.000Z', 'Europe/Paris')).toBe('2027-09-01T10:00');
    expect(toCityLocal('2027-01-14T23:00:00.000Z', 'Europe/Paris')).toBe('2027-01-15T00:00');
  });

  it('names the field of each problem’s path, by envelope code and form row', () => {
    const layout = { phases: ['proposals', 'vote'], envelopes: ['city', '75111'], reservedRows: { '75111': [1] }, themeRows: [0, 2] };
    expect(fieldOfPath('phases.1.endsAt', layout)).toBe('phase-vote-end');
    expect(fieldOfPath('phases', layout)).toBe('phase-vote-start');
    expect(fieldOfPath('envelopes.1.reserved.0.amount', layout)).toBe('env-75111-reserved-1-amount');
    expect(fieldOfPath('envelopes.1.reserved', layout)).toBe('env-75111-reserved-0-amount');
    expect(fieldOfPath('envelopes.0.ballotRules.points', layout)).toBe('env-city-points');
    expect(fieldOfPath('envelopes.0.ballotRules', layout)).toBe('env-city-ballot');
    expect(fieldOfPath('envelopes.1.label.en', layout)).toBe('env-75111-label_en');
    expect(fieldOfPath('themes.1.label.fr', layout)).toBe('theme-2-label_fr');
    expect(fieldOfPath('eligibility.assuranceLevel', layout)).toBe('assuranceLevel');
    expect(fieldOfPath('title.en', layout)).toBe('title_en');
  });
});
