import type { Eligibility } from '../../voting/eligibility.js';
import { CITY_ENVELOPE, PHASES } from '../definition.js';
import type { CampaignInput } from '../edit.js';
import type { Campaign } from '../store.js';
import { fromCityLocal } from './city-time.js';
import { type FormLayout, type FormValues, names, RESERVED_FIELDS, RULE_NUMBERS, THEME_FIELDS } from './form-names.js';

/**
 * The campaign form's values as the domain's input. The form does no checking of its own: blank
 * optional fields are left out, numbers are read when they look like numbers and otherwise passed on
 * as typed, so the definition's checks (campaigns/definition.ts, ballots/rules.ts) refuse them with
 * their usual problems and nothing here can disagree with them.
 */

/** More rows than any form shows: the end of the loops over posted rows. */
const MAX_ROWS = 100;

const blank = (text: string | undefined) => (text ?? '').trim() === '';

/** "5 000 000" → 5000000, "70,5" → 70.5; blank → undefined; anything else as typed. */
export function numberOf(text: string | undefined): number | string | undefined {
  const compact = (text ?? '').replace(/[\s\u00a0\u202f]/g, '');
  if (compact === '') return undefined;
  return /^-?\d+(?:[.,]\d+)?$/.test(compact) ? Number(compact.replace(',', '.')) : compact;
}

/** Leaves out what is undefined, so that the rules' defaults apply. */
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function ballotRulesOf(values: FormValues, code: string): Record<string, unknown> {
  const type = values[names.envelope(code, 'ballot')] ?? '';
  const n = Object.fromEntries(RULE_NUMBERS.map((k) => [k, numberOf(values[names.envelope(code, k)])]));
  switch (type) {
    case 'approval':
      return defined({ type, maxProjects: n.maxProjects, minProjects: n.minProjects });
    case 'knapsack':
      return defined({ type, minSpendPercent: n.minSpendPercent, minProjects: n.minProjects, maxProjects: n.maxProjects });
    case 'cumulative':
      return defined({
        type,
        points: n.points,
        minProjects: n.minProjects,
        maxPointsPerProject: n.maxPointsPerProject,
        requireAllPoints: values[names.envelope(code, 'requireAllPoints')] === 'yes',
      });
    case 'majority-judgement': {
      const grades = (values[names.envelope(code, 'grades')] ?? '')
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean);
      return defined({ type, grades: grades.length ? grades : undefined });
    }
    default:
      return { type };
  }
}

function reservedOf(values: FormValues, code: string) {
  const rows: number[] = [];
  const list: Record<string, unknown>[] = [];
  for (let row = 0; row < MAX_ROWS; row++) {
    const cell = (field: string) => values[names.reserved(code, row, field)];
    if (RESERVED_FIELDS.every((f) => cell(f) === undefined)) break;
    if (RESERVED_FIELDS.every((f) => blank(cell(f)))) continue;
    rows.push(row);
    list.push({
      code: (cell('code') ?? '').trim(),
      label: { fr: cell('label_fr') ?? '', en: cell('label_en') ?? '' },
      amount: numberOf(cell('amount')),
    });
  }
  return { rows, list };
}

function themesOf(values: FormValues) {
  const rows: number[] = [];
  const list: Record<string, unknown>[] = [];
  for (let row = 0; row < MAX_ROWS; row++) {
    const cell = (field: string) => values[names.theme(row, field)];
    if (THEME_FIELDS.every((f) => cell(f) === undefined)) break;
    if (THEME_FIELDS.every((f) => blank(cell(f)))) continue;
    rows.push(row);
    list.push({ code: (cell('code') ?? '').trim(), label: { fr: cell('label_fr') ?? '', en: cell('label_en') ?? '' } });
  }
  return { rows, list };
}

/** A stored envelope as a definition's envelope: what a frozen campaign's form, which shows them read-only, stands for. */
const storedEnvelopes = (campaign: Campaign) =>
  campaign.envelopes.map((e) => ({
    code: e.code,
    label: e.label,
    amount: e.amount,
    ballotRules: e.ballotRules,
    winnerRule: e.winnerRule,
    reserved: e.reserved,
  }));

/**
 * Reads the form. `envelopeCodes` are "city" then the city's districts: a district whose amount is
 * left blank has no envelope. With `stored` (editing), parts the form did not post — the envelopes
 * and the eligibility of a campaign whose vote has opened, shown read-only — stay as stored; a form
 * read before the vote opened and posted after does post them, and the domain refuses any change.
 */
export function readCampaignForm(
  values: FormValues,
  options: { envelopeCodes: readonly string[]; timeZone: string; stored?: { campaign: Campaign; eligibility: Eligibility } },
): { input: CampaignInput; layout: FormLayout } {
  const layout: FormLayout = { phases: [], envelopes: [], reservedRows: {}, themeRows: [] };
  const phases: Record<string, unknown>[] = [];
  for (const phase of PHASES) {
    const start = values[names.phaseStart(phase)] ?? '';
    const end = values[names.phaseEnd(phase)] ?? '';
    if (blank(start) && blank(end)) continue;
    layout.phases.push(phase);
    phases.push(
      defined({
        phase,
        startsAt: fromCityLocal(start, options.timeZone),
        endsAt: blank(end) ? undefined : fromCityLocal(end, options.timeZone),
      }),
    );
  }

  const posted = values[names.envelope(CITY_ENVELOPE, 'amount')] !== undefined || !options.stored;
  let envelopes: Record<string, unknown>[];
  if (posted) {
    envelopes = [];
    for (const code of options.envelopeCodes) {
      const amount = values[names.envelope(code, 'amount')];
      if (code !== CITY_ENVELOPE && blank(amount)) continue;
      const reserved = reservedOf(values, code);
      layout.envelopes.push(code);
      layout.reservedRows[code] = reserved.rows;
      envelopes.push({
        code,
        label: { fr: values[names.envelope(code, 'label_fr')] ?? '', en: values[names.envelope(code, 'label_en')] ?? '' },
        amount: numberOf(amount),
        ballotRules: ballotRulesOf(values, code),
        winnerRule: values[names.envelope(code, 'winner')] ?? '',
        reserved: reserved.list,
      });
    }
  } else {
    envelopes = storedEnvelopes(options.stored!.campaign);
    layout.envelopes = envelopes.map((e) => e.code as string);
  }

  const themes = themesOf(values);
  layout.themeRows = themes.rows;
  const eligibility =
    values.assuranceLevel !== undefined || !options.stored
      ? {
          minimumAge: blank(values.minimumAge) ? null : numberOf(values.minimumAge),
          residenceRequired: values.residenceRequired === 'yes',
          assuranceLevel: numberOf(values.assuranceLevel) ?? 0,
        }
      : options.stored.eligibility;
  const definition = defined({
    code: (values.code ?? '').trim(),
    title: { fr: values.title_fr ?? '', en: values.title_en ?? '' },
    status: blank(values.status) ? undefined : values.status,
    phases,
    envelopes,
    themes: themes.list,
  });
  return { input: { definition, eligibility }, layout };
}
