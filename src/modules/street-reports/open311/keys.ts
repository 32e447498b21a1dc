import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../../kernel/db/database.js';
import { inTransaction } from '../../../kernel/db/transaction.js';
import { newId, nowIso } from '../../../kernel/db/values.js';
import { HttpError } from '../../../kernel/http/errors.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Actor } from '../../../kernel/identity/authorization.js';

/** Who issues or revokes a key: an administrator in the back office, or the command line. */
export type KeyIssuer = { actor: Actor & { kind: 'agent' }; ip: string | null } | { actor: { kind: 'system'; label: string }; ip: null };

export interface Open311Key {
  id: string;
  name: string;
  createdBy: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const NAME_MAX = 120;
/** A recognisable prefix, so a leaked key is easy to spot in logs and code scanners. */
const PREFIX = 'o311_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function issuerId(issuer: KeyIssuer): string | null {
  return issuer.actor.kind === 'agent' ? issuer.actor.account.id : null;
}

/** Issues a key for a client application; the key itself is returned once and only its hash is kept. */
export async function createKey(db: Db, issuer: KeyIssuer, name: string): Promise<{ id: string; key: string }> {
  const clean = name.trim();
  if (!clean || clean.length > NAME_MAX) {
    throw new HttpError(400, 'street-reports.open311.key-name', 'Name the application the key is for (120 characters at most).', [
      { field: 'name', message: 'street-reports.open311.keys.nameInvalid' },
    ]);
  }
  const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = newId();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('street_report_open311_keys')
      .values({
        id,
        key_hash: hashKey(key),
        name: clean,
        created_by: issuerId(issuer),
        created_at: nowIso(),
        revoked_at: null,
        last_used_at: null,
      })
      .execute();
    await audit(trx, {
      actor: issuer.actor,
      action: 'open311.key.create',
      resourceType: 'open311-key',
      resourceId: id,
      ip: issuer.ip,
      details: { name: clean },
    });
  });
  return { id, key };
}

/** Revokes a key by id, or by the name of a single active key (the command line). Revoking twice changes nothing. */
export async function revokeKey(db: Db, issuer: KeyIssuer, idOrName: string): Promise<Open311Key> {
  return inTransaction(db, async (trx) => {
    let rows = await trx.selectFrom('street_report_open311_keys').selectAll().where('id', '=', idOrName).execute();
    if (!rows.length) {
      rows = await trx
        .selectFrom('street_report_open311_keys')
        .selectAll()
        .where('name', '=', idOrName)
        .where('revoked_at', 'is', null)
        .execute();
    }
    if (rows.length === 0)
      throw new HttpError(404, 'street-reports.open311.key-unknown', `No active Open311 key is named or numbered "${idOrName}".`);
    if (rows.length > 1) {
      throw new HttpError(
        409,
        'street-reports.open311.key-ambiguous',
        `Several active keys are named "${idOrName}": revoke one by its id.`,
      );
    }
    const row = rows[0]!;
    if (!row.revoked_at) {
      row.revoked_at = nowIso();
      await trx.updateTable('street_report_open311_keys').set({ revoked_at: row.revoked_at }).where('id', '=', row.id).execute();
      await audit(trx, {
        actor: issuer.actor,
        action: 'open311.key.revoke',
        resourceType: 'open311-key',
        resourceId: row.id,
        ip: issuer.ip,
        details: { name: row.name },
      });
    }
    return toKey(row);
  });
}

function toKey(row: {
  id: string;
  name: string;
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}): Open311Key {
  return {
    id: row.id,
    name: row.name,
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

/** Every key, active ones first, newest first; with the e-mail of the agent who issued it. */
export async function listKeys(db: Db): Promise<(Open311Key & { createdByEmail: string | null })[]> {
  const rows = await db
    .selectFrom('street_report_open311_keys as k')
    .leftJoin('accounts as a', 'a.id', 'k.created_by')
    .select(['k.id', 'k.name', 'k.created_by', 'k.created_at', 'k.revoked_at', 'k.last_used_at', 'a.email'])
    .orderBy('k.created_at', 'desc')
    .execute();
  return rows
    .map((r) => ({ ...toKey(r), createdByEmail: r.email ?? null }))
    .sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));
}

/** The active key matching what a client sent, or null (absent, unknown or revoked). */
export async function findActiveKey(db: Db, key: string | undefined): Promise<{ id: string; name: string } | null> {
  if (!key?.startsWith(PREFIX) || key.length > 100) return null;
  const row = await db
    .selectFrom('street_report_open311_keys')
    .select(['id', 'name'])
    .where('key_hash', '=', hashKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}
