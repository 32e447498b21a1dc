import type { Executor, Trx } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import { trackingError } from './errors.js';

async function assertTracked(db: Executor, projectId: string): Promise<void> {
  const row = await db.selectFrom('pb_tracked_projects').select('project_id').where('project_id', '=', projectId).executeTakeFirst();
  if (!row) throw trackingError('not-tracked', 'This project is not a tracked result.');
}

/** The resident hears of each change to the project's execution from now on; following twice changes nothing. */
export async function followProject(trx: Trx, projectId: string, accountId: string): Promise<void> {
  await assertTracked(trx, projectId);
  await trx
    .insertInto('pb_tracking_followers')
    .values({ project_id: projectId, account_id: accountId, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['project_id', 'account_id']).doNothing())
    .execute();
}

/** The resident stops following; unfollowing a project one does not follow changes nothing. */
export async function unfollowProject(trx: Trx, projectId: string, accountId: string): Promise<void> {
  await assertTracked(trx, projectId);
  await trx.deleteFrom('pb_tracking_followers').where('project_id', '=', projectId).where('account_id', '=', accountId).execute();
}

export async function isFollowing(db: Executor, projectId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('pb_tracking_followers')
    .select('project_id')
    .where('project_id', '=', projectId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function followerCount(db: Executor, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('pb_tracking_followers')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What a resident follows, for their data export; erased with their account. */
export async function followedBy(db: Executor, accountId: string): Promise<{ projectId: string; since: string }[]> {
  const rows = await db
    .selectFrom('pb_tracking_followers')
    .select(['project_id', 'created_at'])
    .where('account_id', '=', accountId)
    .execute();
  return rows.map((r) => ({ projectId: r.project_id, since: r.created_at }));
}
