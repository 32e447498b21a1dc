import { inTransaction } from '../../../src/kernel/db/transaction.js';
import type { AgentActor } from '../../../src/kernel/identity/agents/acting.js';
import { actorByEmail } from '../../../src/kernel/identity/seeding-actor.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { type NewProposal, submitProposal } from '../../../src/modules/participatory-budget/proposals/submit.js';
import { createCitizen } from '../../support/identity.js';
import { create, goodDefinition, NOW } from './campaigns-support.js';

const DAY = 86_400_000;

/**
 * The test campaign dated from the real clock, proposals open today: for pages, which read the
 * time themselves. Code "vivant-2027".
 */
export function liveDefinition(now = Date.now()) {
  const at = (days: number) => new Date(now + days * DAY).toISOString();
  return {
    ...goodDefinition(),
    code: 'vivant-2027',
    status: 'published' as const,
    phases: [
      { phase: 'proposals' as const, startsAt: at(-10), endsAt: at(20) },
      { phase: 'study' as const, startsAt: at(20), endsAt: at(60) },
      { phase: 'vote' as const, startsAt: at(90), endsAt: at(110) },
      { phase: 'results' as const, startsAt: at(110), endsAt: at(120) },
      { phase: 'execution' as const, startsAt: at(120) },
    ],
  };
}

/** Place Léon-Blum (11e) and the Butte Montmartre (18e). */
export const IN_11 = { lat: 48.8575, lng: 2.3795 };
export const IN_18 = { lat: 48.8867, lng: 2.3431 };
/** In the study phase of the test campaign, and in its vote. */
export const STUDY_TIME = new Date('2027-03-01T10:00:00Z');
export const VOTE_TIME = new Date('2027-09-05T10:00:00Z');
export const CAMPAIGN = 'essai-2027';

/** The test campaign (proposals open at NOW) and two residents; the demo city's agents act on it. */
export async function proposalsFixture(kernel: Kernel) {
  await create(kernel, { ...goodDefinition(), status: 'published' });
  const author = await createCitizen(kernel, { email: 'lea.petit@example.org', name: 'Léa Petit' });
  const neighbour = await createCitizen(kernel, { email: 'omar.diallo@example.org', name: 'Omar Diallo' });
  const agent = async (email: string) => ({ actor: (await actorByEmail(kernel.db, email)) as AgentActor, ip: '192.0.2.7' });
  return { author, neighbour, agent11: await agent('agent.11@ville.example'), agent18: await agent('agent.18@ville.example') };
}

export function propose(kernel: Kernel, accountId: string, input: Partial<NewProposal> = {}, now = NOW) {
  return inTransaction(kernel.db, (trx) =>
    submitProposal(
      trx,
      kernel,
      CAMPAIGN,
      {
        accountId,
        title: 'Un jardin partagé square Maurice-Gardette',
        description: 'Des bacs de culture et un composteur ouverts aux habitants du quartier.',
        cost: 45_000,
        theme: 'environnement',
        envelope: '75111',
        point: IN_11,
        ...input,
      },
      { now },
    ),
  );
}

/** The demand and the notifications of a proposal's author, latest last. */
export async function dashboardOf(kernel: Kernel, accountId: string) {
  const demands = await kernel.db.selectFrom('demands').selectAll().where('account_id', '=', accountId).execute();
  const notifications = await kernel.db
    .selectFrom('notifications')
    .select(['subject', 'body', 'channel', 'demand_id'])
    .where('account_id', '=', accountId)
    .where('channel', '=', 'dashboard')
    .orderBy('id')
    .execute();
  return { demands, notifications };
}
