import type { Executor } from '../db/transaction.js';
import type { DemandScopes, DemandSummary } from './queries.js';
import { listDemands } from './queries.js';

export interface CitizenFile {
  id: string;
  name: string;
  email: string;
  createdAt: string;
  demands: DemandSummary[];
  messages: { id: string; demandId: string; reference: string; authorKind: 'citizen' | 'agent'; body: string; at: string }[];
}

const SHOWN = 200;

/** Everything about one resident an agent may see, across services: the "360° view". */
export async function citizenFile(db: Executor, accountId: string, access: DemandScopes): Promise<CitizenFile | null> {
  const account = await db
    .selectFrom('accounts')
    .select(['id', 'display_name', 'email', 'created_at'])
    .where('id', '=', accountId)
    .where('kind', '=', 'citizen')
    .executeTakeFirst();
  if (!account) return null;
  const { items } = await listDemands(db, accountId, { limit: SHOWN, access });
  const ids = items.map((d) => d.id);
  const messages = ids.length
    ? await db
        .selectFrom('demand_messages as m')
        .innerJoin('demands as d', 'd.id', 'm.demand_id')
        .select(['m.id', 'm.demand_id', 'd.reference', 'm.author_kind', 'm.body', 'm.created_at'])
        .where('m.demand_id', 'in', ids)
        .orderBy('m.created_at', 'desc')
        .limit(50)
        .execute()
    : [];
  return {
    id: account.id,
    name: account.display_name,
    email: account.email,
    createdAt: account.created_at,
    demands: items,
    messages: messages.map((m) => ({
      id: m.id,
      demandId: m.demand_id,
      reference: m.reference,
      authorKind: m.author_kind,
      body: m.body,
      at: m.created_at,
    })),
  };
}

/** Residents whose e-mail or name contains the text (case-insensitive on both engines). */
export async function searchCitizens(db: Executor, q: string): Promise<{ id: string; name: string; email: string }[]> {
  const needle = `%${q.toLowerCase().replaceAll(/[%_\\]/g, '')}%`;
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'display_name', 'email'])
    .where('kind', '=', 'citizen')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb(eb.fn('lower', ['email']), 'like', needle), eb(eb.fn('lower', ['display_name']), 'like', needle)]))
    .orderBy('display_name')
    .limit(50)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name, email: r.email }));
}
