// Participatory budget winners on a synthetic Paris-sized vote (issue #6): each rule computes all 21
// envelopes of bench/lib/synthetic-vote.mjs (200,000 voters, 300 projects); targets: greedy < 1 s,
// equalshares/add1 < 60 s.
//
// The rules are plain functions over ballots in memory (no database), so the figures do not depend
// on the engine: run.mjs runs this once, after the engines, in a child process of its own
// (`node --expose-gc bench/participatory-budget.mjs <result.json>`) so that its peak memory is the
// computation's alone. The child writes its figures as JSON; `participatoryBudgetSection` turns
// them into the report.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runRule } from '../dist/modules/participatory-budget/rules/run-rule.js';
import { memoryOf, runNode } from './lib/processes.mjs';
import { fmt } from './lib/report.mjs';
import { PARIS_SIZED, syntheticParisVote } from './lib/synthetic-vote.mjs';

/** The name BENCH_ONLY selects it by. */
export const PARTICIPATORY_BUDGET = 'participatory budget rules';

const RULES = [
  { rule: 'greedy', targetMs: 1_000 },
  { rule: 'greedy-no-skip' },
  { rule: 'equalshares' },
  { rule: 'equalshares/add1', targetMs: 60_000 },
  { rule: 'equalshares/add1-comparison' },
];

/** Resets VmHWM to the current RSS (Linux ≥ 4.0), so that each rule's peak is its own; false if it cannot. */
function resetPeak() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function measure() {
  const started = performance.now();
  const vote = syntheticParisVote(PARIS_SIZED);
  const generatedMs = performance.now() - started;
  const rules = RULES.map(({ rule, targetMs }) => {
    // Garbage of the generator or of the previous rule is not this rule's to collect.
    globalThis.gc?.();
    const before = memoryOf(process.pid);
    const peakReset = resetPeak();
    const envelopes = vote.envelopes.map(({ code, election }) => {
      const t = performance.now();
      const out = runRule(rule, election);
      const ms = performance.now() - t;
      const steps = out.completion?.steps.length ?? out.equalShares?.completion?.steps.length;
      return { code, ms, funded: out.selected.length, spent: spentOf(election, out.selected), steps };
    });
    return { rule, targetMs, ms: envelopes.reduce((s, e) => s + e.ms, 0), envelopes, before, after: memoryOf(process.pid), peakReset };
  });
  return {
    ...PARIS_SIZED,
    approvals: vote.approvals,
    budget: vote.envelopes.reduce((s, e) => s + e.amount, 0),
    envelopes: vote.envelopes.length,
    generatedMs,
    rules,
  };
}

function spentOf(election, selected) {
  const funded = new Set(selected);
  return election.projects.filter((p) => funded.has(p.id)).reduce((s, p) => s + p.cost.toNumber(), 0);
}

/** Runs the measurement in a child process → { lines, missed } for RESULTS.md. */
export async function participatoryBudgetSection({ root, log }) {
  log(`${PARTICIPATORY_BUDGET}: synthetic Paris-sized vote, every rule over all envelopes (a few minutes)`);
  const dir = mkdtempSync(join(os.tmpdir(), 'civitas-bench-pb-'));
  let result;
  try {
    const file = join(dir, 'result.json');
    await runNode(['--expose-gc', fileURLToPath(import.meta.url), file], { cwd: root, env: process.env, label: PARTICIPATORY_BUDGET });
    result = JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const missed = [];
  const rows = result.rules.map((r) => {
    const met = r.targetMs === undefined ? '—' : r.ms < r.targetMs ? 'yes' : '**MISSED**';
    if (met !== 'yes' && met !== '—') missed.push(`${PARTICIPATORY_BUDGET}: ${r.rule} ${fmt(r.ms)} ms ≥ ${fmt(r.targetMs)} ms`);
    const [city, ...districts] = r.envelopes;
    const slowest = districts.reduce((a, b) => (b.ms > a.ms ? b : a));
    const steps =
      city.steps === undefined ? '' : ` (${fmt(r.envelopes.reduce((s, e) => s + e.steps, 0))} add1 steps, ${fmt(city.steps)} Paris-wide)`;
    log(`${PARTICIPATORY_BUDGET}: ${r.rule}: ${fmt(r.ms)} ms ${met}${steps}`);
    const peak = r.peakReset ? fmt(r.after?.peakMb) : `${fmt(r.after?.peakMb)} (process)`;
    return `| ${[
      r.rule + steps,
      `**${fmt(r.ms)}**`,
      fmt(city.ms),
      `${fmt(slowest.ms)} (${slowest.code})`,
      r.targetMs === undefined ? '—' : `< ${fmt(r.targetMs)} ms`,
      met,
      fmt(r.envelopes.reduce((s, e) => s + e.funded, 0)),
      `€${fmt(r.envelopes.reduce((s, e) => s + e.spent, 0) / 1e6, 1)}M`,
      `${peak} (${fmt(r.before?.rssMb)} before)`,
    ].join(' | ')} |`;
  });
  const lines = [
    `## Participatory budget rules (issue #6)`,
    '',
    `Synthetic Paris-sized vote (bench/lib/synthetic-vote.mjs, seed ${result.seed}): ${fmt(result.voters)} voters, ${fmt(result.projects)} projects in ${result.envelopes} envelopes (€${fmt(result.budget / 1e6)}M, the demo campaign's), ${fmt(result.approvals)} approvals (${fmt(result.approvals / result.voters, 2)} per voter), generated in ${fmt(result.generatedMs)} ms. Engine-independent (the rules count ballots in memory), so computed once, in a child process, each rule over all envelopes after a full GC; peak RSS: VmHWM reset before the rule, with the RSS before it (the ballots) in brackets.`,
    '',
    '| rule | all envelopes ms | Paris-wide ms | slowest arrondissement ms | target | met? | funded | spent | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...rows,
  ];
  return { lines, missed };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(process.argv[2], JSON.stringify(measure()));
}
