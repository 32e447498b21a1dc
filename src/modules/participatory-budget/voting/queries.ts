import type { Executor } from '../../../kernel/db/transaction.js';
import type { VoterBallot } from '../ballots/validate.js';
import { CITY_ENVELOPE } from '../campaigns/definition.js';
import type { Campaign } from '../campaigns/store.js';

/** The voter's ballot in one envelope, if any: its status, choices and (confirmed) receipt code. */
export async function voterBallot(db: Executor, voterId: string, envelopeId: string) {
  const row = await db
    .selectFrom('pb_ballots')
    .select(['status', 'choices', 'receipt_code', 'confirmed_at'])
    .where('voter_id', '=', voterId)
    .where('envelope_id', '=', envelopeId)
    .executeTakeFirst();
  return (
    row && {
      status: row.status,
      ballot: JSON.parse(row.choices) as VoterBallot,
      receiptCode: row.receipt_code,
      confirmedAt: row.confirmed_at,
    }
  );
}

/** Where the voter's ballots stand in the city's envelope and their district's. */
export async function ballotStatuses(db: Executor, campaign: Campaign, voterId: string, district: string) {
  const rows = await db
    .selectFrom('pb_ballots as b')
    .innerJoin('pb_envelopes as e', 'e.id', 'b.envelope_id')
    .select(['e.code', 'b.status', 'b.confirmed_at'])
    .where('b.voter_id', '=', voterId)
    .where('e.campaign_id', '=', campaign.id)
    .execute();
  return campaign.envelopes
    .filter((e) => e.code === CITY_ENVELOPE || e.code === district)
    .map((e) => {
      const row = rows.find((r) => r.code === e.code);
      return {
        code: e.code,
        label: e.label,
        status: (row?.status ?? 'none') as 'none' | 'draft' | 'confirmed',
        confirmedAt: row?.confirmed_at ?? null,
      };
    });
}
