import type { Executor } from '../../kernel/db/transaction.js';
import { fromJson } from '../../kernel/db/values.js';
import type { FormData } from '../../kernel/forms/index.js';

export interface Application {
  id: string;
  procedure: string;
  accountId: string | null;
  itemId: string;
  demandId: string;
  data: FormData;
  formVersion: number;
  createdAt: string;
}

/** The module's only reads of its table. */
export async function findApplication(db: Executor, id: string): Promise<Application | null> {
  const row = await db.selectFrom('procedures_applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    procedure: row.procedure,
    accountId: row.account_id,
    itemId: row.item_id,
    demandId: row.demand_id,
    data: fromJson<FormData>(row.data, {}),
    formVersion: Number(row.form_version),
    createdAt: row.created_at,
  };
}

export async function applicationsOf(db: Executor, accountId: string) {
  return db
    .selectFrom('procedures_applications')
    .select(['id', 'procedure', 'data', 'created_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
}
