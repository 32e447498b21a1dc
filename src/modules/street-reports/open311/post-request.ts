import { inTransaction } from '../../../kernel/db/transaction.js';
import { nowIso } from '../../../kernel/db/values.js';
import type { Translate } from '../../../kernel/i18n/i18n.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { Category, CategoryTree } from '../domain/categories.js';
import { createReport, DESCRIPTION_MAX } from '../domain/create-report.js';
import { badRequest } from './errors.js';
import { answersFor, serviceOf } from './services.js';

/** What the client posted (form-encoded or multipart), by name; a repeated name gives several values. */
export type Posted = Record<string, string | string[]>;

/** A `POST requests` checked before anything is stored: the report's fields and the reporter's contact. */
export interface CheckedRequest {
  service: Category;
  lat: number;
  lng: number;
  address: string | null;
  description: string;
  answers: Record<string, unknown>;
  contact: {
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    phone: string | null;
    deviceId: string | null;
    accountRef: string | null;
  };
}

function one(posted: Posted, name: string): string | undefined {
  const value = posted[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/** `attribute[code]=v` and `attribute[code][]=v` (a multivaluelist), by code. */
function attributes(posted: Posted): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(posted)) {
    const match = /^attribute\[([^\]]{1,100})\](\[\])?$/.exec(name);
    if (!match) continue;
    const values = [value].flat().filter((v) => v.trim() !== '');
    if (values.length) out[match[1]!] = [...(out[match[1]!] ?? []), ...values];
  }
  return out;
}

const LIMITS = { email: 254, first_name: 100, last_name: 100, phone: 40, device_id: 200, account_id: 200, address_string: 300 } as const;

/**
 * Checks everything a request can be checked for before its photo is stored (service, place,
 * description, attributes, contact), naming every problem at once. `createReport` checks again in
 * its transaction: it stays the authority.
 */
export function checkRequest(kernel: Kernel, tree: CategoryTree, posted: Posted, t: Translate): CheckedRequest {
  const problems: string[] = [];
  const code = one(posted, 'service_code');
  const service = code ? serviceOf(tree, code) : undefined;
  if (!code) problems.push('service_code: is required.');
  else if (!service) problems.push(`service_code: "${code}" is not a service of this city (see services.json).`);
  for (const [name, max] of Object.entries(LIMITS)) {
    if ((one(posted, name)?.length ?? 0) > max) problems.push(`${name}: ${max} characters at most.`);
  }
  const email = one(posted, 'email');
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push('email: is not an e-mail address.');

  const latText = one(posted, 'lat');
  const longText = one(posted, 'long');
  const number = /^[+-]?\d{1,3}(\.\d{1,15})?$/;
  let lat = Number.NaN;
  let lng = Number.NaN;
  if (latText !== undefined || longText !== undefined) {
    lat = latText && number.test(latText) ? Number(latText) : Number.NaN;
    lng = longText && number.test(longText) ? Number(longText) : Number.NaN;
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) problems.push(`lat, long: ${t('street-reports.errors.point-invalid')}`);
    else if (!kernel.districts.locate([lng, lat])) problems.push(`lat, long: ${t('street-reports.errors.point-outside')}`);
  } else if (one(posted, 'address_string') || one(posted, 'address_id')) {
    problems.push(`lat, long: ${t('street-reports.open311.errors.address-only')}`);
  } else problems.push(`lat, long: ${t('street-reports.open311.errors.location-required')}`);

  const description = one(posted, 'description') ?? '';
  if (description.length > DESCRIPTION_MAX) problems.push(`description: ${t('street-reports.errors.description-too-long')}`);

  let answers: Record<string, unknown> = {};
  if (service) {
    const checked = answersFor(service, attributes(posted));
    answers = checked.answers;
    for (const p of checked.problems) {
      const key = p.code === 'unknown' ? 'street-reports.open311.errors.attribute-unknown' : `forms.error.${p.code}`;
      problems.push(`${p.field}: ${t(key, p.params)}`);
    }
  }
  if (problems.length || !service) throw badRequest(...problems);
  return {
    service,
    lat,
    lng,
    address: one(posted, 'address_string') ?? null,
    description,
    answers,
    contact: {
      email: email ?? null,
      firstName: one(posted, 'first_name') ?? null,
      lastName: one(posted, 'last_name') ?? null,
      phone: one(posted, 'phone') ?? null,
      deviceId: one(posted, 'device_id') ?? null,
      accountRef: one(posted, 'account_id') ?? null,
    },
  };
}

/**
 * Files the request as a report of the `open311` channel, in one transaction with the reporter's
 * contact (for agents only) and the key's last use. Returns the reference and the unit that handles it.
 */
export async function fileOpen311Request(
  kernel: Kernel,
  tree: CategoryTree,
  keyId: string,
  request: CheckedRequest,
  photoIds: string[],
): Promise<{ id: string; reference: string; unit: { fr: string; en: string } | null }> {
  return inTransaction(kernel.db, async (trx) => {
    const created = await createReport(trx, kernel, tree, {
      category: request.service.code,
      lat: request.lat,
      lng: request.lng,
      address: request.address,
      description: request.description,
      channel: 'open311',
      accountId: null,
      photoIds,
      answers: request.answers,
    });
    const now = nowIso();
    const { contact } = request;
    await trx
      .insertInto('street_report_open311_requests')
      .values({
        report_id: created.id,
        key_id: keyId,
        account_ref: contact.accountRef,
        device_id: contact.deviceId,
        email: contact.email,
        first_name: contact.firstName,
        last_name: contact.lastName,
        phone: contact.phone,
        created_at: now,
      })
      .execute();
    await trx.updateTable('street_report_open311_keys').set({ last_used_at: now }).where('id', '=', keyId).execute();
    const unit = await trx
      .selectFrom('street_reports as r')
      .innerJoin('units as u', 'u.path', 'r.unit_path')
      .select(['u.name_fr', 'u.name_en'])
      .where('r.id', '=', created.id)
      .executeTakeFirst();
    return { id: created.id, reference: created.reference, unit: unit ? { fr: unit.name_fr, en: unit.name_en } : null };
  });
}
