import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { StandaloneCommand } from '../../../kernel/modules.js';
import { Fraction } from '../rules/fraction.js';
import { RULES, runRule } from '../rules/run-rule.js';
import { DEFAULT_TIE_BREAKING, type TieBreaking } from '../rules/tie-breaking.js';
import { PabulibParseError } from './errors.js';
import { parsePabulib } from './parse.js';
import { electionFromPabulib } from './to-election.js';
import type { PabulibFile } from './types.js';

const USAGE = `Usage: civitas budget results FILE.pb [--rule RULE] [--tie-breaking id|cost-votes-id]

Reads a Pabulib file (pabulib.org) and prints the winners as JSON:
  {"rule": RULE, "selected": [project ids, in selection order], "cost": total cost}
RULE is the file's own META "rule" unless --rule names another: ${RULES.join(', ')}.
A greedy rule applies the file's min_project_score_threshold, if any.

Ties (equal votes, or equal effective votes under Equal Shares) are broken:
  id             by project id (numeric ids by value) — as pabutools, Pabulib's reference
                 implementation, does by default; this reproduces the files' recorded winners (default)
  cost-votes-id  the cheaper project, then the one on more ballots, then by project id — the
                 order Civitas publishes for its own campaigns
Money is exact (rational arithmetic); a cost that is not whole is printed as "numerator/denominator".
A malformed file is refused with its line number and exit status 2.`;

const TIE_BREAKINGS: Record<string, TieBreaking> = {
  id: { criteria: [], lot: 'id-order' },
  'cost-votes-id': DEFAULT_TIE_BREAKING,
};

/** Whole amounts as JSON numbers (what Pabulib files hold), others exact as "n/d". */
function amount(value: Fraction): number | string {
  return value.den === 1n && Number.isSafeInteger(Number(value.num)) ? Number(value.num) : value.toString();
}

/** The file parsed; what goes wrong names the file (and the line, for a malformed one). */
async function readPabulib(path: string): Promise<PabulibFile> {
  const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  try {
    return parsePabulib(bytes);
  } catch (err) {
    throw err instanceof PabulibParseError ? new Error(`${path}, ${err.message}`) : err;
  }
}

/** `civitas budget results FILE.pb`: a real election's winners by a published rule, from its Pabulib file. */
export const budgetCommand: StandaloneCommand = {
  summary: 'compute the winners of a Pabulib (.pb) file by its rule (participatory budget)',
  usage: USAGE,
  standalone: true,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'results') throw new Error(`usage:\n${USAGE}`);
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { rule: { type: 'string' }, 'tie-breaking': { type: 'string', default: 'id' } },
    });
    if (positionals.length !== 1) throw new Error(`give exactly one Pabulib file.\n\n${USAGE}`);
    const tieBreaking = TIE_BREAKINGS[values['tie-breaking'] ?? 'id'];
    if (!tieBreaking) throw new Error(`--tie-breaking must be one of: ${Object.keys(TIE_BREAKINGS).join(', ')}.`);
    const { election, rule: fileRule, threshold } = electionFromPabulib(await readPabulib(positionals[0] as string));
    const rule = values.rule ?? fileRule;
    const outcome = runRule(rule, election, { threshold, tieBreaking });
    const costs = new Map(election.projects.map((p) => [p.id, p.cost]));
    const cost = outcome.selected.reduce((sum, id) => sum.add(costs.get(id) as Fraction), Fraction.fromNumber(0));
    io.out(`${JSON.stringify({ rule, selected: outcome.selected, cost: amount(cost) })}\n`);
  },
};
