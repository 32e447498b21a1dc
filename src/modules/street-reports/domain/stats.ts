import { sql } from 'kysely';
import type { Engine } from '../../../kernel/db/database.js';
import type { Executor } from '../../../kernel/db/transaction.js';
import type { Actor } from '../../../kernel/identity/authorization.js';
import type { CategoryTree } from './categories.js';
import { type QueueFilter, scopedReports } from './queue.js';

export interface Count {
  key: string;
  count: number;
}

export interface DashboardFigures {
  total: number;
  byState: Count[];
  /** By top-level category. */
  byCategory: Count[];
  byDistrict: Count[];
  /** By month of creation ("2026-03"), oldest first. */
  byMonth: Count[];
  /** Median of closed_at − created_at over the closed reports, in seconds; null when none is closed. */
  medianResolutionSeconds: number | null;
  closed: number;
}

function counts(rows: { key: string | null; n: number | string }[]): Count[] {
  return rows.map((r) => ({ key: r.key ?? '', count: Number(r.n) })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/**
 * The median time to resolution, computed by the database: `percentile_cont` on PostgreSQL; on
 * SQLite (no ordered-set aggregates) the middle one or two durations found with window functions.
 */
async function medianResolution(db: Executor, engine: Engine, actor: Actor, categories: CategoryTree, filter: QueueFilter) {
  const closed = scopedReports(db, actor, categories, filter).where('closed_at', 'is not', null);
  if (engine === 'postgres') {
    const row = await closed
      .select([
        sql<
          number | null
        >`percentile_cont(0.5) within group (order by extract(epoch from (closed_at::timestamptz - created_at::timestamptz)))`.as('median'),
        sql<number>`count(*)`.as('n'),
      ])
      .executeTakeFirstOrThrow();
    return { median: row.median === null ? null : Number(row.median), n: Number(row.n) };
  }
  const durations = closed.select(sql<number>`(julianday(closed_at) - julianday(created_at)) * 86400.0`.as('d'));
  const ranked = db
    .selectFrom(durations.as('durations'))
    .select(['d', sql<number>`row_number() over (order by d)`.as('rn'), sql<number>`count(*) over ()`.as('c')]);
  const row = await db
    .selectFrom(ranked.as('ranked'))
    .select([sql<number | null>`avg(d)`.as('median'), sql<number | null>`max(c)`.as('n')])
    .where(sql<boolean>`rn in ((c + 1) / 2, (c + 2) / 2)`)
    .executeTakeFirstOrThrow();
  return { median: row.median === null ? null : Number(row.median), n: Number(row.n ?? 0) };
}

/** The dashboard's figures over the reports of the actor's units matching the filter, all counted in SQL. */
export async function dashboardFigures(
  db: Executor,
  engine: Engine,
  actor: Actor,
  categories: CategoryTree,
  filter: QueueFilter,
): Promise<DashboardFigures> {
  const base = () => scopedReports(db, actor, categories, filter);
  const n = sql<number>`count(*)`.as('n');
  const [byState, byLeaf, byDistrict, byMonth, median] = await Promise.all([
    base().select(['state as key', n]).groupBy('state').execute(),
    base().select(['category as key', n]).groupBy('category').execute(),
    base().select(['district as key', n]).groupBy('district').execute(),
    base()
      .select([sql<string>`substr(created_at, 1, 7)`.as('key'), n])
      .groupBy(sql`substr(created_at, 1, 7)`)
      .execute(),
    medianResolution(db, engine, actor, categories, filter),
  ]);
  // Leaves fold into their top-level category here: at most a few hundred groups came back.
  const roots = new Map<string, number>();
  for (const row of byLeaf) {
    const node = categories.byCode.get(row.key);
    const root = node ? (node.parents[0] ?? node.code) : row.key;
    roots.set(root, (roots.get(root) ?? 0) + Number(row.n));
  }
  return {
    total: byState.reduce((sum, r) => sum + Number(r.n), 0),
    byState: counts(byState),
    byCategory: counts([...roots].map(([key, count]) => ({ key, n: count }))),
    byDistrict: counts(byDistrict).sort((a, b) => a.key.localeCompare(b.key, 'fr', { numeric: true })),
    byMonth: counts(byMonth).sort((a, b) => a.key.localeCompare(b.key)),
    medianResolutionSeconds: median.median,
    closed: median.n,
  };
}
