import type { Db } from '../../../kernel/db/database.js';
import type { Executor } from '../../../kernel/db/transaction.js';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { HIDDEN_STATES } from './public-queries.js';

function notFound(): HttpError {
  return new HttpError(404, 'street-reports.not-found', 'This report does not exist.');
}

async function assertFollowable(db: Executor, reportId: string): Promise<void> {
  const report = await db.selectFrom('street_reports').select('state').where('id', '=', reportId).executeTakeFirst();
  if (!report || HIDDEN_STATES.includes(report.state)) throw notFound();
}

/**
 * The resident follows the report: they hear of each public change. One transaction writes the
 * follower row and the count; following twice changes nothing. Returns the new count.
 */
export function followReport(db: Db, reportId: string, accountId: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    await assertFollowable(trx, reportId);
    const inserted = await trx
      .insertInto('street_report_followers')
      .values({ report_id: reportId, account_id: accountId, created_at: nowIso() })
      .onConflict((oc) => oc.columns(['report_id', 'account_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
      await trx
        .updateTable('street_reports')
        .set((eb) => ({ followers: eb('followers', '+', 1) }))
        .where('id', '=', reportId)
        .execute();
    }
    return followersOf(trx, reportId);
  });
}

/** The resident stops following; unfollowing a report one does not follow changes nothing. */
export function unfollowReport(db: Db, reportId: string, accountId: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    await assertFollowable(trx, reportId);
    const deleted = await trx
      .deleteFrom('street_report_followers')
      .where('report_id', '=', reportId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) > 0) {
      await trx
        .updateTable('street_reports')
        .set((eb) => ({ followers: eb('followers', '-', 1) }))
        .where('id', '=', reportId)
        .execute();
    }
    return followersOf(trx, reportId);
  });
}

async function followersOf(db: Executor, reportId: string): Promise<number> {
  const row = await db.selectFrom('street_reports').select('followers').where('id', '=', reportId).executeTakeFirstOrThrow();
  return Number(row.followers);
}

export async function isFollowing(db: Executor, reportId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('street_report_followers')
    .select('report_id')
    .where('report_id', '=', reportId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}
