import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { newId, nowIso } from '../../../src/kernel/db/values.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { createReport, type NewReport } from '../../../src/modules/street-reports/domain/create-report.js';
import { categoriesOf } from '../../../src/modules/street-reports/domain/settings.js';

/** A point in Paris 11e (place Léon-Blum) and one outside the city (Montreuil). */
export const PARIS_11 = { lat: 48.8575, lng: 2.3795 };
export const MONTREUIL = { lat: 48.8611, lng: 2.4436 };
export const POTHOLE = 'voirie-espace.affaissement-trou-bosse-pave-arrache';

/** A report filed through the domain function, as the web form would. */
export function fileReport(kernel: Kernel, input: Partial<NewReport> = {}) {
  return inTransaction(kernel.db, (trx) =>
    createReport(trx, kernel, categoriesOf(kernel), {
      category: input.category ?? categoriesOf(kernel).leaves.find((l) => !l.agentOnly)!.code,
      ...PARIS_11,
      description: 'Un trou profond au milieu du passage piéton.',
      channel: 'web',
      accountId: null,
      ...input,
    }),
  );
}

/** A `street_reports` row to insert directly (bulk data for map tests), a pothole in the 11th unless told. */
export function reportRow(values: { lat: number; lng: number; state?: string; status?: string; reference?: string; id?: string }) {
  const id = values.id ?? newId();
  const now = nowIso();
  return {
    id,
    reference: values.reference ?? `T-${id.slice(-13)}`,
    category: POTHOLE,
    lat: values.lat,
    lng: values.lng,
    district: '75111',
    address: null,
    description: '',
    channel: 'web',
    account_id: null,
    state: values.state ?? 'new',
    status: values.status ?? 'open',
    priority: 0,
    unit_path: null,
    item_id: newId(),
    demand_id: null,
    duplicate_of: null,
    answers: '{}',
    followers: 0,
    created_at: now,
    updated_at: now,
    closed_at: null,
  };
}
