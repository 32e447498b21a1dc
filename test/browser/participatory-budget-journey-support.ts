import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import type { AgentActor } from '../../src/kernel/identity/agents/acting.js';
import { createAgent } from '../../src/kernel/identity/agents/agents.js';
import { createRole } from '../../src/kernel/identity/agents/roles.js';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { actorByEmail } from '../../src/kernel/identity/seeding-actor.js';
import type { Kernel } from '../../src/kernel/kernel.js';
import type { PhaseCode } from '../../src/modules/participatory-budget/campaigns/definition.js';
import { freezeOpenedVotes } from '../../src/modules/participatory-budget/campaigns/envelopes.js';
import { putOnBallot } from '../../src/modules/participatory-budget/projects/ballot.js';
import { createProjectFromProposals } from '../../src/modules/participatory-budget/projects/merge.js';
import { recordEvaluation } from '../../src/modules/participatory-budget/projects/study.js';
import { moderateProposal } from '../../src/modules/participatory-budget/proposals/moderate.js';
import { submitProposal } from '../../src/modules/participatory-budget/proposals/submit.js';
import { create, SYSTEM } from '../modules/participatory-budget/campaigns-support.js';
import { createCitizen } from '../support/identity.js';

/** The campaign the journey runs, and where the test stands in it. */
export const CAMPAIGN = 'quartiers-2027';
export const CAMPAIGN_TITLE = 'Budget participatif des quartiers 2027';

const DAY = 86_400_000;

/**
 * A published campaign dated from the real clock (pages read it), proposals open since yesterday:
 * the whole city (€1M) and two arrondissements, the 11th (€500k) and the 18th (€300k), approval of
 * up to 3 projects, winners by `greedy`.
 */
export async function createJourneyCampaign(kernel: Kernel): Promise<void> {
  const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const envelope = (code: string, amount: number, label: string) => ({
    code,
    label: { fr: label, en: label },
    amount,
    reserved: [],
    ballotRules: { type: 'approval', maxProjects: 3 },
    winnerRule: 'greedy',
  });
  await create(
    kernel,
    {
      code: CAMPAIGN,
      title: { fr: CAMPAIGN_TITLE, en: 'Neighbourhood participatory budget 2027' },
      status: 'published',
      phases: [
        { phase: 'proposals', startsAt: at(-1), endsAt: at(20) },
        { phase: 'study', startsAt: at(20), endsAt: at(50) },
        { phase: 'vote', startsAt: at(60), endsAt: at(80) },
        { phase: 'results', startsAt: at(80), endsAt: at(90) },
        { phase: 'execution', startsAt: at(90) },
      ],
      envelopes: [
        envelope('city', 1_000_000, 'Tout Paris'),
        envelope('75111', 500_000, '11e arrondissement'),
        envelope('75118', 300_000, '18e arrondissement'),
      ],
      themes: [
        { code: 'environnement', label: { fr: 'Environnement', en: 'Environment' } },
        { code: 'sport', label: { fr: 'Sport', en: 'Sport' } },
        { code: 'sante', label: { fr: 'Santé', en: 'Health' } },
      ],
    },
    { now: new Date() },
  );
}

/**
 * Time passes for the campaign: every phase is moved back by the same amount so that `phase`
 * began a minute ago (the pages and domain functions read the real clock). Once the vote has
 * opened, the envelopes are frozen as the every-minute schedule would.
 */
export async function moveCampaignTo(kernel: Kernel, phase: PhaseCode): Promise<void> {
  await inTransaction(kernel.db, async (trx) => {
    const campaign = await trx.selectFrom('pb_campaigns').select('id').where('code', '=', CAMPAIGN).executeTakeFirstOrThrow();
    const phases = await trx.selectFrom('pb_phases').selectAll().where('campaign_id', '=', campaign.id).execute();
    const target = phases.find((p) => p.phase === phase);
    if (!target) throw new Error(`The campaign has no phase "${phase}".`);
    const shift = Date.parse(target.starts_at) - (Date.now() - 60_000);
    const moved = (iso: string) => new Date(Date.parse(iso) - shift).toISOString();
    for (const p of phases) {
      await trx
        .updateTable('pb_phases')
        .set({ starts_at: moved(p.starts_at), ends_at: p.ends_at === null ? null : moved(p.ends_at) })
        .where('id', '=', p.id)
        .execute();
    }
    await freezeOpenedVotes(trx, new Date());
  });
}

/**
 * The other projects of the campaign, through the domain functions as the system: a neighbour's
 * proposal in the 11th and one city-wide, each published, merged, studied and put on the ballot.
 */
export async function otherProjects(kernel: Kernel): Promise<void> {
  const neighbour = await createCitizen(kernel, { email: 'omar.diallo@example.org', name: 'Omar Diallo' });
  const project = async (envelope: string, title: string, cost: number, point: { lat: number; lng: number } | null) =>
    inTransaction(kernel.db, async (trx) => {
      const { id } = await submitProposal(trx, kernel, CAMPAIGN, {
        accountId: neighbour,
        title,
        description: `${title} : une proposition des habitants.`,
        cost,
        theme: 'sport',
        envelope,
        point,
      });
      await moderateProposal(trx, kernel, SYSTEM, id, { decision: 'publish' });
      const made = await createProjectFromProposals(trx, kernel, SYSTEM, CAMPAIGN, {
        envelope,
        title: { fr: title },
        description: { fr: `${title}, issu des propositions des habitants.` },
        proposalIds: [id],
      });
      await recordEvaluation(trx, kernel, SYSTEM, CAMPAIGN, made.code, { feasible: true, cost, months: 12 });
      await putOnBallot(trx, kernel, SYSTEM, CAMPAIGN, [made.code]);
    });
  await project('75111', 'Rénover le terrain multisport Parmentier', 450_000, { lat: 48.8642, lng: 2.3752 });
  await project('city', 'Des fontaines à boire dans les parcs', 90_000, null);
}

/** An agent of the 11th's town hall who studies projects and nothing else (role "Études"). */
export async function evaluatorAgent(kernel: Kernel, email: string): Promise<void> {
  const admin = { actor: (await actorByEmail(kernel.db, 'admin@ville.example')) as AgentActor, ip: '127.0.0.1' };
  const role = 'etudes-budget-participatif';
  await createRole(
    kernel.db,
    admin,
    role,
    { name: { fr: 'Études du budget participatif', en: 'Participatory budget studies' }, permissions: ['participatory-budget.evaluate'] },
    kernel.permissions.map((p) => p.code),
  );
  await createAgent(kernel.db, admin, { email, displayName: 'Élise Roux', password: DEMO_PASSWORD, role, unit: 'mairie-75111' });
}

/**
 * Signs in through the login form (residents at /login, agents at /admin/login), as a person does;
 * `check` runs on the form first (axe).
 */
export async function signIn(
  page: Page,
  baseUrl: string,
  path: '/login' | '/admin/login',
  email: string,
  options: { password?: string; check?: (page: Page) => Promise<void> } = {},
): Promise<void> {
  const { password = DEMO_PASSWORD, check } = options;
  await page.goto(`${baseUrl}${path}`);
  await check?.(page);
  // Residents' form says "adresse électronique", the back office's "adresse e-mail".
  await page.getByLabel(/^Adresse (électronique|e-mail)$/).fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.endsWith('/login')),
    page.locator('main form').getByRole('button', { name: 'Se connecter' }).click(),
  ]);
  await page.waitForLoadState('load');
}

/**
 * Presses a form's button (by its visible name) and waits for the page the server answers: the
 * main frame's next document, loaded. Fails on a server error (5xx) or a refused request (403).
 */
export async function press(page: Page, name: string | RegExp): Promise<void> {
  // A 303 after a post is not the answer yet: the page it leads to is.
  const answered = page.waitForResponse(
    (r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400),
  );
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await page
    .getByRole('button', { name, exact: typeof name === 'string' })
    .first()
    .click();
  const [response] = await Promise.all([answered, navigated]);
  await page.waitForLoadState('load');
  if (response.status() >= 500 || response.status() === 403) {
    throw new Error(`"${String(name)}" answered ${response.status()} at ${page.url()}: ${await text(page.locator('main'))}`);
  }
}

/** The page's success notice says `expected` (otherwise the error names what the page says instead). */
export async function expectNotice(page: Page, expected: string): Promise<void> {
  const notice = page.locator('main .notice-success');
  if ((await notice.count()) === 0) throw new Error(`No success notice at ${page.url()}: ${await text(page.locator('main'))}`);
  expect(await text(notice)).toContain(expected);
}

/** Follows a link (by its visible name) to the next page. */
export async function follow(page: Page, name: string | RegExp): Promise<void> {
  const from = page.url();
  await Promise.all([
    page.waitForURL((url) => url.toString() !== from),
    page
      .getByRole('link', { name, exact: typeof name === 'string' })
      .first()
      .click(),
  ]);
  await page.waitForLoadState('load');
}

/** The text of an element, white space collapsed. */
export const text = async (locator: Locator) => ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** The resident's dashboard card of a demand (by a text it contains: reference or title). */
export async function dashboardCard(page: Page, baseUrl: string, hasText: string): Promise<string> {
  await page.goto(`${baseUrl}/account/demands`);
  const card = page.locator('li.demand-card', { hasText });
  await expect(card.count(), `one dashboard card with "${hasText}"`).resolves.toBe(1);
  return text(card);
}
