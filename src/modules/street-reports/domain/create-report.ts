import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso, nowMs, toJson } from '../../../kernel/db/values.js';
import { nextReference } from '../../../kernel/demands/reference.js';
import { type FieldProblem, HttpError } from '../../../kernel/http/errors.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { notify } from '../../../kernel/notifications/notify.js';
import { startItem } from '../../../kernel/workflow/transition.js';
import type { CategoryTree } from './categories.js';

export const DESCRIPTION_MAX = 4000;
export const PHOTOS_MAX = 3;
/** The letter of each channel, first in the reference (Paris numbers reports per channel). */
export const CHANNELS = { web: 'W', app: 'M', open311: 'O', agent: 'B' } as const;
export type Channel = keyof typeof CHANNELS;

export interface NewReport {
  category: string;
  lat: number;
  lng: number;
  address?: string | null;
  description: string;
  channel: Channel;
  /** The reporter; null for an anonymous report (where the category allows it) or an app without accounts. */
  accountId: string | null;
  /** Uploaded file ids (images), at most three. */
  photoIds?: readonly string[];
  answers?: Record<string, unknown>;
  /** An agent filing it (back office): may use agent-only categories. */
  byAgent?: boolean;
}

function invalid(code: string, message: string, fields: FieldProblem[]): HttpError {
  return new HttpError(400, `street-reports.${code}`, message, fields);
}

/**
 * Files a report, in the caller's transaction: the report with its reference and district, its
 * photos, its workflow item routed to the responsible unit, and the reporter's demand. Refuses
 * bad input with every problem named and stores nothing.
 */
export async function createReport(
  trx: Trx,
  kernel: Kernel,
  categories: CategoryTree,
  input: NewReport,
): Promise<{ id: string; reference: string; itemId: string }> {
  const problems: FieldProblem[] = [];
  const category = categories.byCode.get(input.category);
  if (!category || category.children.length > 0) problems.push({ field: 'category', message: 'street-reports.errors.category-unknown' });
  else if (category.agentOnly && !input.byAgent) problems.push({ field: 'category', message: 'street-reports.errors.category-agents' });
  else if (category.elsewhere) problems.push({ field: 'category', message: 'street-reports.errors.category-elsewhere' });
  const inRange = Number.isFinite(input.lat) && Number.isFinite(input.lng) && Math.abs(input.lat) <= 90 && Math.abs(input.lng) <= 180;
  const district = inRange ? kernel.districts.locate([input.lng, input.lat]) : undefined;
  if (!inRange) problems.push({ field: 'lat', message: 'street-reports.errors.point-invalid' });
  else if (!district) problems.push({ field: 'lat', message: 'street-reports.errors.point-outside' });
  const description = input.description.trim();
  if (description.length > DESCRIPTION_MAX) problems.push({ field: 'description', message: 'street-reports.errors.description-too-long' });
  if ((input.photoIds?.length ?? 0) > PHOTOS_MAX) problems.push({ field: 'photos', message: 'street-reports.errors.too-many-photos' });
  if (!input.accountId && category && !category.anonymousAllowed && input.channel === 'web') {
    problems.push({ field: 'anonymous', message: 'street-reports.errors.anonymous-not-allowed' });
  }
  if (problems.length || !category || !district) throw invalid('invalid', 'The report is incomplete or invalid.', problems);

  const unitCode = category.unit === 'district' || !category.unit ? `mairie-${district.code}` : category.unit;
  const unit = await trx.selectFrom('units').select('path').where('code', '=', unitCode).executeTakeFirst();
  const id = newId();
  const now = nowIso();
  const reference = await nextReference(trx, CHANNELS[input.channel], new Date(nowMs()), true);
  const item = await startItem(trx, kernel, {
    workflow: 'street-reports:report',
    subject: `street-reports:report:${id}`,
    unitPath: unit?.path ?? null,
    accountId: input.accountId,
    demand: input.accountId ? { type: 'street-reports:report', title: category.label.fr, link: `/reports/${id}`, reference } : undefined,
  });
  await trx
    .insertInto('street_reports')
    .values({
      id,
      reference,
      category: category.code,
      lat: input.lat,
      lng: input.lng,
      district: district.code,
      address: input.address?.trim() || null,
      description,
      channel: input.channel,
      account_id: input.accountId,
      state: item.state,
      status: 'open',
      priority: 0,
      unit_path: unit?.path ?? null,
      item_id: item.id,
      demand_id: item.demandId,
      duplicate_of: null,
      answers: toJson(input.answers ?? {}),
      followers: 0,
      created_at: now,
      updated_at: now,
      closed_at: null,
    })
    .execute();
  const photos = input.photoIds ?? [];
  if (photos.length) {
    await kernel.files.attach(trx, photos, `street-reports:report:${id}`);
    await trx
      .insertInto('street_report_photos')
      .values(photos.map((fileId) => ({ id: newId(), report_id: id, file_id: fileId, kind: 'closeup', redacted: 0, created_at: now })))
      .execute();
  }
  if (input.accountId) {
    // The reporter's receipt, with the reference to quote (FixMyStreet and Paris both send one).
    const link = `/reports/${id}`;
    await notify(trx, kernel, {
      accountId: input.accountId,
      template: 'street-reports.received',
      demandId: item.demandId ?? undefined,
      link,
      data: { reference, title: category.label, district: district.name, link: `${kernel.config.publicUrl ?? ''}${link}` },
    });
  }
  await kernel.jobs.emit(trx, 'street-reports.created', { id, reference, category: category.code, district: district.code });
  return { id, reference, itemId: item.id };
}
