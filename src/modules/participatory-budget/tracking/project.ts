import type { Executor } from '../../../kernel/db/transaction.js';
import type { Localized } from '../../../kernel/i18n/types.js';
import type { TrackingStatus } from './statuses.js';

/** A tracked project as every write and page needs it: the project, its envelope and campaign, where its execution stands. */
export interface TrackedProject {
  id: string;
  code: string;
  campaignCode: string;
  title: Localized;
  description: Localized;
  /** "city" or a district code. */
  envelopeCode: string;
  envelopeLabel: Localized;
  cost: number;
  lat: number | null;
  lng: number | null;
  status: TrackingStatus;
  progress: number;
  abandonReason: string | null;
  startedAt: string;
  updatedAt: string;
}

function trackedQuery(db: Executor) {
  return db
    .selectFrom('pb_tracked_projects as t')
    .innerJoin('pb_projects as p', 'p.id', 't.project_id')
    .innerJoin('pb_envelopes as e', 'e.id', 'p.envelope_id')
    .innerJoin('pb_campaigns as c', 'c.id', 'p.campaign_id')
    .select([
      'p.id',
      'p.code',
      'c.code as campaign_code',
      'p.title_fr',
      'p.title_en',
      'p.description_fr',
      'p.description_en',
      'e.code as envelope_code',
      'e.label_fr',
      'e.label_en',
      'p.cost',
      'p.lat',
      'p.lng',
      't.status',
      't.progress',
      't.abandon_reason',
      't.started_at',
      't.updated_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof trackedQuery>['executeTakeFirstOrThrow']>>;

function toTracked(r: Row): TrackedProject {
  return {
    id: r.id,
    code: r.code,
    campaignCode: r.campaign_code,
    title: { fr: r.title_fr, en: r.title_en },
    description: { fr: r.description_fr, en: r.description_en },
    envelopeCode: r.envelope_code,
    envelopeLabel: { fr: r.label_fr, en: r.label_en },
    cost: Number(r.cost),
    lat: r.lat,
    lng: r.lng,
    status: r.status as TrackingStatus,
    progress: Number(r.progress),
    abandonReason: r.abandon_reason,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
  };
}

/** A tracked project by its id; undefined when there is no such project or it is not tracked. */
export async function trackedById(db: Executor, projectId: string): Promise<TrackedProject | undefined> {
  const row = await trackedQuery(db).where('p.id', '=', projectId).executeTakeFirst();
  return row && toTracked(row);
}

/** A tracked project by the codes of its public address (/budget/<campaign>/realisations/<code>). */
export async function trackedByCode(db: Executor, campaignCode: string, code: string): Promise<TrackedProject | undefined> {
  const row = await trackedQuery(db).where('c.code', '=', campaignCode).where('p.code', '=', code).executeTakeFirst();
  return row && toTracked(row);
}

/** The tracked projects of a campaign in ballot order (the city-wide envelope's first), optionally of one envelope or status. */
export async function listTracked(
  db: Executor,
  campaignCode: string,
  filters: { envelope?: string; status?: TrackingStatus } = {},
): Promise<TrackedProject[]> {
  let query = trackedQuery(db).where('c.code', '=', campaignCode);
  if (filters.envelope) query = query.where('e.code', '=', filters.envelope);
  if (filters.status) query = query.where('t.status', '=', filters.status);
  return (await query.orderBy('e.position').orderBy('p.position').orderBy('p.code').execute()).map(toTracked);
}
