import type { Executor } from '../../../kernel/db/transaction.js';
import type { AgentActor } from '../../../kernel/identity/agents/acting.js';
import { can } from '../../../kernel/identity/authorization.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { campaignError } from './errors.js';

/** Configure campaigns: phases, envelopes and their amounts, ballot and winner rules, themes. */
export const MANAGE_PERMISSION = 'participatory-budget.manage';

/**
 * Who changes a campaign: an agent (back office, API), or the system (the demo, the scheduled freeze,
 * a command), named in the audit log.
 */
export type CampaignActing = { actor: AgentActor; ip?: string | null } | { actor: { kind: 'system'; label: string }; ip?: null };

/** True for the system, and for an agent holding `permission` in the city's root unit (the whole city). */
export async function mayActForCity(db: Executor, kernel: Kernel, acting: CampaignActing, permission: string): Promise<boolean> {
  if (acting.actor.kind === 'system') return true;
  const city = kernel.config.city.code;
  const root = await db.selectFrom('units').select('path').where('code', '=', city).executeTakeFirst();
  return can(acting.actor, permission, { unitPath: root?.path ?? `/${city}/` });
}

/**
 * A campaign belongs to the whole city: an agent needs the permission in the city's root unit (a
 * grant in one town hall does not let its holder change the city's envelopes).
 */
export async function assertMayManage(db: Executor, kernel: Kernel, acting: CampaignActing): Promise<void> {
  if (!(await mayActForCity(db, kernel, acting, MANAGE_PERMISSION))) {
    throw campaignError('forbidden', `Configuring a participatory budget needs the permission "${MANAGE_PERMISSION}" for the whole city.`);
  }
}
