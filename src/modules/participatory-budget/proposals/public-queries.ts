import type { Executor } from '../../../kernel/db/transaction.js';

/** What the public list filters on: an envelope ("city" or a district), a theme, published or merged. */
export interface PublicFilters {
  envelope?: string;
  theme?: string;
  status?: 'published' | 'merged';
}

export interface PublicProposal {
  id: string;
  reference: string;
  title: string;
  envelope_code: string;
  theme_code: string;
  cost: number;
  lat: number | null;
  lng: number | null;
  status: string;
  supports: number;
  project_code: string | null;
  created_at: string;
}

/** The most a page lists: a campaign has a few thousand proposals (Paris 2016: 3,200); filters narrow them. */
export const PUBLIC_LIMIT = 500;

/**
 * A campaign's public proposals — published, or merged into a project (then with its code) — most
 * supported first; submitted and removed ones are their authors' and the moderators' only.
 */
export async function publicProposals(db: Executor, campaignId: string, filters: PublicFilters): Promise<PublicProposal[]> {
  let query = db
    .selectFrom('pb_proposals as p')
    .leftJoin('pb_projects as j', 'j.id', 'p.project_id')
    .select([
      'p.id',
      'p.reference',
      'p.title',
      'p.envelope_code',
      'p.theme_code',
      'p.cost',
      'p.lat',
      'p.lng',
      'p.status',
      'p.supports',
      'p.created_at',
      'j.code as project_code',
    ])
    .where('p.campaign_id', '=', campaignId)
    .where('p.status', 'in', filters.status ? [filters.status] : ['published', 'merged']);
  if (filters.envelope) query = query.where('p.envelope_code', '=', filters.envelope);
  if (filters.theme) query = query.where('p.theme_code', '=', filters.theme);
  const rows = await query.orderBy('p.supports', 'desc').orderBy('p.created_at', 'desc').limit(PUBLIC_LIMIT).execute();
  return rows.map((r) => ({ ...r, cost: Number(r.cost) }));
}

/** The files (images) attached to a proposal, in the order they were uploaded. */
export async function proposalImages(db: Executor, owner: string): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom('files')
    .select(['id', 'original_name'])
    .where('owner', '=', owner)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.original_name }));
}
