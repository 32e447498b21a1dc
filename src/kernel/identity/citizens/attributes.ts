import type { Executor } from '../../db/transaction.js';
import { nowIso } from '../../db/values.js';

/** How sure we are of an attribute: a service may require a level (a vote, a verified identity). */
export const LEVEL = {
  /** Typed by the person. */
  self: 100,
  /** The person proved they receive mail at this address. */
  emailVerified: 200,
  /** Asserted by an identity provider (FranceConnect). */
  identityProvider: 600,
} as const;

export interface Attribute {
  value: string;
  /** "self", "email", or "oidc:<issuer>". */
  source: string;
  level: number;
  updatedAt: string;
}

/** The attributes that make an identity: a service asking for "a verified identity" asks about these. */
export const IDENTITY_ATTRIBUTES = ['given_name', 'family_name', 'birthdate'] as const;

/** Records (or replaces) attributes with where they come from; an empty value removes the attribute. */
export async function recordAttributes(
  db: Executor,
  accountId: string,
  values: Record<string, string | undefined>,
  origin: { source: string; level: number },
): Promise<void> {
  const now = nowIso();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (value === '') {
      await db.deleteFrom('identity_attributes').where('account_id', '=', accountId).where('name', '=', name).execute();
      continue;
    }
    await db
      .insertInto('identity_attributes')
      .values({ account_id: accountId, name, value, source: origin.source, level: origin.level, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['account_id', 'name']).doUpdateSet({ value, source: origin.source, level: origin.level, updated_at: now }),
      )
      .execute();
  }
}

export async function attributesOf(db: Executor, accountId: string): Promise<Record<string, Attribute>> {
  const rows = await db.selectFrom('identity_attributes').selectAll().where('account_id', '=', accountId).execute();
  return Object.fromEntries(
    rows.map((r) => [r.name, { value: r.value, source: r.source, level: Number(r.level), updatedAt: r.updated_at }]),
  );
}

/**
 * The assurance of a person's identity: the lowest level among the identity attributes (names and
 * birth date), 0 when one is missing. `identityLevel(db, id) >= LEVEL.identityProvider` means the
 * identity comes from an identity provider.
 */
export async function identityLevel(db: Executor, accountId: string): Promise<number> {
  return levelOf(await attributesOf(db, accountId));
}

export function levelOf(attributes: Record<string, Attribute>): number {
  return Math.min(...IDENTITY_ATTRIBUTES.map((name) => attributes[name]?.level ?? 0));
}
