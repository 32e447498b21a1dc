import type { AgentActor } from '../../../src/kernel/identity/agents/acting.js';
import { loadGrants } from '../../../src/kernel/identity/authorization.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { rotateSecret, updateEndpoint } from '../../../src/kernel/webhooks/endpoints.js';

/** Points in the 12th (Daumesnil), 13th (place d'Italie) and 18th (Montmartre) arrondissements. */
export const PARIS_12 = { lat: 48.8399, lng: 2.395 };
export const PARIS_13 = { lat: 48.8322, lng: 2.3561 };
export const PARIS_18 = { lat: 48.8925, lng: 2.3444 };

/** A demo agent (or the administrator) as the back office would see them, for domain calls. */
export async function demoAgent(kernel: Kernel, email: string): Promise<AgentActor> {
  const account = await kernel.db
    .selectFrom('accounts')
    .select(['id', 'kind', 'email', 'display_name', 'preferred_lang', 'totp_enabled_at', 'is_admin', 'status'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const session = {
    id: `s-${account.id}`,
    accountId: account.id,
    lastSeenAt: '',
    expiresAt: '',
    mfaPassed: true,
    method: 'password',
    acr: null,
  };
  return { kind: 'agent', account, session, grants: await loadGrants(kernel.db, account.id), admin: account.is_admin === 1 };
}

export async function residentId(kernel: Kernel): Promise<string> {
  return (await kernel.db.selectFrom('accounts').select('id').where('email', '=', 'camille.martin@example.org').executeTakeFirstOrThrow())
    .id;
}

/**
 * Points the demo's contractor endpoint of a town hall at `url` and returns its new secret, as an
 * administrator would for a real contractor.
 */
export async function repointContractor(kernel: Kernel, admin: AgentActor, unitCode: string, url: string): Promise<string> {
  const unit = await kernel.db.selectFrom('units').select('path').where('code', '=', unitCode).executeTakeFirstOrThrow();
  const endpoint = await kernel.db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('module', '=', 'street-reports')
    .where('unit_path', '=', unit.path)
    .executeTakeFirstOrThrow();
  const who = { actor: admin, ip: '127.0.0.1' };
  await updateEndpoint(kernel.db, who, ['street-reports'], endpoint.id, {
    module: 'street-reports',
    unitPath: unit.path,
    url,
    description: endpoint.description,
    events: JSON.parse(endpoint.events) as string[],
    active: true,
  });
  return rotateSecret(kernel.db, who, endpoint.id);
}

export async function reportRow(kernel: Kernel, id: string) {
  return kernel.db.selectFrom('street_reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The demo's own queued work (its deliveries to the simulator's port, notifications) is not these tests' business. */
export async function clearJobs(kernel: Kernel): Promise<void> {
  await kernel.db.deleteFrom('jobs').execute();
}

/** The subjects of the status messages a resident's dashboard got about one report, oldest first. */
export async function statusSubjects(kernel: Kernel, accountId: string, reportId: string): Promise<string[]> {
  const rows = await kernel.db
    .selectFrom('notifications')
    .select('subject')
    .where('account_id', '=', accountId)
    .where('template_code', '=', 'street-reports.status')
    .where('channel', '=', 'dashboard')
    .where('link', '=', `/reports/${reportId}`)
    .orderBy('created_at')
    .execute();
  return rows.map((n) => n.subject);
}
