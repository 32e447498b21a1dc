import type { FastifyRequest } from 'fastify';
import type { Kernel } from '../../../kernel/kernel.js';
import { campaignError } from '../campaigns/errors.js';
import { type Campaign, loadCampaign } from '../campaigns/store.js';
import { trackingError } from './errors.js';
import { type TrackedProject, trackedByCode } from './project.js';

const CODE = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } as const;
export const campaignParams = { type: 'object', required: ['campaign'], properties: { campaign: CODE } } as const;
export const projectParams = { type: 'object', required: ['campaign', 'code'], properties: { campaign: CODE, code: CODE } } as const;
export const query = (names: string[]) => ({
  type: 'object',
  properties: Object.fromEntries([...names, 'lang'].map((n) => [n, { type: 'string', maxLength: 100 }])),
});

export type ProjectRequest = FastifyRequest<{ Params: { campaign: string; code: string } }>;

/** A campaign the public may see (not one still being prepared), or 404. */
export async function visibleCampaign(kernel: Kernel, code: string): Promise<Campaign> {
  const campaign = await loadCampaign(kernel.db, code);
  if (!campaign || campaign.status === 'draft') throw campaignError('campaign-unknown', 'This campaign does not exist.');
  return campaign;
}

/** The tracked project of a page's address, or 404. */
export async function projectOf(kernel: Kernel, request: ProjectRequest): Promise<TrackedProject> {
  const project = await trackedByCode(kernel.db, request.params.campaign, request.params.code);
  if (!project) throw trackingError('not-tracked', 'This project is not a tracked result.');
  return project;
}
