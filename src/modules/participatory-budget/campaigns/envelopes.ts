import { z } from 'zod';
import type { Trx } from '../../../kernel/db/transaction.js';
import { nowIso, nowMs, toJson } from '../../../kernel/db/values.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { assertMayManage, type CampaignActing } from './access.js';
import {
  amountSchema,
  ballotRulesJson,
  fieldProblems,
  localizedSchema,
  reservedListSchema,
  reservedProblems,
  winnerRuleSchema,
} from './definition.js';
import { campaignError, invalid } from './errors.js';
import { insertReservedAmounts } from './rows.js';
import { type Envelope, loadCampaign, lockCampaign } from './store.js';

/** What may change in an envelope until the vote opens; what is left out stays as it is. */
export const envelopeChangesSchema = z
  .strictObject(
    {
      label: localizedSchema,
      amount: amountSchema,
      /** Replaces the envelope's reserved amounts (an empty list removes them). */
      reserved: reservedListSchema,
      ballotRules: ballotRulesJson,
      winnerRule: winnerRuleSchema,
    },
    { error: (i) => (i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}` : 'must be an object') },
  )
  .partial()
  .refine((c) => Object.keys(c).length > 0, { message: 'says nothing to change (label, amount, reserved, ballotRules or winnerRule)' });
export type EnvelopeChanges = z.input<typeof envelopeChangesSchema>;

/**
 * Changes one envelope of a campaign (amount, reserved amounts, ballot rules, winner rule, label),
 * in the caller's transaction, with an audit entry. Refused with `participatory-budget.frozen` once
 * the vote has opened — by the dates or because the envelopes were frozen — and the check is made
 * after taking the campaign's row (`lockCampaign`), so an agent's change and the vote's opening (or
 * another agent's change) cannot interleave: whichever comes second sees what the first wrote.
 */
export async function updateEnvelope(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  envelopeCode: string,
  input: unknown,
  options: { now?: Date } = {},
): Promise<Envelope> {
  await assertMayManage(trx, kernel, acting);
  const parsed = envelopeChangesSchema.safeParse(input);
  if (!parsed.success) throw invalid('invalid-envelope', 'The envelope change', fieldProblems(parsed.error));
  const changes = parsed.data;
  const now = options.now ?? new Date(nowMs());

  const campaign = await lockCampaign(trx, campaignCode);
  if (!campaign)
    throw campaignError('campaign-unknown', `There is no campaign "${campaignCode}".`, [{ field: 'campaign', message: 'unknown' }]);
  const vote = await trx
    .selectFrom('pb_phases')
    .select('starts_at')
    .where('campaign_id', '=', campaign.id)
    .where('phase', '=', 'vote')
    .executeTakeFirstOrThrow();
  const row = await trx
    .selectFrom('pb_envelopes')
    .selectAll()
    .where('campaign_id', '=', campaign.id)
    .where('code', '=', envelopeCode)
    .executeTakeFirst();
  if (!row) {
    throw campaignError('envelope-unknown', `Campaign "${campaignCode}" has no envelope "${envelopeCode}".`, [
      { field: 'envelope', message: 'unknown' },
    ]);
  }
  const frozenSince = row.frozen_at ?? (Date.parse(vote.starts_at) <= now.getTime() ? vote.starts_at : null);
  if (frozenSince !== null) throw frozen(campaignCode, frozenSince, Object.keys(changes));

  const amount = changes.amount ?? Number(row.amount);
  const reserved =
    changes.reserved ??
    (await trx.selectFrom('pb_reserved_amounts').select(['amount']).where('envelope_id', '=', row.id).execute()).map((r) => ({
      amount: Number(r.amount),
    }));
  const problems = reservedProblems(amount, reserved);
  if (problems.length) throw invalid('invalid-envelope', 'The envelope change', problems);

  const at = nowIso();
  const updated = await trx
    .updateTable('pb_envelopes')
    .set({
      ...(changes.label ? { label_fr: changes.label.fr, label_en: changes.label.en } : {}),
      ...(changes.amount !== undefined ? { amount: changes.amount } : {}),
      ...(changes.ballotRules ? { ballot_rules: toJson(changes.ballotRules) } : {}),
      ...(changes.winnerRule ? { winner_rule: changes.winnerRule } : {}),
      updated_at: at,
    })
    .where('id', '=', row.id)
    // Belt and braces: the campaign's row is held, but the freeze is also a condition of the write itself.
    .where('frozen_at', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw frozen(campaignCode, vote.starts_at, Object.keys(changes));
  if (changes.reserved) {
    await trx.deleteFrom('pb_reserved_amounts').where('envelope_id', '=', row.id).execute();
    await insertReservedAmounts(trx, row.id, changes.reserved);
  }
  await audit(trx, {
    actor: acting.actor,
    action: 'participatory-budget.envelope.update',
    resourceType: 'pb-envelope',
    resourceId: row.id,
    ip: acting.ip ?? null,
    details: {
      campaign: campaignCode,
      envelope: envelopeCode,
      changed: Object.keys(changes),
      before: { amount: Number(row.amount), winnerRule: row.winner_rule, ballotRules: JSON.parse(row.ballot_rules) },
      after: {
        amount,
        ...(changes.winnerRule ? { winnerRule: changes.winnerRule } : {}),
        ...(changes.ballotRules ? { ballotRules: changes.ballotRules } : {}),
      },
    },
  });
  const campaignNow = await loadCampaign(trx, campaignCode);
  return campaignNow!.envelopes.find((e) => e.code === envelopeCode)!;
}

function frozen(campaignCode: string, since: string, fields: string[]) {
  return campaignError(
    'frozen',
    `The vote of campaign "${campaignCode}" opened at ${since}: its envelopes, reserved amounts, ballot rules and winner rules can no longer change.`,
    fields.map((field) => ({ field, message: 'frozen since the vote opened' })),
  );
}

/**
 * Freezes the envelopes of every campaign whose vote has opened by `now` (frozen_at = the vote's
 * opening), each campaign after taking its row, with an audit entry. Run every minute by the
 * module's schedule; updates are refused by the dates even before it runs. Returns the campaigns frozen.
 */
export async function freezeOpenedVotes(trx: Trx, now: Date): Promise<string[]> {
  const due = await trx
    .selectFrom('pb_campaigns as c')
    .innerJoin('pb_phases as p', (j) => j.onRef('p.campaign_id', '=', 'c.id').on('p.phase', '=', 'vote'))
    .select(['c.code', 'p.starts_at'])
    .where('p.starts_at', '<=', now.toISOString())
    .where((eb) =>
      eb.exists(eb.selectFrom('pb_envelopes as e').select('e.id').whereRef('e.campaign_id', '=', 'c.id').where('e.frozen_at', 'is', null)),
    )
    .orderBy('c.code')
    .execute();
  const frozenCodes: string[] = [];
  for (const { code, starts_at } of due) {
    const campaign = await lockCampaign(trx, code);
    if (!campaign) continue;
    const result = await trx
      .updateTable('pb_envelopes')
      .set({ frozen_at: starts_at, updated_at: nowIso() })
      .where('campaign_id', '=', campaign.id)
      .where('frozen_at', 'is', null)
      .executeTakeFirst();
    const count = Number(result.numUpdatedRows);
    if (count === 0) continue;
    await audit(trx, {
      actor: { kind: 'system', label: 'participatory-budget:freeze' },
      action: 'participatory-budget.envelopes.freeze',
      resourceType: 'pb-campaign',
      resourceId: campaign.id,
      details: { campaign: code, voteOpenedAt: starts_at, envelopes: count },
    });
    frozenCodes.push(code);
  }
  return frozenCodes;
}
