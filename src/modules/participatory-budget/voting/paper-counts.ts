import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso } from '../../../kernel/db/values.js';
import { HttpError } from '../../../kernel/http/errors.js';
import type { AgentActor } from '../../../kernel/identity/agents/acting.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { parseBallotRules } from '../ballots/rules.js';
import { readRows } from '../pabulib/csv.js';
import { PabulibParseError } from '../pabulib/errors.js';
import { campaignOpenForVote } from './open-vote.js';
import { assertMayEnterPaper } from './paper-access.js';

/** Columns of a counts file (`;`-separated, as French spreadsheets save CSV); `grade` for majority-judgement envelopes only. */
export const COUNT_COLUMNS = ['ballot_box', 'project', 'count'] as const;

export type CountProblemCode =
  | 'unreadable'
  | 'header'
  | 'columns'
  | 'ballot-box-missing'
  | 'unknown-project'
  | 'invalid-count'
  | 'negative-count'
  | 'grade-missing'
  | 'grade-unknown'
  | 'grade-not-expected'
  | 'duplicate'
  | 'empty';

export interface CountProblem {
  line: number;
  code: CountProblemCode;
  /** The offending value, for the message. */
  value?: string;
}

/** A counts file refused: every problem with its line, nothing imported. */
export class InvalidCounts extends HttpError {
  constructor(readonly problems: CountProblem[]) {
    super(
      400,
      'participatory-budget.invalid-counts',
      `The counts file has ${problems.length} problem(s): ${problems.map((p) => `line ${p.line}: ${p.code}${p.value ? ` (${p.value})` : ''}`).join('; ')}.`,
      problems.map((p) => ({ field: `line-${p.line}`, message: p.code })),
    );
  }
}

interface CountRow {
  envelopeId: string;
  envelopeCode: string;
  projectId: string;
  ballotBox: string;
  grade: string;
  count: number;
}

/**
 * Imports a ballot box's per-project counts of paper ballots (Decidim's way): every row is checked
 * first — project on the campaign's ballot, whole count ≥ 0, the grade a majority-judgement
 * envelope needs and only there, no line twice — and any problem refuses the whole file with each
 * problem and its line, nothing changed. A ballot box imported again replaces its counts, so a
 * corrected file can be sent again. Returns the rows imported.
 */
export async function importPaperCounts(
  trx: Trx,
  kernel: Kernel,
  input: { actor: AgentActor; ip?: string | null; campaignCode: string; text: string; now: Date },
): Promise<{ rows: number; ballotBoxes: string[] }> {
  const campaign = await campaignOpenForVote(trx, input.campaignCode, input.now);
  const projects = await trx
    .selectFrom('pb_projects as p')
    .innerJoin('pb_envelopes as e', 'e.id', 'p.envelope_id')
    .select(['p.id', 'p.code', 'e.id as envelope_id', 'e.code as envelope_code', 'e.ballot_rules'])
    .where('p.campaign_id', '=', campaign.id)
    .where('p.status', '=', 'ballot')
    .execute();
  const byCode = new Map(projects.map((p) => [p.code, p]));
  const grades = new Map(projects.map((p) => [p.envelope_id, gradesOf(p.ballot_rules)]));

  const { rows, problems } = parseCounts(input.text, (code) => byCode.get(code), grades);
  if (problems.length) throw new InvalidCounts(problems);
  for (const envelopeCode of new Set(rows.map((r) => r.envelopeCode))) await assertMayEnterPaper(trx, kernel, input.actor, envelopeCode);

  const at = nowIso();
  const boxes = [...new Set(rows.map((r) => r.ballotBox))];
  const envelopes = [...new Set(rows.map((r) => r.envelopeId))];
  await trx.deleteFrom('pb_paper_counts').where('envelope_id', 'in', envelopes).where('ballot_box', 'in', boxes).execute();
  await trx
    .insertInto('pb_paper_counts')
    .values(
      rows.map((r) => ({
        id: newId(),
        envelope_id: r.envelopeId,
        project_id: r.projectId,
        ballot_box: r.ballotBox,
        grade: r.grade,
        count: r.count,
        imported_by: input.actor.account.id,
        imported_at: at,
      })),
    )
    .execute();
  await audit(trx, {
    actor: input.actor,
    action: 'participatory-budget.paper-counts.import',
    resourceType: 'pb-campaign',
    resourceId: campaign.id,
    ip: input.ip ?? null,
    details: { campaign: campaign.code, ballotBoxes: boxes, rows: rows.length },
  });
  return { rows: rows.length, ballotBoxes: boxes };
}

/** The grades of a majority-judgement envelope's rules; null for the other ballot types. */
function gradesOf(rulesJson: string): ReadonlySet<string> | null {
  const rules = parseBallotRules(JSON.parse(rulesJson));
  return rules.type === 'majority-judgement' ? new Set(rules.grades) : null;
}

function parseCounts(
  text: string,
  project: (code: string) => { id: string; envelope_id: string; envelope_code: string } | undefined,
  grades: ReadonlyMap<string, ReadonlySet<string> | null>,
): { rows: CountRow[]; problems: CountProblem[] } {
  let lines: ReturnType<typeof readRows>;
  try {
    lines = readRows(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    if (err instanceof PabulibParseError) return { rows: [], problems: [{ line: err.line, code: 'unreadable' }] };
    throw err;
  }
  const [header, ...data] = lines;
  if (!header) return { rows: [], problems: [{ line: 1, code: 'empty' }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const column = (name: string) => names.indexOf(name);
  if (COUNT_COLUMNS.some((c) => column(c) < 0))
    return { rows: [], problems: [{ line: header.line, code: 'header', value: header.fields.join(';') }] };
  const problems: CountProblem[] = [];
  const rows: CountRow[] = [];
  const seen = new Set<string>();
  for (const { fields, line } of data) {
    if (fields.length !== names.length) {
      problems.push({ line, code: 'columns', value: String(fields.length) });
      continue;
    }
    const [ballotBox, code, countText] = COUNT_COLUMNS.map((c) => fields[column(c)]!.trim()) as [string, string, string];
    const grade = column('grade') >= 0 ? fields[column('grade')]!.trim() : '';
    const before = problems.length;
    if (!ballotBox) problems.push({ line, code: 'ballot-box-missing' });
    const found = project(code);
    if (!found) problems.push({ line, code: 'unknown-project', value: code });
    if (/^-\d+$/.test(countText)) problems.push({ line, code: 'negative-count', value: countText });
    else if (!/^\d+$/.test(countText) || !Number.isSafeInteger(Number(countText)))
      problems.push({ line, code: 'invalid-count', value: countText });
    const scale = found ? grades.get(found.envelope_id) : undefined;
    if (scale && !grade) problems.push({ line, code: 'grade-missing' });
    else if (scale && !scale.has(grade)) problems.push({ line, code: 'grade-unknown', value: grade });
    else if (scale === null && grade) problems.push({ line, code: 'grade-not-expected', value: grade });
    const key = JSON.stringify([ballotBox, code, grade]);
    if (seen.has(key)) problems.push({ line, code: 'duplicate', value: code });
    seen.add(key);
    if (problems.length === before && found) {
      rows.push({
        envelopeId: found.envelope_id,
        envelopeCode: found.envelope_code,
        projectId: found.id,
        ballotBox,
        grade,
        count: Number(countText),
      });
    }
  }
  if (!data.length) problems.push({ line: header.line + 1, code: 'empty' });
  return { rows, problems };
}
