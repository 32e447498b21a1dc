import type { Migration } from '../../../kernel/db/migrator.js';

/**
 * A voter's ballots by voter: the count of their confirmed ballots at each confirmation (their
 * dashboard entry), the check that their district may still change and their ballots' statuses
 * read them by `voter_id` alone, which the (envelope, voter) constraint cannot serve — without
 * this index each of those reads scans every ballot of every campaign (200,000 in a Paris vote).
 */
export const ballotsByVoterMigration: Migration = {
  async up(db) {
    await db.schema.createIndex('pb_ballots_voter').on('pb_ballots').columns(['voter_id', 'status']).execute();
  },
};
