import { inTransaction } from '../db/transaction.js';
import { newId, nowIso } from '../db/values.js';
import type { Kernel } from '../kernel.js';

/**
 * Moves the items of a workflow from one version to another, explicitly (items otherwise keep the
 * version they started with). `states` maps old state codes to new ones where they differ; every
 * state in use must exist in the target version. One transaction; each item's history says so.
 */
export async function migrateItems(
  kernel: Kernel,
  input: { workflow: string; from: number; to: number; states?: Record<string, string>; actorId?: string | null },
): Promise<number> {
  const target = kernel.workflows.get(input.workflow, input.to);
  kernel.workflows.get(input.workflow, input.from);
  return inTransaction(kernel.db, async (trx) => {
    const items = await trx
      .selectFrom('workflow_items')
      .select(['id', 'state', 'revision'])
      .where('workflow', '=', input.workflow)
      .where('version', '=', input.from)
      .execute();
    const now = nowIso();
    for (const item of items) {
      const state = input.states?.[item.state] ?? item.state;
      if (!target.states[state]) {
        throw new Error(
          `Version ${input.to} of "${input.workflow}" has no state "${state}" (items in "${item.state}"): map it in "states".`,
        );
      }
      await trx
        .updateTable('workflow_items')
        .set({ version: input.to, state, revision: Number(item.revision) + 1, updated_at: now })
        .where('id', '=', item.id)
        .execute();
      await trx
        .insertInto('workflow_history')
        .values({
          id: newId(),
          item_id: item.id,
          action: `migrate:v${input.from}-v${input.to}`,
          from_state: item.state,
          to_state: state,
          actor_id: input.actorId ?? null,
          actor_kind: input.actorId ? 'agent' : 'system',
          comment: null,
          fields: '{}',
          at: now,
        })
        .execute();
    }
    return items.length;
  });
}
