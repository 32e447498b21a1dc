import { HttpError } from '../http/errors.js';
import type { Actor } from '../identity/authorization.js';
import type { Kernel } from '../kernel.js';
import { runAction } from './transition.js';

export interface MassResult {
  itemId: string;
  ok: boolean;
  /** The refusal's code ("workflow.not-available", "workflow.conflict"…) when not ok. */
  code?: string;
}

export const MASS_MAX_ITEMS = 200;

/**
 * Runs one action on a selection. Each item is its own transaction: one refused item (another
 * state, another unit, changed meanwhile) does not undo the others, and each says why.
 */
export async function runMassAction(
  kernel: Kernel,
  actor: Actor,
  itemIds: readonly string[],
  action: string,
  fields: Record<string, string> = {},
): Promise<MassResult[]> {
  if (itemIds.length > MASS_MAX_ITEMS) throw new HttpError(400, 'workflow.too-many', `At most ${MASS_MAX_ITEMS} items at once.`);
  const results: MassResult[] = [];
  for (const itemId of new Set(itemIds)) {
    try {
      const item = await kernel.db.selectFrom('workflow_items').select(['workflow', 'version']).where('id', '=', itemId).executeTakeFirst();
      if (item && kernel.workflows.get(item.workflow, Number(item.version)).actions[action]?.mass !== true) {
        throw new HttpError(409, 'workflow.not-mass', 'This action cannot be applied to several items at once.');
      }
      await runAction(kernel, actor, itemId, action, { fields });
      results.push({ itemId, ok: true });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      results.push({ itemId, ok: false, code: err.code });
    }
  }
  return results;
}
