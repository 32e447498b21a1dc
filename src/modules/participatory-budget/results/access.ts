import type { Executor } from '../../../kernel/db/transaction.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { type CampaignActing, mayActForCity } from '../campaigns/access.js';
import { resultsError } from './errors.js';

/** Compute, correct (with a public reason) and publish a campaign's results. */
export const RESULTS_PERMISSION = 'participatory-budget.results';

/** Results are the whole city's: the permission is needed in the city's root unit, as for configuring the campaign. */
export async function assertMayPublishResults(db: Executor, kernel: Kernel, acting: CampaignActing): Promise<void> {
  if (!(await mayActForCity(db, kernel, acting, RESULTS_PERMISSION))) {
    throw resultsError('forbidden', `Computing or correcting results needs the permission "${RESULTS_PERMISSION}" for the whole city.`);
  }
}
