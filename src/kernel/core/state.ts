import { randomBytes } from 'node:crypto';
import type { Executor } from '../db/transaction.js';
import { nowIso } from '../db/values.js';

export async function readState(db: Executor, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('kernel_state').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function writeState(db: Executor, key: string, value: string): Promise<void> {
  await db
    .insertInto('kernel_state')
    .values({ key, value, updated_at: nowIso() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: nowIso() }))
    .execute();
}

/**
 * The secret every process signs with. Generated once and kept in the database, so that any
 * number of processes agree on it without configuration; the first writer wins.
 */
export async function sharedSecret(db: Executor): Promise<Buffer> {
  await db
    .insertInto('kernel_state')
    .values({ key: 'secret', value: randomBytes(32).toString('base64'), updated_at: nowIso() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return Buffer.from((await readState(db, 'secret')) as string, 'base64');
}
