import { CITY_ENVELOPE } from '../definition.js';

/**
 * The names (and ids) of the campaign form's fields. The definition's problems come with dotted
 * paths into the definition ("envelopes.2.reserved.0.amount"); `fieldOfPath` turns them into the
 * name of the control that holds the value, so that each error sits next to its field and the error
 * summary links to it. Envelopes and reserved amounts are named by code and row, not by position
 * in the definition: districts left without an envelope and blank rows are not in the definition.
 */

export type FormValues = Record<string, string>;

export const BALLOT_TYPES = ['approval', 'knapsack', 'cumulative', 'majority-judgement'] as const;
/** The numeric settings of ballot rules; which apply depends on the type (ballots/rules.ts). */
export const RULE_NUMBERS = ['maxProjects', 'minProjects', 'minSpendPercent', 'points', 'maxPointsPerProject'] as const;
/** Settings of the ballot rules given as text: grades (majority judgement), whether all points must be given (cumulative). */
export const RULE_OTHERS = ['grades', 'requireAllPoints'] as const;
export const RESERVED_FIELDS = ['code', 'label_fr', 'label_en', 'amount'] as const;
export const THEME_FIELDS = ['code', 'label_fr', 'label_en'] as const;

export const names = {
  phaseStart: (phase: string) => `phase-${phase}-start`,
  phaseEnd: (phase: string) => `phase-${phase}-end`,
  /** amount, label_fr, label_en, ballot (its type), winner, or a setting of the rules. */
  envelope: (code: string, field: string) => `env-${code}-${field}`,
  reserved: (code: string, row: number, field: string) => `env-${code}-reserved-${row}-${field}`,
  theme: (row: number, field: string) => `theme-${row}-${field}`,
};

/** Where the form's rows went in the definition: index in the definition → code or row of the form. */
export interface FormLayout {
  phases: string[];
  envelopes: string[];
  /** Per envelope code: index in its reserved list → row of the form. */
  reservedRows: Record<string, number[]>;
  themeRows: number[];
}

const LEAF: Record<string, string> = { 'label.fr': 'label_fr', 'label.en': 'label_en', label: 'label_fr', 'title.fr': 'title_fr' };

/** The control that an issue at `path` of the definition (or "eligibility.<field>") belongs to. */
export function fieldOfPath(path: string, layout: FormLayout): string {
  const [head, index, ...rest] = path.split('.');
  const tail = rest.join('.');
  const i = Number(index);
  switch (head) {
    case 'title':
      return index === 'en' ? 'title_en' : 'title_fr';
    case 'phases': {
      const phase = layout.phases[i] ?? 'vote';
      return rest[0] === 'endsAt' ? names.phaseEnd(phase) : names.phaseStart(phase);
    }
    case 'envelopes': {
      const code = layout.envelopes[i] ?? CITY_ENVELOPE;
      if (rest[0] === 'reserved') {
        const row = rest[1] === undefined ? 0 : (layout.reservedRows[code]?.[Number(rest[1])] ?? 0);
        return names.reserved(code, row, LEAF[rest.slice(2).join('.')] ?? (rest[2] || 'amount'));
      }
      if (rest[0] === 'ballotRules') return names.envelope(code, rest[1] && rest[1] !== 'type' ? rest[1] : 'ballot');
      if (rest[0] === 'winnerRule') return names.envelope(code, 'winner');
      return names.envelope(code, LEAF[tail] ?? (rest[0] || 'amount'));
    }
    case 'themes':
      return names.theme(index === undefined ? 0 : (layout.themeRows[i] ?? 0), LEAF[tail] ?? (rest[0] || 'code'));
    case 'eligibility':
      return index ?? 'minimumAge';
    default:
      return head === 'status' ? 'status' : 'code';
  }
}
