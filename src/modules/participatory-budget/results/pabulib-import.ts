import { createHash } from 'node:crypto';
import type { Trx } from '../../../kernel/db/transaction.js';
import { fromJson, newId, nowIso, nowMs, toJson } from '../../../kernel/db/values.js';
import { HttpError } from '../../../kernel/http/errors.js';
import type { Translate } from '../../../kernel/i18n/i18n.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { parseBallotRules } from '../ballots/rules.js';
import type { CampaignActing } from '../campaigns/access.js';
import { loadCampaign, lockCampaign } from '../campaigns/store.js';
import { assertMayPublishResults } from './access.js';
import { resultsError } from './errors.js';
import { type ImportPlan, type ImportProblem, type ImportRefusalCode, planPabulibImport } from './pabulib-import-plan.js';
import { campaignHasPublishedResults } from './read.js';

/**
 * Loads a Pabulib file (pabulib.org) into one envelope of a campaign — a past edition, or ballots
 * counted elsewhere — so that its results are computed, corrected and published by the platform's
 * own rules like any other envelope's. The file's projects become the envelope's ballot projects
 * (code = prefix + project id, lowercased), its votes anonymous confirmed ballots (channel
 * "import", one voter row each with no account: no voter id, age or sex of the file is kept).
 * Permission `participatory-budget.results` in the city's root unit: the import decides what the
 * results are computed from, as publishing them does.
 */

export interface PabulibUpload {
  fileName: string;
  bytes: Uint8Array;
  /** Put before each project id to make its code; '' keeps the ids. */
  codePrefix?: string;
}

export interface PabulibImportSummary {
  envelope: string;
  projects: number;
  ballots: number;
  /** The rule the file recorded, and the envelope's, which computes the results: an agent should know when they differ. */
  fileRule: string;
  envelopeRule: string;
  scoreThreshold: number | null;
}

/** A refused file, with every problem found (lines, values) for the page to show in the agent's language. */
export class PabulibImportError extends HttpError {
  constructor(
    code: ImportRefusalCode,
    readonly problems: ImportProblem[],
    english: Translate,
  ) {
    const texts = problems.map((p) => describeImportProblem(english, p));
    super(
      code === 'pabulib-invalid' ? 400 : 409,
      `participatory-budget.${code}`,
      `The Pabulib file was refused and nothing was imported: ${texts.join(' ')}`,
      problems.map((p, i) => ({ field: p.line ? `line.${p.line}` : 'file', message: texts[i]! })),
    );
  }
}

/** One problem as a sentence: "Line 12: …", with a ballot's own problem spelt out. */
export function describeImportProblem(t: Translate, p: ImportProblem): string {
  const detail = p.ballot
    ? t(`participatory-budget.ballot.${p.ballot.code}`, { ...p.ballot.params, project: p.ballot.projectId ?? '' })
    : '';
  const text = t(`participatory-budget.pabulib-import.problem.${p.key}`, { ...p.params, detail });
  return p.line ? t('participatory-budget.pabulib-import.line', { line: p.line, problem: text }) : text;
}

/** Rows per INSERT: well under both engines' limits on bound parameters. */
const CHUNK = 500;

/**
 * Imports `upload` into the envelope `envelopeCode`, in the caller's transaction: every check first
 * (access; the campaign's row taken so a concurrent import or freeze waits; results not published;
 * the vote not under way; the envelope empty; then the whole file), then every write. A refusal
 * leaves the database as it was.
 */
export async function importPabulibEnvelope(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  campaignCode: string,
  envelopeCode: string,
  upload: PabulibUpload,
  options: { now?: Date } = {},
): Promise<PabulibImportSummary> {
  await assertMayPublishResults(trx, kernel, acting);
  if (!(await lockCampaign(trx, campaignCode))) {
    throw resultsError('campaign-unknown', `There is no participatory-budget campaign "${campaignCode}".`);
  }
  const campaign = (await loadCampaign(trx, campaignCode))!;
  const envelope = await trx
    .selectFrom('pb_envelopes')
    .selectAll()
    .where('campaign_id', '=', campaign.id)
    .where('code', '=', envelopeCode)
    .executeTakeFirst();
  if (!envelope) throw resultsError('envelope-unknown', `The campaign "${campaignCode}" has no envelope "${envelopeCode}".`);
  await assertImportable(trx, campaign, envelope.id, options.now ?? new Date(nowMs()));

  const taken = await trx
    .selectFrom('pb_projects as p')
    .innerJoin('pb_envelopes as e', 'e.id', 'p.envelope_id')
    .select(['p.code', 'e.code as envelope'])
    .where('p.campaign_id', '=', campaign.id)
    .execute();
  const planned = planPabulibImport(upload.bytes, {
    amount: Number(envelope.amount),
    rules: parseBallotRules(fromJson(envelope.ballot_rules, {})),
    themes: campaign.themes.map((t) => t.code),
    takenCodes: new Map(taken.map((p) => [p.code, p.envelope])),
    codePrefix: (upload.codePrefix ?? '').trim(),
  });
  if ('refusal' in planned) throw new PabulibImportError(planned.refusal.code, planned.refusal.problems, kernel.i18n.translator('en'));

  const actorId = acting.actor.kind === 'system' ? acting.actor.label : acting.actor.account.id;
  await writePlan(trx, planned.plan, { campaignId: campaign.id, envelopeId: envelope.id, envelopeCode, actorId, acting });
  const meta = planned.plan.file.meta;
  const summary: PabulibImportSummary = {
    envelope: envelopeCode,
    projects: planned.plan.projects.length,
    ballots: planned.plan.ballots.length,
    fileRule: meta.rule,
    envelopeRule: envelope.winner_rule,
    scoreThreshold: meta.min_project_score_threshold ?? null,
  };
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  await trx
    .insertInto('pb_pabulib_imports')
    .values({
      envelope_id: envelope.id,
      campaign_id: campaign.id,
      file_name: upload.fileName,
      file_sha256: sha256,
      description: [meta.description, meta.unit, meta.instance].filter(Boolean).join(' — '),
      file_rule: meta.rule,
      vote_type: meta.vote_type,
      score_threshold: summary.scoreThreshold,
      projects: summary.projects,
      ballots: summary.ballots,
      imported_by: actorId,
      imported_at: nowIso(),
    })
    .execute();
  // A result computed before the import counted an empty envelope: it would only mislead until recomputed.
  await trx.deleteFrom('pb_results').where('envelope_id', '=', envelope.id).where('published_at', 'is', null).execute();
  await audit(trx, {
    actor: acting.actor,
    ip: acting.ip ?? null,
    action: 'participatory-budget.results.pabulib-import',
    resourceType: 'participatory-budget:envelope',
    resourceId: `${campaign.code}/${envelopeCode}`,
    details: { file: upload.fileName, sha256, ...summary },
  });
  return summary;
}

/** The import's conditions on the campaign and the envelope, each refused with what to do. */
async function assertImportable(
  trx: Trx,
  campaign: { id: string; phases: { phase: string; startsAt: string; endsAt: string | null }[] },
  envelopeId: string,
  now: Date,
) {
  if (await campaignHasPublishedResults(trx, campaign.id))
    throw resultsError('results-published', 'The results of this campaign are published: they are final, nothing can be imported.');
  const vote = campaign.phases.find((p) => p.phase === 'vote');
  const t = now.getTime();
  if (vote && Date.parse(vote.startsAt) <= t && (vote.endsAt === null || t < Date.parse(vote.endsAt))) {
    throw resultsError(
      'vote-open',
      'The vote of this campaign is under way: import a file before it opens or once it has closed, so that ballots cast here do not mix with the file’s.',
    );
  }
  const projects = await trx.selectFrom('pb_projects').select('id').where('envelope_id', '=', envelopeId).executeTakeFirst();
  const ballots = await trx.selectFrom('pb_ballots').select('id').where('envelope_id', '=', envelopeId).executeTakeFirst();
  const paper = await trx.selectFrom('pb_paper_counts').select('id').where('envelope_id', '=', envelopeId).executeTakeFirst();
  if (projects || ballots || paper) {
    throw resultsError(
      'envelope-not-empty',
      'This envelope already has projects, ballots or paper counts: a Pabulib file can only be imported into an empty envelope.',
    );
  }
}

interface WriteTarget {
  campaignId: string;
  envelopeId: string;
  envelopeCode: string;
  actorId: string;
  acting: CampaignActing;
}

/** The envelope's projects on the ballot, then per ballot a voter without an account, the ballot confirmed, its history entry. */
async function writePlan(trx: Trx, plan: ImportPlan, target: WriteTarget): Promise<void> {
  const at = nowIso();
  const projects = plan.projects.map((p, position) => ({
    id: newId(),
    campaign_id: target.campaignId,
    envelope_id: target.envelopeId,
    code: p.code,
    title_fr: p.title,
    title_en: p.title,
    description_fr: p.description,
    description_en: p.description,
    theme_code: p.theme,
    cost: p.cost,
    lat: p.lat,
    lng: p.lng,
    reserved_code: null,
    status: 'ballot',
    study_explanation: null,
    execution_months: null,
    position,
    created_at: at,
    updated_at: at,
  }));
  for (const chunk of chunks(projects)) await trx.insertInto('pb_projects').values(chunk).execute();
  // A district envelope's voters chose that district (turnout by district counts them there); the city's chose none known.
  const district = target.envelopeCode === 'city' ? null : target.envelopeCode;
  const actorKind = target.acting.actor.kind === 'system' ? 'system' : 'agent';
  for (const chunk of chunks(plan.ballots)) {
    const rows = chunk.map((ballot) => ({ voterId: newId(), ballotId: newId(), choices: toJson(ballot) }));
    await trx
      .insertInto('pb_voters')
      .values(
        rows.map((r) => ({
          id: r.voterId,
          campaign_id: target.campaignId,
          account_id: null,
          district_code: district,
          person_key: null,
          residence_stated_at: null,
          demand_id: null,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
    await trx
      .insertInto('pb_ballots')
      .values(
        rows.map((r) => ({
          id: r.ballotId,
          envelope_id: target.envelopeId,
          voter_id: r.voterId,
          choices: r.choices,
          status: 'confirmed',
          channel: 'import',
          receipt_salt: null,
          receipt_code: null,
          confirmed_at: at,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
    await trx
      .insertInto('pb_ballot_history')
      .values(
        rows.map((r) => ({
          id: newId(),
          ballot_id: r.ballotId,
          action: 'import',
          actor_kind: actorKind,
          actor_id: target.actorId,
          choices: r.choices,
          at,
        })),
      )
      .execute();
  }
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}
