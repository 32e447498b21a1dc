import { inTransaction } from '../../../src/kernel/db/transaction.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import type { CampaignActing } from '../../../src/modules/participatory-budget/campaigns/access.js';
import { parsePabulib } from '../../../src/modules/participatory-budget/pabulib/parse.js';
import { importPabulibEnvelope } from '../../../src/modules/participatory-budget/results/pabulib-import.js';
import { create, goodDefinition } from './campaigns-support.js';
import { AFTER_VOTE } from './results-support.js';

/**
 * A published campaign (vote over by AFTER_VOTE) whose 11th-arrondissement envelope is configured
 * like the file's election: its budget, approval ballots naming up to as many projects as its
 * longest vote, its rule. The city and 18th envelopes keep the test definition's settings.
 */
export async function campaignForFile(kernel: Kernel, code: string, bytes: Buffer, eleventh: Record<string, unknown> = {}) {
  const file = parsePabulib(bytes);
  const longest = Math.max(1, ...file.votes.map((v) => v.vote.length));
  const definition = goodDefinition();
  definition.envelopes[0] = {
    code: '75111',
    label: { fr: '11e arrondissement', en: '11th arrondissement' },
    amount: file.meta.budget,
    reserved: [],
    ballotRules: { type: 'approval', maxProjects: longest },
    winnerRule: file.meta.rule,
    ...eleventh,
  } as never;
  return create(kernel, { ...definition, code, status: 'published' });
}

export function importInto(
  kernel: Kernel,
  acting: CampaignActing,
  campaign: string,
  envelope: string,
  bytes: Buffer | string,
  options: { now?: Date; codePrefix?: string; fileName?: string } = {},
) {
  return inTransaction(kernel.db, (trx) =>
    importPabulibEnvelope(
      trx,
      kernel,
      acting,
      campaign,
      envelope,
      { fileName: options.fileName ?? 'test.pb', bytes: Buffer.from(bytes), codePrefix: options.codePrefix ?? '' },
      { now: options.now ?? AFTER_VOTE },
    ),
  );
}

/** Everything an import writes, counted for one campaign: a refusal must leave each number as it was. */
export async function footprint(kernel: Kernel, campaignId: string) {
  const db = kernel.db;
  const n = async (rows: Promise<unknown[]>) => (await rows).length;
  const envelopes = (await db.selectFrom('pb_envelopes').select('id').where('campaign_id', '=', campaignId).execute()).map((e) => e.id);
  return {
    projects: await n(db.selectFrom('pb_projects').select('id').where('campaign_id', '=', campaignId).execute()),
    voters: await n(db.selectFrom('pb_voters').select('id').where('campaign_id', '=', campaignId).execute()),
    ballots: await n(db.selectFrom('pb_ballots').select('id').where('envelope_id', 'in', envelopes).execute()),
    history: await n(
      db
        .selectFrom('pb_ballot_history as h')
        .innerJoin('pb_ballots as b', 'b.id', 'h.ballot_id')
        .select('h.id')
        .where('b.envelope_id', 'in', envelopes)
        .execute(),
    ),
    imports: await n(db.selectFrom('pb_pabulib_imports').select('envelope_id').where('campaign_id', '=', campaignId).execute()),
    audit: await n(db.selectFrom('audit_log').select('id').where('action', '=', 'participatory-budget.results.pabulib-import').execute()),
  };
}
