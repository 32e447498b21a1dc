import type { Executor } from '../../../kernel/db/transaction.js';
import type { AgentActor } from '../../../kernel/identity/agents/acting.js';
import { can } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { CITY_ENVELOPE } from '../campaigns/definition.js';
import { campaignError } from '../campaigns/errors.js';

/** Ballot-box agents: enter paper ballots and import a ballot box's per-project counts. */
export const PAPER_PERMISSION = 'participatory-budget.paper-ballots';

/**
 * Every town hall's ballot box takes the city-wide ballot, so holding the permission anywhere lets
 * an agent enter one; a district's ballot needs the permission in that district's town hall (or
 * above it).
 */
export async function assertMayEnterPaper(db: Executor, kernel: Kernel, actor: AgentActor, envelopeCode: string): Promise<void> {
  if (
    envelopeCode === CITY_ENVELOPE
      ? can(actor, PAPER_PERMISSION)
      : can(actor, PAPER_PERMISSION, { unitPath: await unitPathOf(db, kernel, envelopeCode) })
  ) {
    return;
  }
  throw campaignError(
    'forbidden',
    `Entering paper ballots of envelope "${envelopeCode}" needs the permission "${PAPER_PERMISSION}" in its town hall.`,
  );
}

async function unitPathOf(db: Executor, kernel: Kernel, district: string): Promise<string> {
  const units = await db
    .selectFrom('units')
    .select(['code', 'path'])
    .where('code', 'in', [`mairie-${district}`, kernel.config.city.code])
    .execute();
  return (units.find((u) => u.code !== kernel.config.city.code) ?? units[0])?.path ?? `/${kernel.config.city.code}/`;
}
