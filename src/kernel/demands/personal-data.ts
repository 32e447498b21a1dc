import type { Executor, Trx } from '../db/transaction.js';
import { fromJson } from '../db/values.js';

/** A resident's demands with their timelines and messages, for the export of their data. */
export async function exportDemands(db: Executor, accountId: string) {
  const demands = await db
    .selectFrom('demands')
    .select(['id', 'type', 'reference', 'title', 'status', 'state_label', 'link', 'created_at', 'updated_at', 'closed_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
  const ids = demands.map((d) => d.id);
  const messages = ids.length
    ? await db
        .selectFrom('demand_messages')
        .select(['demand_id', 'author_kind', 'body', 'created_at'])
        .where('demand_id', 'in', ids)
        .orderBy('created_at')
        .execute()
    : [];
  return demands.map((d) => ({
    ...d,
    state_label: fromJson(d.state_label, null),
    messages: messages.filter((m) => m.demand_id === d.id).map(({ demand_id, ...m }) => m),
  }));
}

/**
 * In the account-deletion transaction: the city keeps its files (the services' records), without the
 * person — the demands lose their owner, the workflow items their resident, and the resident's own
 * messages their text, which may hold anything about them.
 */
export async function eraseDemands(trx: Trx, accountId: string): Promise<void> {
  await trx
    .updateTable('demand_messages')
    .set({ body: '', author_id: null })
    .where('author_id', '=', accountId)
    .where('author_kind', '=', 'citizen')
    .execute();
  await trx.updateTable('demands').set({ account_id: null }).where('account_id', '=', accountId).execute();
  await trx.updateTable('workflow_items').set({ account_id: null }).where('account_id', '=', accountId).execute();
}
