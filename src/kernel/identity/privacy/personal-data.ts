import { fromJson, nowIso } from '../../db/values.js';
import { eraseDemands, exportDemands } from '../../demands/personal-data.js';
import { draftsOf, eraseDraftsOf } from '../../forms/drafts.js';
import type { Kernel } from '../../kernel.js';
import { eraseNotifications, exportNotifications } from '../../notifications/personal-data.js';
import { audit } from '../audit.js';
import type { Actor } from '../authorization.js';
import { closeAllSessions } from '../sessions.js';

/**
 * Everything held about a resident, as one JSON document: their account (without secrets), identity
 * attributes with their sources, linked identity providers, sessions, their own audit trail, then
 * each enabled module's data.
 */
export async function exportPersonalData(kernel: Kernel, accountId: string): Promise<Record<string, unknown>> {
  const { db } = kernel;
  const account = await db
    .selectFrom('accounts')
    .select([
      'id',
      'kind',
      'email',
      'display_name',
      'email_verified_at',
      'preferred_lang',
      'notify_channels',
      'created_at',
      'updated_at',
      'last_login_at',
    ])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  const modules: Record<string, unknown> = {};
  for (const mod of kernel.modules) {
    if (mod.personalData) modules[mod.code] = await mod.personalData.export(kernel, accountId);
  }
  return {
    exportedAt: nowIso(),
    account: { ...account, notify_channels: fromJson<string[]>(account.notify_channels, []) },
    identityAttributes: await db
      .selectFrom('identity_attributes')
      .select(['name', 'value', 'source', 'level', 'updated_at'])
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute(),
    identityProviders: await db
      .selectFrom('oidc_links')
      .select(['issuer', 'subject', 'acr', 'created_at', 'last_login_at'])
      .where('account_id', '=', accountId)
      .execute(),
    sessions: await db
      .selectFrom('sessions')
      .select(['created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent', 'method'])
      .where('account_id', '=', accountId)
      .execute(),
    activity: await db
      .selectFrom('audit_log')
      .select(['at', 'action', 'resource_type', 'resource_id', 'ip'])
      .where('actor_id', '=', accountId)
      .orderBy('at')
      .execute(),
    demands: await exportDemands(db, accountId),
    formDrafts: await draftsOf(db, accountId),
    notifications: await exportNotifications(db, accountId),
    modules,
  };
}

/**
 * Deletes a resident's account in one transaction: each module erases or anonymises its data
 * (public contributions stay, without the name), identity data is deleted, and the account row is
 * kept only as an anonymous tombstone so that references from other tables stay valid.
 */
export async function deleteAccount(kernel: Kernel, actor: Extract<Actor, { kind: 'citizen' }>): Promise<void> {
  const accountId = actor.account.id;
  await kernel.db.transaction().execute(async (trx) => {
    for (const mod of kernel.modules) await mod.personalData?.erase(trx, accountId);
    await eraseDemands(trx, accountId);
    await eraseDraftsOf(trx, accountId);
    await eraseNotifications(trx, accountId);
    await trx.deleteFrom('identity_attributes').where('account_id', '=', accountId).execute();
    await trx.deleteFrom('oidc_links').where('account_id', '=', accountId).execute();
    await trx.deleteFrom('account_tokens').where('account_id', '=', accountId).execute();
    await closeAllSessions(trx, accountId);
    await trx
      .updateTable('accounts')
      .set({
        email: `deleted-${accountId}@invalid`,
        display_name: '',
        password_hash: null,
        status: 'deleted',
        email_verified_at: null,
        preferred_lang: null,
        totp_secret: null,
        totp_enabled_at: null,
        recovery_codes: null,
        updated_at: nowIso(),
      })
      .where('id', '=', accountId)
      .execute();
    // No address recorded: the point of this action is to stop holding personal data.
    await audit(trx, { actor, action: 'account.deleted', resourceType: 'account', resourceId: accountId });
  });
}
