import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inTransaction } from '../../../../kernel/db/transaction.js';
import { nowMs } from '../../../../kernel/db/values.js';
import type { Kernel } from '../../../../kernel/kernel.js';
import type { VoterBallot } from '../../ballots/validate.js';
import { saveBallot } from '../ballots.js';
import { castBallot } from '../cast.js';
import { chooseDistrict } from '../voters.js';

const CODE = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,59}$' } as const;
const PROJECT = { type: 'string', minLength: 1, maxLength: 60 } as const;
const LIST = { type: 'array', maxItems: 1000 } as const;

/** A ballot as JSON, one shape per ballot type (what ballots/validate.ts calls a VoterBallot). */
const ballotSchema = {
  oneOf: [
    {
      type: 'object',
      required: ['type', 'projects'],
      additionalProperties: false,
      properties: { type: { enum: ['approval', 'knapsack'] }, projects: { ...LIST, items: PROJECT } },
    },
    {
      type: 'object',
      required: ['type', 'points'],
      additionalProperties: false,
      properties: {
        type: { const: 'cumulative' },
        points: {
          ...LIST,
          items: {
            type: 'object',
            required: ['projectId', 'points'],
            additionalProperties: false,
            properties: { projectId: PROJECT, points: { type: 'integer' } },
          },
        },
      },
    },
    {
      type: 'object',
      required: ['type', 'grades'],
      additionalProperties: false,
      properties: {
        type: { const: 'majority-judgement' },
        grades: {
          ...LIST,
          items: {
            type: 'object',
            required: ['projectId', 'grade'],
            additionalProperties: false,
            properties: { projectId: PROJECT, grade: { type: 'string', maxLength: 40 } },
          },
        },
      },
    },
  ],
} as const;

const accountOf = (request: FastifyRequest) => (request.actor as { account: { id: string } }).account.id;

/**
 * The vote for apps, in JSON (no CSRF token: a cross-site form cannot send JSON): choose a district,
 * then save a ballot and, with `confirm`, confirm it in the same transaction — the whole vote in one
 * request. Refusals are problem+json with the vote's codes.
 */
export async function voteApiRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  const params = { type: 'object', required: ['campaign'], properties: { campaign: CODE } } as const;

  app.post<{ Params: { campaign: string }; Body: { district: string; residenceStated?: boolean } }>(
    '/api/v1/participatory-budget/:campaign/district',
    {
      config: { auth: 'citizen' },
      schema: {
        params,
        body: {
          type: 'object',
          required: ['district'],
          additionalProperties: false,
          properties: { district: CODE, residenceStated: { type: 'boolean' } },
        },
      },
    },
    async (request) => {
      const voter = await inTransaction(kernel.db, (trx) =>
        chooseDistrict(trx, kernel, {
          campaignCode: request.params.campaign,
          accountId: accountOf(request),
          district: request.body.district,
          residenceStated: request.body.residenceStated === true,
          now: new Date(nowMs()),
        }),
      );
      return { district: voter.districtCode };
    },
  );

  app.post<{ Params: { campaign: string }; Body: { envelope: string; ballot: VoterBallot; confirm?: boolean } }>(
    '/api/v1/participatory-budget/:campaign/ballots',
    {
      config: { auth: 'citizen' },
      schema: {
        params,
        body: {
          type: 'object',
          required: ['envelope', 'ballot'],
          additionalProperties: false,
          properties: { envelope: CODE, ballot: ballotSchema, confirm: { type: 'boolean' } },
        },
      },
    },
    async (request, reply) => {
      const input = {
        campaignCode: request.params.campaign,
        accountId: accountOf(request),
        envelopeCode: request.body.envelope,
        now: new Date(nowMs()),
      };
      const ballot = { ...input, ballot: request.body.ballot };
      const answer = await inTransaction(kernel.db, async (trx) => {
        if (!request.body.confirm) return saveBallot(trx, ballot).then(() => ({ status: 'draft' as const }));
        const receipt = await castBallot(trx, kernel, ballot);
        return { status: 'confirmed' as const, receiptCode: receipt.code, confirmedAt: receipt.confirmedAt };
      });
      return reply.status(201).send(answer);
    },
  );
}
