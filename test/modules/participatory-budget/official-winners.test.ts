import { describe, expect, it } from 'vitest';
import { parsePabulib } from '../../../src/modules/participatory-budget/pabulib/parse.js';
import { electionFromPabulib } from '../../../src/modules/participatory-budget/pabulib/to-election.js';
import type { PabulibFile } from '../../../src/modules/participatory-budget/pabulib/types.js';
import type { Add1Outcome } from '../../../src/modules/participatory-budget/rules/add1.js';
import { type GreedyOutcome, greedyInput, runGreedy } from '../../../src/modules/participatory-budget/rules/greedy.js';
import { runRule } from '../../../src/modules/participatory-budget/rules/run-rule.js';
import { fixtureText, REAL_FILES } from './support.js';

/** The winners each real file records (selected=1), in file order. */
function officialWinners(file: PabulibFile): string[] {
  return file.projects.filter((p) => p.selected === 1).map((p) => p.project_id);
}

function load(name: string) {
  const file = parsePabulib(fixtureText(name));
  return { file, ...electionFromPabulib(file) };
}

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('real elections: the rule named in META reproduces the official winners', () => {
  it('Warszawa 2017 (Nadwiśle), greedy: all five projects, exactly the budget', () => {
    const { file, election, rule } = load(REAL_FILES.warszawa);
    expect(rule).toBe('greedy');
    const out = runRule(rule, election) as GreedyOutcome;
    expect(out.selected).toEqual(officialWinners(file));
    expect(out.moneyLeft.isZero()).toBe(true);
  });

  it('Łódź 2020 (Nr 33), greedy-threshold 50: skips W121NR (too dear) and ignores W068NR (21 votes) though it fits', () => {
    const { file, election, rule, threshold } = load(REAL_FILES.lodz);
    expect([rule, threshold]).toEqual(['greedy-threshold', 50]);
    const out = runRule(rule, election, { threshold }) as GreedyOutcome;
    expect(out.selected).toEqual(officialWinners(file));
    const decisions = Object.fromEntries(out.steps.map((s) => [s.projectId, s.decision]));
    expect(decisions).toEqual({ W008NR: 'funded', W014NR: 'funded', W121NR: 'does-not-fit', W127NR: 'funded', W068NR: 'below-threshold' });
    // Without the threshold, plain greedy would also fund W068NR: the threshold is what decides.
    expect(runGreedy('greedy', greedyInput(election)).selected).toContain('W068NR');
  });

  it('Gdynia 2020 (Babie Doły, small), greedy-no-skip: the tie at 101 votes is resolved by the lot, not by cost', () => {
    const { file, election, rule, threshold } = load(REAL_FILES.gdynia);
    expect(rule).toBe('greedy-no-skip');
    // Projects 1 (10,000 PLN) and 5 (9,200 PLN) both have 101 votes. The file marks 1 selected=1 and
    // 5 selected=2, a special case outside the rule (the file has no comment; pabulib's later Gdynia
    // files explain selected=2 as an extra project funded by the city outside the envelope, its
    // "Projekt +1"). So the city ordered 1 before 5: a lot in id order, with no cost criterion.
    expect(file.projects.find((p) => p.project_id === '5')?.selected).toBe(2);
    const byLot = runRule(rule, election, { threshold, tieBreaking: { criteria: [], lot: 'id-order' } }) as GreedyOutcome;
    expect(byLot.selected).toEqual(officialWinners(file));
    expect(byLot.steps.map((s) => [s.projectId, s.decision])).toEqual([
      ['4', 'funded'],
      ['2', 'funded'],
      ['1', 'funded'],
      ['5', 'does-not-fit'],
      ['3', 'after-stop'],
    ]);
    expect(byLot.steps.find((s) => s.projectId === '1')?.tiedWith).toEqual(['5']);
    // The published lot drawn the other way, or the design's default (cheaper first), funds 5 instead.
    const byCost = runRule(rule, election, { threshold }) as GreedyOutcome;
    expect(byCost.selected).toEqual(['4', '2', '5']);
    const otherLot = runRule(rule, election, { threshold, tieBreaking: { criteria: [], lot: ['5', '1'] } }) as GreedyOutcome;
    expect(otherLot.selected).toEqual(['4', '2', '5']);
  });

  it('Assen 2024, equalshares/add1 (cost utilities): the nine official winners, well within seconds', () => {
    const { file, election, rule } = load(REAL_FILES.assen);
    expect(rule).toBe('equalshares/add1');
    const started = performance.now();
    const out = runRule(rule, election) as Add1Outcome;
    const elapsed = performance.now() - started;
    expect(sorted(out.selected)).toEqual(sorted(officialWinners(file)));
    expect(out.selected).toEqual(['3', '9', '2', '11', '13', '14', '5', '6', '12']);
    expect(out.cost.toString()).toBe('76700');
    expect(out.completion.stop).toBe('overspends');
    // The kept per-voter budget (2,033 € instead of 100,000 / 84 = 1,190.48 €) is the last before overspending.
    expect(out.perVoterBudget.toString()).toBe('2033');
    expect(out.completion.steps.at(-1)!.kept).toBe(false);
    expect(out.completion.steps.at(-1)!.cost.gt(out.electionBudget)).toBe(true);
    expect(out.rounds.map((r) => r.projectId)).toEqual(out.selected);
    expect(elapsed).toBeLessThan(5000);
    // The file tells the rules apart: greedy and MES without completion give other outcomes.
    expect(runRule('greedy', election).selected).toEqual(['3', '9', '8', '2', '11', '13', '14']);
    expect(runRule('equalshares', election).selected).toEqual(['3', '9', '2', '13', '11', '14', '12']);
  });

  it('each file’s votes column matches the count of its VOTES section', () => {
    for (const name of Object.values(REAL_FILES)) {
      const { file } = load(name);
      const counted = new Map<string, number>();
      for (const v of file.votes) for (const id of v.vote) counted.set(id, (counted.get(id) ?? 0) + 1);
      for (const p of file.projects) expect([name, p.project_id, counted.get(p.project_id) ?? 0]).toEqual([name, p.project_id, p.votes]);
    }
  });
});
