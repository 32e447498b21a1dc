import type { Executor } from '../../../kernel/db/transaction.js';
import type { Actor } from '../../../kernel/identity/authorization.js';
import { can } from '../../../kernel/identity/authorization.js';
import { unitOfDistrict, unitPath } from '../../../kernel/identity/units.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import { CITY_ENVELOPE } from '../campaigns/definition.js';
import { trackingError } from './errors.js';

/** Report the execution of winning projects: status, progress, milestones with photos. */
export const TRACK_PERMISSION = 'participatory-budget.track';

/**
 * The unit a project's execution belongs to: the city's root unit for the city-wide envelope, the
 * district's town hall otherwise — so a town hall's agents report on their arrondissement's projects
 * and only the city's on Paris-wide ones. Null when the city has no such unit (only administrators then).
 */
export async function envelopeUnitPath(db: Executor, kernel: Kernel, envelopeCode: string): Promise<string | null> {
  if (envelopeCode === CITY_ENVELOPE) return (await unitPath(db, kernel.config.city.code)) ?? null;
  return (await unitOfDistrict(db, envelopeCode))?.path ?? null;
}

export async function mayTrack(db: Executor, kernel: Kernel, actor: Actor, envelopeCode: string): Promise<boolean> {
  return can(actor, TRACK_PERMISSION, { unitPath: await envelopeUnitPath(db, kernel, envelopeCode) });
}

/** Refuses an agent without the permission in the project's unit; the system (results, demo) always may. */
export async function assertMayTrack(db: Executor, kernel: Kernel, acting: CampaignActing, envelopeCode: string): Promise<void> {
  if (acting.actor.kind === 'system') return;
  if (!(await mayTrack(db, kernel, acting.actor, envelopeCode))) {
    throw trackingError(
      'forbidden',
      `Reporting on this project's execution needs the permission "${TRACK_PERMISSION}" in the unit of its envelope (${envelopeCode}).`,
    );
  }
}
