import type { PersonalDataHandler } from '../../../kernel/modules.js';
import { followedBy } from './follow.js';

/**
 * What execution tracking holds of a resident: the projects they follow. Exported with their data;
 * deleted with their account (a follow is no public contribution: nothing to keep without the name).
 */
export const trackingPersonalData: PersonalDataHandler = {
  async export(kernel, accountId) {
    return { followedProjects: await followedBy(kernel.db, accountId) };
  },
  async erase(trx, accountId) {
    await trx.deleteFrom('pb_tracking_followers').where('account_id', '=', accountId).execute();
  },
};
