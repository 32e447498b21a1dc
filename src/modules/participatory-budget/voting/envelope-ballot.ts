import type { Executor } from '../../../kernel/db/transaction.js';
import type { Localized } from '../../../kernel/i18n/types.js';
import { type BallotRules, parseBallotRules } from '../ballots/rules.js';
import type { BallotEnvelope } from '../ballots/validate.js';
import { campaignError } from '../campaigns/errors.js';
import { Fraction } from '../rules/fraction.js';

export interface BallotProject {
  id: string;
  /** The project's stable code: what a ballot names. */
  code: string;
  title: Localized;
  description: Localized;
  /** Whole currency units. */
  cost: number;
}

/** An envelope as the voter sees it: its frozen rules and the projects on its ballot, in ballot order. */
export interface EnvelopeBallot {
  id: string;
  code: string;
  label: Localized;
  amount: number;
  rules: BallotRules;
  projects: BallotProject[];
  /** What validateBallot takes: projects by code. */
  forValidation: BallotEnvelope;
}

/** The envelope `code` of a campaign with the projects on its ballot (status "ballot"); 404 when unknown. */
export async function loadEnvelopeBallot(db: Executor, campaignId: string, campaignCode: string, code: string): Promise<EnvelopeBallot> {
  const envelope = await db
    .selectFrom('pb_envelopes')
    .select(['id', 'code', 'label_fr', 'label_en', 'amount', 'ballot_rules'])
    .where('campaign_id', '=', campaignId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!envelope) {
    throw campaignError('envelope-unknown', `Campaign "${campaignCode}" has no envelope "${code}".`, [
      { field: 'envelope', message: 'unknown' },
    ]);
  }
  const rows = await db
    .selectFrom('pb_projects')
    .select(['id', 'code', 'title_fr', 'title_en', 'description_fr', 'description_en', 'cost'])
    .where('envelope_id', '=', envelope.id)
    .where('status', '=', 'ballot')
    .orderBy('position')
    .orderBy('code')
    .execute();
  const projects = rows.map((r) => ({
    id: r.id,
    code: r.code,
    title: { fr: r.title_fr, en: r.title_en },
    description: { fr: r.description_fr, en: r.description_en },
    cost: Number(r.cost),
  }));
  const amount = Number(envelope.amount);
  return {
    id: envelope.id,
    code: envelope.code,
    label: { fr: envelope.label_fr, en: envelope.label_en },
    amount,
    rules: parseBallotRules(JSON.parse(envelope.ballot_rules), `envelope ${envelope.code}`),
    projects,
    forValidation: { budget: Fraction.of(amount), projects: projects.map((p) => ({ id: p.code, cost: Fraction.of(p.cost) })) },
  };
}
