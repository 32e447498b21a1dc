/**
 * What the Pabulib format says about each field: its type, whether it is required, and the
 * standard order of keys and columns (the order pabulib.org writes them in, so that writing back a
 * published file reproduces it).
 */

export type FieldKind = 'text' | 'integer' | 'decimal' | 'text-list' | 'decimal-list';

export interface FieldSpec {
  kind: FieldKind;
  required?: boolean;
}

/** META keys with a type here; any other key is kept as text in `meta.other`. */
export const META_FIELDS: Readonly<Record<string, FieldSpec>> = {
  description: { kind: 'text', required: true },
  country: { kind: 'text', required: true },
  unit: { kind: 'text', required: true },
  district: { kind: 'text' },
  subunit: { kind: 'text' },
  instance: { kind: 'text', required: true },
  num_projects: { kind: 'integer', required: true },
  num_votes: { kind: 'integer', required: true },
  budget: { kind: 'decimal', required: true },
  vote_type: { kind: 'text', required: true },
  rule: { kind: 'text', required: true },
  date_begin: { kind: 'text', required: true },
  date_end: { kind: 'text', required: true },
  min_length: { kind: 'integer' },
  max_length: { kind: 'integer' },
  min_sum_cost: { kind: 'decimal' },
  max_sum_cost: { kind: 'decimal' },
  min_points: { kind: 'decimal' },
  max_points: { kind: 'decimal' },
  min_sum_points: { kind: 'decimal' },
  max_sum_points: { kind: 'decimal' },
  min_project_score_threshold: { kind: 'decimal' },
  fully_funded: { kind: 'integer' },
  language: { kind: 'text' },
  currency: { kind: 'text' },
  comment: { kind: 'text' },
};

/** The standard order of META keys, typed or not; unknown keys are written after these. */
export const META_ORDER: readonly string[] = [
  'description',
  'country',
  'unit',
  'district',
  'subunit',
  'instance',
  'num_projects',
  'num_votes',
  'budget',
  'vote_type',
  'rule',
  'date_begin',
  'date_end',
  'min_length',
  'max_length',
  'min_sum_cost',
  'max_sum_cost',
  'min_points',
  'max_points',
  'min_sum_points',
  'max_sum_points',
  'default_score',
  'min_project_cost',
  'max_project_cost',
  'min_project_score_threshold',
  'neighborhoods',
  'subdistricts',
  'categories',
  'edition',
  'language',
  'currency',
  'fully_funded',
  'experimental',
  'comment',
  'acknowledgments',
];

export const PROJECT_FIELDS: Readonly<Record<string, FieldSpec>> = {
  project_id: { kind: 'text', required: true },
  cost: { kind: 'decimal', required: true },
  votes: { kind: 'integer' },
  score: { kind: 'decimal' },
  name: { kind: 'text' },
  category: { kind: 'text-list' },
  target: { kind: 'text-list' },
  beneficiaries: { kind: 'text-list' },
  selected: { kind: 'integer' },
  neighborhood: { kind: 'text' },
  subunit: { kind: 'text' },
  district: { kind: 'text' },
  description: { kind: 'text' },
  latitude: { kind: 'decimal' },
  longitude: { kind: 'decimal' },
};

export const PROJECT_ORDER: readonly string[] = [
  'project_id',
  'cost',
  'votes',
  'score',
  'name',
  'category',
  'target',
  'beneficiaries',
  'selected',
  'neighborhood',
  'subunit',
  'district',
  'description',
  'proposer',
  'public_id',
  'latitude',
  'longitude',
];

export const VOTE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  voter_id: { kind: 'text', required: true },
  vote: { kind: 'text-list', required: true },
  points: { kind: 'decimal-list' },
  age: { kind: 'text' },
  sex: { kind: 'text' },
  voting_method: { kind: 'text' },
  district: { kind: 'text' },
  neighborhood: { kind: 'text' },
};

export const VOTE_ORDER: readonly string[] = [
  'voter_id',
  'vote',
  'points',
  'age',
  'sex',
  'voting_method',
  'district',
  'neighborhood',
  'education',
];

/** Plain decimal, as Pabulib writes amounts: no exponent, no thousands separator, "." for decimals. */
export const DECIMAL = /^-?\d+(\.\d+)?$/;
export const INTEGER = /^-?\d+$/;
