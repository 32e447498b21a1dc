import { sql } from 'kysely';
import { batchedLookup } from '../../db/batched-lookup.js';
import type { Engine } from '../../db/database.js';
import { hotQuery } from '../../db/hot-query.js';
import { type Executor, inTransaction } from '../../db/transaction.js';
import { fromJson, nowIso, toJson } from '../../db/values.js';
import type { FieldProblem } from '../../http/errors.js';
import { LANGS, type Lang } from '../../i18n/types.js';
import type { Kernel } from '../../kernel.js';
import { audit } from '../audit.js';
import type { Actor } from '../authorization.js';
import {
  isSessionToken,
  liveSession,
  SESSION_COLUMNS,
  type SessionAccount,
  type SessionJoinRow,
  type SessionPolicy,
  type SessionRow,
} from '../sessions.js';
import { hashToken } from '../tokens.js';
import { type Attribute, LEVEL, levelOf, recordAttributes } from './attributes.js';
import { asLang, field, fieldList, LIMITS, nameProblems } from './validation.js';

export const CHANNELS = ['email', 'dashboard', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Profile fields kept as identity attributes, with the attribute's name. */
const ATTRIBUTE_OF = {
  givenName: 'given_name',
  familyName: 'family_name',
  birthdate: 'birthdate',
  address: 'address',
  phone: 'phone',
} as const;
type AttributeField = keyof typeof ATTRIBUTE_OF;

export interface Profile {
  id: string;
  email: string;
  emailVerified: boolean;
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD, or "" when not given. */
  birthdate: string;
  address: string;
  phone: string;
  preferredLanguage: Lang;
  notificationChannels: Channel[];
  /** See `identityLevel`: 600 when names and birth date come from an identity provider. */
  identityLevel: number;
  /** Fields asserted by an identity provider: shown, not editable. */
  certified: AttributeField[];
  attributes: Record<string, Attribute>;
}

export type ProfileChanges = Partial<Pick<Profile, AttributeField | 'preferredLanguage' | 'notificationChannels'>>;

/** An attribute as the profile queries return it: [name, value, source, level, updated_at]. */
type AttributeTuple = [string, string, string, number, string];

interface ProfileRow {
  id: string;
  email: string;
  email_verified_at: string | null;
  preferred_lang: string | null;
  notify_channels: string;
  has_password: number;
  /** JSON text on SQLite, parsed JSON on PostgreSQL (null when there is none). */
  attributes: string | AttributeTuple[] | null;
}

/**
 * The account's columns of a profile, for a query over `accounts a`, its identity attributes
 * aggregated into one JSON column: one row per profile (a row per attribute would repeat every
 * column, which costs more to read than a second statement on SQLite).
 */
function profileColumns(engine: Engine) {
  const attributes =
    engine === 'postgres'
      ? 'json_agg(json_build_array(i.name, i.value, i.source, i.level, i.updated_at))'
      : 'json_group_array(json_array(i.name, i.value, i.source, i.level, i.updated_at))';
  return sql.raw(`a.email_verified_at, a.notify_channels,
           case when a.password_hash is null then 0 else 1 end as has_password,
           (select ${attributes} from identity_attributes i where i.account_id = a.id) as attributes`);
}

/** The account and its identity attributes in one plain SQL statement: read on every visit of the account page. */
const selectProfile = hotQuery(
  'profile',
  (engine, accountId: string) => sql<ProfileRow>`
    select a.id, a.email, a.preferred_lang, ${profileColumns(engine)}
    from accounts a
    where a.id = ${accountId}`,
);

/** A session, its account and the account's profile in one statement: what /api/v1/me reads on every call (batched, see batchedLookup). */
const selectSessionProfile = batchedLookup(
  'session_profile',
  (engine, match) => sql<SessionJoinRow & ProfileRow>`
    select ${SESSION_COLUMNS}, ${profileColumns(engine)}
    from sessions s join accounts a on a.id = s.account_id
    where s.id ${match}`,
  (row) => row.session_id,
);

function profileOf(row: ProfileRow, fallbackLang: Lang): Profile & { hasPassword: boolean } {
  const tuples = typeof row.attributes === 'string' ? (JSON.parse(row.attributes) as AttributeTuple[]) : (row.attributes ?? []);
  const attributes: Record<string, Attribute> = {};
  for (const [name, value, source, level, updatedAt] of tuples) attributes[name] = { value, source, level: Number(level), updatedAt };
  const value = (f: AttributeField) => attributes[ATTRIBUTE_OF[f]]?.value ?? '';
  return {
    id: row.id,
    email: row.email,
    emailVerified: !!row.email_verified_at,
    hasPassword: Number(row.has_password) === 1,
    givenName: value('givenName'),
    familyName: value('familyName'),
    birthdate: value('birthdate'),
    address: value('address'),
    phone: value('phone'),
    preferredLanguage: asLang(row.preferred_lang, fallbackLang),
    notificationChannels: fromJson<Channel[]>(row.notify_channels, []),
    identityLevel: levelOf(attributes),
    certified: (Object.keys(ATTRIBUTE_OF) as AttributeField[]).filter(
      (f) => (attributes[ATTRIBUTE_OF[f]]?.level ?? 0) >= LEVEL.identityProvider,
    ),
    attributes,
  };
}

export async function readProfile(db: Executor, accountId: string, fallbackLang: Lang): Promise<Profile & { hasPassword: boolean }> {
  const { rows } = await selectProfile(db, accountId);
  if (!rows[0]) throw new Error(`No account ${accountId}.`);
  return profileOf(rows[0], fallbackLang);
}

/**
 * `readSession` and, for a resident, `readProfile` in one statement: the live session behind a
 * cookie token, with its account and, when that account is a resident's, its profile. Checked like
 * any session (nothing cached: a session ended or an account deactivated is refused at once).
 */
export async function readSessionWithProfile(
  db: Executor,
  token: string,
  policy: SessionPolicy,
  fallbackLang: Lang,
  now = new Date(),
): Promise<{ session: SessionRow; account: SessionAccount; profile?: Profile & { hasPassword: boolean } } | undefined> {
  if (!isSessionToken(token)) return undefined;
  const [row] = await selectSessionProfile(db, hashToken(token));
  const live = await liveSession(db, row, policy, now);
  if (!live) return undefined;
  return live.account.kind === 'citizen' && row ? { ...live, profile: profileOf(row, fallbackLang) } : live;
}

/** Browsers send YYYY-MM-DD from a date input; one without it may let the person type DD/MM/YYYY. */
function isoDate(value: string): string {
  const typed = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  return typed ? `${typed[3]}-${typed[2]?.padStart(2, '0')}-${typed[1]?.padStart(2, '0')}` : value;
}

/** The profile form's fields: every field is sent, an empty optional one clears it. */
export function parseProfileForm(body: Record<string, unknown>): ProfileChanges {
  return {
    givenName: field(body, 'givenName'),
    familyName: field(body, 'familyName'),
    birthdate: isoDate(field(body, 'birthdate')),
    address: field(body, 'address'),
    phone: field(body, 'phone'),
    preferredLanguage: field(body, 'preferredLanguage') as Lang,
    notificationChannels: fieldList(body, 'notificationChannels') as Channel[],
  };
}

function birthdateProblem(value: string, today: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'identity.errors.birthdateInvalid';
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return 'identity.errors.birthdateInvalid';
  if (value < '1900-01-01' || value > today) return 'identity.errors.birthdateRange';
  return undefined;
}

/** What is wrong with changes to `current` (message keys under identity.errors). */
function profileProblems(current: Profile, changes: ProfileChanges, today = nowIso().slice(0, 10)): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const name of ['givenName', 'familyName'] as const) {
    const value = changes[name];
    if (value !== undefined) nameProblems(value, name, problems);
  }
  const birthdate = changes.birthdate ? birthdateProblem(changes.birthdate, today) : undefined;
  if (birthdate) problems.push({ field: 'birthdate', message: birthdate });
  if ((changes.address?.length ?? 0) > LIMITS.address) problems.push({ field: 'address', message: 'identity.errors.addressLong' });
  const phone = changes.phone ?? current.phone;
  if (
    changes.phone &&
    !(/^\+?[0-9 .()-]+$/.test(changes.phone) && changes.phone.replace(/\D/g, '').length >= 6 && changes.phone.length <= LIMITS.phone)
  ) {
    problems.push({ field: 'phone', message: 'identity.errors.phoneInvalid' });
  }
  if (changes.preferredLanguage !== undefined && !LANGS.includes(changes.preferredLanguage)) {
    problems.push({ field: 'preferredLanguage', message: 'identity.errors.language' });
  }
  // Checked on the result, so that clearing the phone while keeping SMS is refused too.
  const channels = changes.notificationChannels ?? current.notificationChannels;
  if (channels.some((c) => !CHANNELS.includes(c))) problems.push({ field: 'notificationChannels', message: 'identity.errors.channels' });
  else if (channels.includes('sms') && !phone) problems.push({ field: 'notificationChannels', message: 'identity.errors.smsNeedsPhone' });
  for (const name of current.certified) {
    const value = changes[name];
    if (value !== undefined && value !== current[name]) problems.push({ field: name, message: 'identity.errors.certified' });
  }
  return problems;
}

/**
 * Applies profile changes, or returns what is wrong and changes nothing. Changed attributes become
 * self-declared (level 100); the audit log records which fields changed, not their values.
 */
export async function updateProfile(
  kernel: Kernel,
  actor: Extract<Actor, { kind: 'citizen' }>,
  changes: ProfileChanges,
  context: { ip: string | null },
): Promise<{ problems: FieldProblem[] } | { profile: Profile }> {
  const fallback = kernel.config.city.defaultLanguage;
  return inTransaction(kernel.db, async (trx) => {
    const current = await readProfile(trx, actor.account.id, fallback);
    const problems = profileProblems(current, changes);
    if (problems.length) return { problems };
    const changed = (Object.keys(changes) as (keyof ProfileChanges)[]).filter(
      (k) => JSON.stringify(changes[k]) !== JSON.stringify(current[k]),
    );
    if (changed.length === 0) return { profile: current };
    const attributes: Record<string, string> = {};
    for (const name of Object.keys(ATTRIBUTE_OF) as AttributeField[]) {
      if (changed.includes(name)) attributes[ATTRIBUTE_OF[name]] = changes[name] ?? '';
    }
    await recordAttributes(trx, actor.account.id, attributes, { source: 'self', level: LEVEL.self });
    const next = { ...current, ...changes };
    await trx
      .updateTable('accounts')
      .set({
        display_name: `${next.givenName} ${next.familyName}`,
        preferred_lang: next.preferredLanguage,
        notify_channels: toJson([...new Set(next.notificationChannels)]),
        updated_at: nowIso(),
      })
      .where('id', '=', actor.account.id)
      .execute();
    await audit(trx, {
      actor,
      action: 'profile.updated',
      resourceType: 'account',
      resourceId: actor.account.id,
      ip: context.ip,
      details: { fields: changed },
    });
    return { profile: await readProfile(trx, actor.account.id, fallback) };
  });
}
