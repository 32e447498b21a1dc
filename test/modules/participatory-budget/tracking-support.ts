import sharp from 'sharp';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { newId, nowIso } from '../../../src/kernel/db/values.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { startTracking } from '../../../src/modules/participatory-budget/tracking/start.js';
import { create, goodDefinition } from './campaigns-support.js';

export const CAMPAIGN = 'essai-2027';

/** A ballot project of the test campaign, straight in the table (proposals and the study are another part's). */
export async function insertProject(
  kernel: Kernel,
  input: { envelope: string; code: string; title: string; lat?: number | null; lng?: number | null },
): Promise<string> {
  const campaign = await kernel.db.selectFrom('pb_campaigns').select('id').where('code', '=', CAMPAIGN).executeTakeFirstOrThrow();
  const envelope = await kernel.db
    .selectFrom('pb_envelopes')
    .select('id')
    .where('campaign_id', '=', campaign.id)
    .where('code', '=', input.envelope)
    .executeTakeFirstOrThrow();
  const id = newId();
  const now = nowIso();
  await kernel.db
    .insertInto('pb_projects')
    .values({
      id,
      campaign_id: campaign.id,
      envelope_id: envelope.id,
      code: input.code,
      title_fr: input.title,
      title_en: `${input.title} (en)`,
      description_fr: `Description de ${input.title}`,
      description_en: `Description of ${input.title}`,
      theme_code: null,
      cost: 250_000,
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      reserved_code: null,
      status: 'ballot',
      study_explanation: null,
      execution_months: 18,
      position: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/**
 * The published test campaign (envelopes: the 11th, the whole city, the 18th) and three tracked
 * winners: a square in the 11th with a point, a city-wide plan without one, a garden in the 18th.
 */
export async function trackedCampaign(kernel: Kernel) {
  await create(kernel, { ...goodDefinition(), status: 'published' });
  const square = await insertProject(kernel, {
    envelope: '75111',
    code: '11-001',
    title: 'Square Maurice-Gardette',
    lat: 48.8642,
    lng: 2.3752,
  });
  const plan = await insertProject(kernel, { envelope: 'city', code: 'city-001', title: 'Plan vélo' });
  const garden = await insertProject(kernel, { envelope: '75118', code: '18-001', title: 'Jardin partagé', lat: 48.8867, lng: 2.3431 });
  await inTransaction(kernel.db, (trx) => startTracking(trx, kernel, [square, plan, garden]));
  return { square, plan, garden };
}

/** A photo as a phone sends it (JPEG). */
export function photo(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: '#3a7d44' } })
    .jpeg()
    .toBuffer();
}

/** How many rows each table of tracking holds, and the audit entries and notifications: "nothing changed" is these equal. */
export async function trackingCounts(kernel: Kernel) {
  const count = async (table: 'pb_tracking_history' | 'pb_tracking_milestones' | 'pb_tracking_photos' | 'notifications') =>
    Number(
      (
        await kernel.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audits = Number(
    (
      await kernel.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('action', 'like', 'participatory-budget.tracking.%')
        .executeTakeFirstOrThrow()
    ).n,
  );
  const rows = await kernel.db.selectFrom('pb_tracked_projects').selectAll().orderBy('project_id').execute();
  return {
    history: await count('pb_tracking_history'),
    milestones: await count('pb_tracking_milestones'),
    photos: await count('pb_tracking_photos'),
    notifications: await count('notifications'),
    audits,
    rows,
  };
}
