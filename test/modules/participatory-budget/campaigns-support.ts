import { expect } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import { HttpError } from '../../../src/kernel/http/errors.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import type { CampaignActing } from '../../../src/modules/participatory-budget/campaigns/access.js';
import { createCampaign } from '../../../src/modules/participatory-budget/campaigns/create.js';
import type { CampaignDefinitionInput } from '../../../src/modules/participatory-budget/campaigns/definition.js';
import { createTestApp } from '../../support/app.js';

/** Paris with the participatory budget enabled (no city enables it yet: tests do, through overrides). */
export function startWithParticipatoryBudget(options: { demo?: boolean } = {}) {
  return createTestApp({ demo: options.demo, overrides: { modules: ['pages', 'participatory-budget'] } });
}

export const SYSTEM: CampaignActing = { actor: { kind: 'system', label: 'test' } };

/** "Today" in these tests: the proposals of the test campaign are open. */
export const NOW = new Date('2026-11-27T10:00:00Z');
export const VOTE_OPENS = '2027-09-01T08:00:00.000Z';

/** A valid campaign for Paris; each test spoils one part of a copy. */
export function goodDefinition(): CampaignDefinitionInput {
  const envelope = (code: string, amount: number, label: string) => ({
    code,
    label: { fr: label, en: label },
    amount,
    ballotRules: { type: 'approval' as const, maxProjects: 4 },
    winnerRule: 'greedy',
  });
  return {
    code: 'essai-2027',
    title: { fr: 'Budget participatif 2027', en: 'Participatory budget 2027' },
    phases: [
      // Given in Paris time: stored in UTC.
      { phase: 'proposals', startsAt: '2026-11-01T00:00:00+01:00', endsAt: '2027-01-01T00:00:00+01:00' },
      { phase: 'study', startsAt: '2027-01-01T00:00:00+01:00', endsAt: '2027-06-01T00:00:00+02:00' },
      { phase: 'vote', startsAt: '2027-09-01T10:00:00+02:00', endsAt: '2027-09-22T00:00:00+02:00' },
      { phase: 'results', startsAt: '2027-09-22T00:00:00+02:00', endsAt: '2027-10-01T00:00:00+02:00' },
      { phase: 'execution', startsAt: '2027-10-01T00:00:00+02:00' },
    ],
    envelopes: [
      {
        ...envelope('75111', 5_000_000, '11e arrondissement'),
        reserved: [
          { code: 'quartiers-populaires', label: { fr: 'Quartiers populaires', en: 'Working-class neighbourhoods' }, amount: 2_000_000 },
        ],
      },
      { ...envelope('city', 30_000_000, 'Tout Paris'), reserved: [] },
      envelope('75118', 4_500_000, '18e arrondissement'),
    ],
    themes: [
      { code: 'sport', label: { fr: 'Sport', en: 'Sport' } },
      { code: 'environnement', label: { fr: 'Environnement', en: 'Environment' } },
    ],
  };
}

export function create(kernel: Kernel, definition: unknown, options: { now?: Date; acting?: CampaignActing } = {}) {
  return inTransaction(kernel.db, (trx) => createCampaign(trx, kernel, options.acting ?? SYSTEM, definition, { now: options.now ?? NOW }));
}

/** Awaits a refusal and returns it, checking it is the kernel's HttpError with this code. */
export async function refusal(promise: Promise<unknown>, code: string): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a refusal ${code}`).toBeInstanceOf(HttpError);
  expect((error as HttpError).code, (error as Error).message).toBe(code);
  return error as HttpError;
}

/** A value settled from outside: holds a transaction open until the test lets it commit. */
export function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
