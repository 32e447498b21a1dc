import { EVALUATE_PERMISSION, MODERATE_PERMISSION, PROJECTS_PERMISSION } from '../../proposals/access.js';
import { RESULTS_PERMISSION } from '../../results/access.js';
import { TRACK_PERMISSION } from '../../tracking/access.js';
import { PAPER_PERMISSION } from '../../voting/paper-access.js';
import { MANAGE_PERMISSION } from '../access.js';
import type { CampaignPage } from './views/campaigns-list.js';

/** Who works on each page of a campaign (in some unit; the pages narrow to the agent's envelopes). */
export const PAGE_PERMISSIONS: Record<Exclude<CampaignPage, 'settings'>, string[]> = {
  proposals: [MODERATE_PERMISSION, PROJECTS_PERMISSION],
  projects: [PROJECTS_PERMISSION, EVALUATE_PERMISSION],
  paper: [PAPER_PERMISSION],
  results: [RESULTS_PERMISSION],
  realisations: [TRACK_PERMISSION],
};

/**
 * Who sees the campaigns' list (and its menu entry): whoever works on one of its pages, such as a
 * ballot box's agents or a town hall's works follow-up, not only those who configure campaigns.
 */
export const CAMPAIGNS_LIST_PERMISSIONS: readonly string[] = [...new Set([MANAGE_PERMISSION, ...Object.values(PAGE_PERMISSIONS).flat()])];
