import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { seededRandom } from '../../../src/kernel/seeded-random.js';
import type { Ballot, Election } from '../../../src/modules/participatory-budget/rules/election.js';
import { Fraction } from '../../../src/modules/participatory-budget/rules/fraction.js';

/**
 * The four real elections of shared/data/pabulib, copied byte for byte into fixtures/ so that the
 * suite runs on a fresh clone (source: github.com/pabulib/pabulib_files, pb_files/, commit 88cfaba).
 */
export const REAL_FILES = {
  assen: 'Netherlands_Assen_2024.pb',
  warszawa: 'Poland_Warszawa_2017_Nadwisle.pb',
  lodz: 'Poland_Lodz_2020_Nr_33.pb',
  gdynia: 'Poland_Gdynia_2020_Babie_Doly__small.pb',
} as const;

export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

export function fixtureText(name: string): string {
  return fixtureBytes(name).toString('utf8');
}

/**
 * Small elections where ties are frequent (few distinct costs, few voters): 1–7 projects with ids
 * that mix numeric and other ids, costs 1–12 (some with cents), 0–24 approval ballots.
 */
export const electionArb: fc.Arbitrary<Election> = fc
  .uniqueArray(fc.oneof(fc.integer({ min: 1, max: 30 }).map(String), fc.constantFrom('A', 'B', 'b', 'W01', 'x-2')), {
    minLength: 1,
    maxLength: 7,
  })
  .chain((ids) =>
    fc
      .record({
        budget: fc.oneof(
          fc.integer({ min: 0, max: 40 }),
          fc.integer({ min: 0, max: 4000 }).map((c) => c / 100),
        ),
        costs: fc.array(
          fc.oneof(
            fc.integer({ min: 1, max: 12 }),
            fc.integer({ min: 1, max: 1200 }).map((c) => c / 100),
          ),
          { minLength: ids.length, maxLength: ids.length },
        ),
        ballots: fc.array(fc.subarray(ids), { maxLength: 24 }),
      })
      .map(({ budget, costs, ballots }) => ({
        budget: Fraction.fromNumber(budget),
        projects: ids.map((id, i) => ({ id, cost: Fraction.fromNumber(costs[i]!) })),
        ballots: ballots.map((projects) => ({ projects })),
      })),
  );

/** Cumulative (points) ballots over the same kind of elections. */
export const pointsElectionArb: fc.Arbitrary<Election> = electionArb.chain((e) =>
  fc
    .tuple(
      ...e.ballots.map((b) => fc.array(fc.integer({ min: 1, max: 5 }), { minLength: b.projects.length, maxLength: b.projects.length })),
    )
    .map((points) => ({ ...e, ballots: e.ballots.map((b, i): Ballot => ({ projects: b.projects, points: points[i] ?? [] })) })),
);

/** The same election with projects, ballots and each ballot's projects in another order. */
export function shuffled(election: Election, seed: number): Election {
  const random = seededRandom(seed);
  return {
    budget: election.budget,
    projects: shuffle(election.projects, random),
    ballots: shuffle(election.ballots, random).map((b) => ({ projects: shuffle(b.projects, random) })),
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
