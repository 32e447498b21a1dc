import type { Kernel } from '../../../../kernel/kernel.js';
import type { Eligibility } from '../../voting/eligibility.js';
import { CITY_ENVELOPE } from '../definition.js';
import type { Campaign, Envelope } from '../store.js';
import { toCityLocal } from './city-time.js';
import { type FormValues, names, RULE_NUMBERS } from './form-names.js';

/** "city" then the city's districts: the envelopes the form offers, in that order. */
export function envelopeCodes(kernel: Kernel): string[] {
  return [CITY_ENVELOPE, ...kernel.districts.all.map((d) => d.code)];
}

/** A new campaign's form: every envelope named after its district, approval of up to 4 projects and greedy winners (Paris until 2020). */
export function newCampaignValues(kernel: Kernel): FormValues {
  const values: FormValues = { status: 'draft', assuranceLevel: '0' };
  for (const code of envelopeCodes(kernel)) {
    const district = kernel.districts.byCode(code);
    values[names.envelope(code, 'label_fr')] = district?.name ?? kernel.i18n.t('fr', 'participatory-budget.envelope.city');
    values[names.envelope(code, 'label_en')] = district?.name ?? kernel.i18n.t('en', 'participatory-budget.envelope.city');
    values[names.envelope(code, 'ballot')] = 'approval';
    values[names.envelope(code, 'maxProjects')] = '4';
    values[names.envelope(code, 'requireAllPoints')] = 'yes';
    values[names.envelope(code, 'winner')] = 'greedy';
  }
  return values;
}

function envelopeValues(e: Envelope): FormValues {
  const values: FormValues = {
    [names.envelope(e.code, 'label_fr')]: e.label.fr,
    [names.envelope(e.code, 'label_en')]: e.label.en,
    [names.envelope(e.code, 'amount')]: String(e.amount),
    [names.envelope(e.code, 'ballot')]: String(e.ballotRules.type ?? ''),
    [names.envelope(e.code, 'winner')]: e.winnerRule,
    [names.envelope(e.code, 'requireAllPoints')]: e.ballotRules.requireAllPoints === false ? '' : 'yes',
  };
  // Every setting, blank when the rules have none: the new form's defaults must not slip into stored rules.
  for (const key of RULE_NUMBERS) {
    const value = e.ballotRules[key];
    values[names.envelope(e.code, key)] = typeof value === 'number' ? String(value) : '';
  }
  const grades = e.ballotRules.grades;
  values[names.envelope(e.code, 'grades')] = Array.isArray(grades) ? grades.join(', ') : '';
  e.reserved.forEach((r, row) => {
    values[names.reserved(e.code, row, 'code')] = r.code;
    values[names.reserved(e.code, row, 'label_fr')] = r.label.fr;
    values[names.reserved(e.code, row, 'label_en')] = r.label.en;
    values[names.reserved(e.code, row, 'amount')] = String(r.amount);
  });
  return values;
}

/** An existing campaign's form: its values, times in the city's zone; districts without an envelope keep the new form's defaults. */
export function campaignValues(kernel: Kernel, campaign: Campaign, eligibility: Eligibility): FormValues {
  const zone = kernel.config.city.timezone;
  const values: FormValues = {
    ...newCampaignValues(kernel),
    code: campaign.code,
    title_fr: campaign.title.fr,
    title_en: campaign.title.en,
    status: campaign.status,
    minimumAge: eligibility.minimumAge === null ? '' : String(eligibility.minimumAge),
    residenceRequired: eligibility.residenceRequired ? 'yes' : '',
    assuranceLevel: String(eligibility.assuranceLevel),
  };
  for (const p of campaign.phases) {
    values[names.phaseStart(p.phase)] = toCityLocal(p.startsAt, zone);
    if (p.endsAt) values[names.phaseEnd(p.phase)] = toCityLocal(p.endsAt, zone);
  }
  for (const e of campaign.envelopes) Object.assign(values, envelopeValues(e));
  campaign.themes.forEach((t, row) => {
    values[names.theme(row, 'code')] = t.code;
    values[names.theme(row, 'label_fr')] = t.label.fr;
    values[names.theme(row, 'label_en')] = t.label.en;
  });
  return values;
}

/** The text fields of a posted form (the CSRF token aside), as the form's values. */
export function postedValues(body: unknown): FormValues {
  const values: FormValues = {};
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (key !== '_csrf' && typeof first === 'string') values[key] = first;
  }
  return values;
}
