import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../../../kernel/kernel.js';
import { voteApiRoutes } from './api.js';
import { paperRoutes } from './paper.js';
import { receiptRoutes } from './receipt.js';
import { voteRoutes } from './vote.js';

/** The vote's pages: the residents' ballots, the public receipt check, the ballot boxes' back office, the apps' JSON API. */
export async function votingRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  await voteRoutes(app, kernel);
  await receiptRoutes(app, kernel);
  await paperRoutes(app, kernel);
  await voteApiRoutes(app, kernel);
}
