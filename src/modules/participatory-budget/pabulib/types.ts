/**
 * A participatory-budgeting election in the Pabulib format (pabulib.org), as a typed structure.
 * Field names are those of the format, so a file and its structure read the same.
 * An empty field in the file is an absent value here (`undefined`), never `''`.
 */

export const VOTE_TYPES = ['approval', 'ordinal', 'cumulative', 'scoring', 'choose-1'] as const;
export type VoteType = (typeof VOTE_TYPES)[number];

export interface PabulibMeta {
  description: string;
  country: string;
  unit: string;
  instance: string;
  num_projects: number;
  num_votes: number;
  budget: number;
  vote_type: VoteType;
  /** The rule that produced the `selected` column ("greedy", "equalshares/add1"…). */
  rule: string;
  date_begin: string;
  date_end: string;
  min_length?: number;
  max_length?: number;
  min_sum_cost?: number;
  max_sum_cost?: number;
  min_points?: number;
  max_points?: number;
  min_sum_points?: number;
  max_sum_points?: number;
  /** Projects with a score (votes) below this are not eligible (`greedy-threshold`). */
  min_project_score_threshold?: number;
  /** 1 when the budget covered every project. */
  fully_funded?: number;
  comment?: string;
  currency?: string;
  language?: string;
  subunit?: string;
  district?: string;
  /** Every other key (edition, subdistricts…), verbatim. */
  other: Record<string, string>;
}

export interface PabulibProject {
  project_id: string;
  cost: number;
  votes?: number;
  score?: number;
  name?: string;
  category?: string[];
  target?: string[];
  beneficiaries?: string[];
  /** 1 selected, 0 not; 2 and 3 mark special cases that the META comment explains. */
  selected?: number;
  district?: string;
  neighborhood?: string;
  subunit?: string;
  description?: string;
  latitude?: number;
  longitude?: number;
  /** Every other column, verbatim. */
  other: Record<string, string>;
}

export interface PabulibVote {
  voter_id: string;
  /** Project ids in the order written (the ranking, for ordinal ballots). */
  vote: string[];
  /** Points given to each project of `vote`, same order (cumulative and scoring ballots). */
  points?: number[];
  /** A number or an age bracket ("40-59"), as published. */
  age?: string;
  sex?: string;
  voting_method?: string;
  district?: string;
  neighborhood?: string;
  /** Every other column, verbatim. */
  other: Record<string, string>;
}

export interface PabulibFile {
  meta: PabulibMeta;
  /** In file order (the order of selection for rules that record it, otherwise by votes). */
  projects: PabulibProject[];
  votes: PabulibVote[];
}
