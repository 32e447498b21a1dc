import type { PersonalDataHandler } from '../../../kernel/modules.js';

/**
 * What the proposals hold of a resident: the proposals they wrote or co-signed and the ones they
 * supported. A proposal is a public contribution: erasing the account keeps it (and its "+1"s, which
 * are counted on it) under the anonymous tombstone the kernel leaves, so nothing here is deleted.
 */
export const proposalsPersonalData: PersonalDataHandler = {
  async export(kernel, accountId) {
    const db = kernel.db;
    const proposals = await db
      .selectFrom('pb_proposals')
      .select(['reference', 'title', 'description', 'cost', 'theme_code', 'envelope_code', 'address', 'lat', 'lng', 'status', 'created_at'])
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute();
    const coauthored = await db
      .selectFrom('pb_proposal_coauthors as c')
      .innerJoin('pb_proposals as p', 'p.id', 'c.proposal_id')
      .select(['p.reference', 'p.title'])
      .where('c.account_id', '=', accountId)
      .execute();
    const supported = await db
      .selectFrom('pb_supports as s')
      .innerJoin('pb_proposals as p', 'p.id', 's.proposal_id')
      .select(['p.reference', 'p.title', 's.created_at'])
      .where('s.account_id', '=', accountId)
      .execute();
    return { proposals, coauthoredProposals: coauthored, supportedProposals: supported };
  },
  async erase() {},
};
