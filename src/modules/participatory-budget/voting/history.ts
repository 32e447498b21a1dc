import type { Executor } from '../../../kernel/db/transaction.js';
import { newId, nowIso } from '../../../kernel/db/values.js';

export type HistoryAction = 'save' | 'confirm' | 'paper' | 'discard';

type Entry = { ballotId: string; action: HistoryAction; actorKind: 'citizen' | 'agent'; actorId: string; choices: string };

/** Entries of ballots' history (a save then its confirmation: one statement), written in the transaction of the change they record. */
export async function recordHistory(db: Executor, ...entries: Entry[]): Promise<void> {
  const at = nowIso();
  await db
    .insertInto('pb_ballot_history')
    .values(
      entries.map((e) => ({
        id: newId(),
        ballot_id: e.ballotId,
        action: e.action,
        actor_kind: e.actorKind,
        actor_id: e.actorId,
        choices: e.choices,
        at,
      })),
    )
    .execute();
}
