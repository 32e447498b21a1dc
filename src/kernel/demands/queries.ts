import type { ExpressionBuilder } from 'kysely';
import type { Tables } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { fromJson } from '../db/values.js';
import { GENERIC_STATUSES, type GenericStatus, type LocalText } from '../workflow/definition.js';

export interface DemandSummary {
  id: string;
  type: string;
  module: string;
  reference: string;
  accountId: string | null;
  title: string;
  status: GenericStatus;
  stateLabel: LocalText | null;
  step: number | null;
  steps: number | null;
  nextAction: LocalText | null;
  unitPath: string | null;
  link: string;
  subject: string;
  unreadForAgents: number;
  unreadForCitizen: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

const COLUMNS = [
  'id',
  'type',
  'module',
  'reference',
  'account_id',
  'title',
  'status',
  'state_label',
  'step',
  'steps',
  'next_action',
  'unit_path',
  'link',
  'subject',
  'unread_for_agents',
  'unread_for_citizen',
  'created_at',
  'updated_at',
  'closed_at',
] as const;

type Row = { [K in (typeof COLUMNS)[number]]: any };

function toSummary(r: Row): DemandSummary {
  return {
    id: r.id,
    type: r.type,
    module: r.module,
    reference: r.reference,
    accountId: r.account_id,
    title: r.title,
    status: r.status,
    stateLabel: fromJson<LocalText | null>(r.state_label, null),
    step: r.step === null ? null : Number(r.step),
    steps: r.steps === null ? null : Number(r.steps),
    nextAction: fromJson<LocalText | null>(r.next_action, null),
    unitPath: r.unit_path,
    link: r.link,
    subject: r.subject,
    unreadForAgents: Number(r.unread_for_agents),
    unreadForCitizen: Number(r.unread_for_citizen),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

export interface DemandFilter {
  /** A demand type ("street-reports:report"): the dashboard's "service" filter. */
  type?: string;
  status?: GenericStatus;
  /** Key of the last row of the previous page: "<updated_at>|<id>". */
  after?: string;
  limit: number;
  /** Agents (360° view): only the demands they may see. */
  access?: DemandScopes;
}

/**
 * One resident's demands, latest activity first, paginated by key (never OFFSET: a resident with
 * hundreds of demands in a table of millions reads one index range).
 */
export async function listDemands(
  db: Executor,
  accountId: string,
  filter: DemandFilter,
): Promise<{ items: DemandSummary[]; next: string | null }> {
  let query = db.selectFrom('demands').select(COLUMNS).where('account_id', '=', accountId);
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.access) {
    const visible = filter.access.filter((a) => a.scopes === 'all' || a.scopes.length > 0);
    if (visible.length === 0) return { items: [], next: null };
    query = query.where(visibleTo(visible));
  }
  if (filter.after) {
    const [at, id] = filter.after.split('|');
    if (at && id) query = query.where((eb) => eb.or([eb('updated_at', '<', at), eb.and([eb('updated_at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await query
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const items = rows.slice(0, filter.limit).map(toSummary);
  const last = items.at(-1);
  return { items, next: rows.length > filter.limit && last ? `${last.updatedAt}|${last.id}` : null };
}

/** How many of a resident's demands are in each status and each service (the dashboard's filters). */
export async function demandCounts(db: Executor, accountId: string) {
  const rows = await db
    .selectFrom('demands')
    .select(['type', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('account_id', '=', accountId)
    .groupBy(['type', 'status'])
    .execute();
  const byStatus = Object.fromEntries(GENERIC_STATUSES.map((s) => [s, 0])) as Record<GenericStatus, number>;
  const byType: Record<string, number> = {};
  for (const r of rows) {
    byStatus[r.status] += Number(r.n);
    byType[r.type] = (byType[r.type] ?? 0) + Number(r.n);
  }
  return { byStatus, byType, total: Object.values(byType).reduce((a, b) => a + b, 0) };
}

export async function findDemand(db: Executor, id: string): Promise<DemandSummary | null> {
  const row = await db.selectFrom('demands').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toSummary(row) : null;
}

export interface TimelineEntry {
  id: string;
  kind: 'created' | 'status' | 'message' | 'document' | 'notification';
  at: string;
  data: Record<string, unknown>;
  message?: {
    body: string;
    authorKind: 'citizen' | 'agent';
    authorName: string | null;
    files: { id: string; name: string; mime: string }[];
  };
}

/**
 * A demand's timeline, oldest first: status changes, messages with their attachments, documents.
 * Residents see public entries only; agents see all.
 */
export async function demandTimeline(db: Executor, demandId: string, audience: 'citizen' | 'agent'): Promise<TimelineEntry[]> {
  let events = db.selectFrom('demand_events').select(['id', 'kind', 'data', 'at']).where('demand_id', '=', demandId);
  if (audience === 'citizen') events = events.where('public', '=', 1);
  const rows = await events.orderBy('at').orderBy('id').execute();
  const messages = await db
    .selectFrom('demand_messages as m')
    .leftJoin('accounts as a', 'a.id', 'm.author_id')
    .select(['m.id', 'm.body', 'm.author_kind', 'a.display_name'])
    .where('m.demand_id', '=', demandId)
    .execute();
  const files = messages.length
    ? await db
        .selectFrom('files')
        .select(['id', 'original_name', 'mime', 'owner'])
        .where(
          'owner',
          'in',
          messages.map((m) => `demands:message:${m.id}`),
        )
        .execute()
    : [];
  const byId = new Map(messages.map((m) => [m.id, m]));
  return rows.map((r) => {
    const data = fromJson<Record<string, unknown>>(r.data, {});
    const entry: TimelineEntry = { id: r.id, kind: r.kind, at: r.at, data };
    const m = r.kind === 'message' ? byId.get(String(data.messageId)) : undefined;
    if (m) {
      entry.message = {
        body: m.body,
        authorKind: m.author_kind,
        // Residents see "the city's services", not which agent answered.
        authorName: audience === 'agent' || m.author_kind === 'citizen' ? (m.display_name ?? null) : null,
        files: files.filter((f) => f.owner === `demands:message:${m.id}`).map((f) => ({ id: f.id, name: f.original_name, mime: f.mime })),
      };
    }
    return entry;
  });
}

/** Which demands an agent may see: per demand type, the units where they hold its permission. */
export type DemandScopes = { type: string; scopes: string[] | 'all' }[];

function visibleTo(access: DemandScopes) {
  return (eb: ExpressionBuilder<Tables, 'demands'>) =>
    eb.or(
      access.map((a) =>
        a.scopes === 'all'
          ? eb('type', '=', a.type)
          : eb.and([eb('type', '=', a.type), eb.or(a.scopes.map((p) => eb('unit_path', 'like', `${p}%`)))]),
      ),
    );
}

/** Demands in the agent's units with messages from residents nobody has read. */
export async function unreadInbox(db: Executor, access: DemandScopes, limit = 50): Promise<DemandSummary[]> {
  const visible = access.filter((a) => a.scopes === 'all' || a.scopes.length > 0);
  if (visible.length === 0) return [];
  const rows = await db
    .selectFrom('demands')
    .select(COLUMNS)
    .where('unread_for_agents', '>', 0)
    .where(visibleTo(visible))
    .orderBy('updated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toSummary);
}
