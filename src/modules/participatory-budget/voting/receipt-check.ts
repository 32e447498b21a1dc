import type { Executor } from '../../../kernel/db/transaction.js';
import type { Localized } from '../../../kernel/i18n/types.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { normalizeReceiptCode, receiptKey, verifyReceiptCode } from '../ballots/receipt.js';

/** What the public page may say of a code: never the ballot's envelope, channel or choices. */
export type ReceiptCheck =
  | { status: 'malformed' }
  | { status: 'unknown' }
  | { status: 'counted'; campaign: Localized; confirmedAt: string };

/**
 * Looks a typed receipt code up among confirmed ballots (by its canonical form, a unique column)
 * and re-derives it from the row as a check: a code that does not verify is unknown.
 */
export async function checkReceipt(db: Executor, kernel: Pick<Kernel, 'secret'>, typed: string): Promise<ReceiptCheck> {
  const canonical = normalizeReceiptCode(typed);
  if (!canonical) return { status: 'malformed' };
  const row = await db
    .selectFrom('pb_ballots as b')
    .innerJoin('pb_envelopes as e', 'e.id', 'b.envelope_id')
    .innerJoin('pb_campaigns as c', 'c.id', 'e.campaign_id')
    .select(['b.id', 'b.receipt_salt', 'b.confirmed_at', 'c.code', 'c.title_fr', 'c.title_en'])
    .where('b.receipt_code', '=', canonical)
    .where('b.status', '=', 'confirmed')
    .executeTakeFirst();
  if (!row?.receipt_salt || !row.confirmed_at) return { status: 'unknown' };
  const genuine = verifyReceiptCode(receiptKey(kernel.secret), { campaign: row.code, ballotId: row.id, salt: row.receipt_salt }, canonical);
  if (!genuine) return { status: 'unknown' };
  return { status: 'counted', campaign: { fr: row.title_fr, en: row.title_en }, confirmedAt: row.confirmed_at };
}

/** A stored (canonical) code as the voter reads it: "XXXX-XXXX-XXXX-XXXX". */
export function groupReceiptCode(canonical: string): string {
  return canonical.match(/.{1,4}/g)!.join('-');
}
