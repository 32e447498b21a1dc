import type { Executor } from '../../../kernel/db/transaction.js';
import { type Actor, can } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import { CITY_ENVELOPE } from '../campaigns/definition.js';
import { proposalError } from './errors.js';

/** Publish or remove residents' proposals. */
export const MODERATE_PERMISSION = 'participatory-budget.moderate';
/** Merge proposals into ballot projects and put studied projects on the ballot. */
export const PROJECTS_PERMISSION = 'participatory-budget.projects';
/** Record the study of a project: feasible or not, cost, execution period (also by CSV). */
export const EVALUATE_PERMISSION = 'participatory-budget.evaluate';

/**
 * The unit an envelope belongs to: its district's town hall ("mairie-75111", as the demo and street
 * reports name them), or the city's root unit for the city-wide envelope — so a town-hall agent
 * works on their district's proposals, and city-wide ones need a grant for the whole city.
 */
export async function envelopeUnitPath(db: Executor, kernel: Kernel, envelopeCode: string): Promise<string> {
  const city = kernel.config.city.code;
  const code = envelopeCode === CITY_ENVELOPE ? city : `mairie-${envelopeCode}`;
  const unit = await db.selectFrom('units').select('path').where('code', '=', code).executeTakeFirst();
  return unit?.path ?? (envelopeCode === CITY_ENVELOPE ? `/${city}/` : `/${city}/${code}/`);
}

/** Refuses an agent without `permission` in the envelope's unit; the system (demo, imports by command) may act. */
export async function assertMayAct(
  db: Executor,
  kernel: Kernel,
  acting: CampaignActing,
  permission: string,
  envelopeCode: string,
): Promise<void> {
  if (acting.actor.kind === 'system') return;
  if (!can(acting.actor, permission, { unitPath: await envelopeUnitPath(db, kernel, envelopeCode) })) {
    throw proposalError('not-allowed', `This needs the permission "${permission}" for the envelope "${envelopeCode}".`);
  }
}

/** The envelopes of a campaign in which the agent holds `permission` (to list only what they may act on). */
export async function envelopesFor(
  db: Executor,
  kernel: Kernel,
  actor: Actor,
  permission: string,
  envelopeCodes: readonly string[],
): Promise<Set<string>> {
  const allowed = new Set<string>();
  for (const code of envelopeCodes) {
    if (can(actor, permission, { unitPath: await envelopeUnitPath(db, kernel, code) })) allowed.add(code);
  }
  return allowed;
}
