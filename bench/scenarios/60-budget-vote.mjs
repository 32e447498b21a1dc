// Issue #6: residents casting and confirming participatory-budget ballots, signed in. Each request
// is one ballot saved and confirmed (`POST /api/v1/participatory-budget/:campaign/ballots` with
// `confirm`), by the next of many residents, each with their own session. The module must be
// enabled in the bench's Civitas: run with CIVITAS_MODULES listing it (see bench/README.md).
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { bootKernel } from '../../dist/kernel/boot.js';
import { loadConfig } from '../../dist/kernel/config/load.js';
import { inTransaction } from '../../dist/kernel/db/transaction.js';
import { hashToken } from '../../dist/kernel/identity/tokens.js';
import { catalogue } from '../../dist/modules/catalogue.js';
import { createCampaign } from '../../dist/modules/participatory-budget/campaigns/create.js';
import { demoCampaignDefinition } from '../../dist/modules/participatory-budget/campaigns/demo.js';
import { openDatabase } from '../lib/db.mjs';

const MODULE = 'participatory-budget';
const CAMPAIGN = 'bench-vote';
/** Residents signed in, each casting two ballots (Paris-wide and in their district): more than a run uses. */
const VOTERS = 30_000;
const PROJECTS_PER_ENVELOPE = 10;
/** The goal: 200,000 ballots in under 10 minutes. */
const GOAL = { ballots: 200_000, seconds: 600 };
const DAY_MS = 86_400_000;
const DURATION = Number(process.env.BENCH_DURATION || 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/**
 * The demo campaign's shape (€100M, Paris-wide and 20 arrondissements, approval of up to 4
 * projects), dated so that its vote opened today, with its projects on the ballot: through the
 * module's own `createCampaign`, on a kernel booted against the bench's database.
 */
async function seedCampaign(ctx) {
  const loaded = loadConfig({ env: ctx.env });
  const booted = await bootKernel({ loaded, catalogue, log: pino({ level: 'warn' }), migrate: false });
  const { kernel } = booted;
  try {
    const day = (n) => new Date(Date.now() + n * DAY_MS).toISOString();
    const definition = {
      ...demoCampaignDefinition(kernel, new Date()),
      code: CAMPAIGN,
      // Its own dates, whatever the demo's: the vote opened yesterday.
      phases: [
        { phase: 'proposals', startsAt: day(-200), endsAt: day(-150) },
        { phase: 'study', startsAt: day(-150), endsAt: day(-1) },
        { phase: 'vote', startsAt: day(-1), endsAt: day(20) },
        { phase: 'results', startsAt: day(20) },
      ],
    };
    const campaign = await inTransaction(kernel.db, (trx) =>
      createCampaign(trx, kernel, { actor: { kind: 'system', label: 'bench' } }, definition),
    );
    const envelopes = await kernel.db
      .selectFrom('pb_envelopes')
      .select(['id', 'code', 'amount'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    const at = new Date().toISOString();
    const projects = envelopes.flatMap((e) =>
      Array.from({ length: PROJECTS_PER_ENVELOPE }, (_, i) => ({
        id: `${Date.now().toString(16).padStart(12, '0')}${randomBytes(8).toString('hex')}`,
        campaign_id: campaign.id,
        envelope_id: e.id,
        code: `${e.code}-${String(i + 1).padStart(3, '0')}`,
        title_fr: `Projet ${i + 1}`,
        title_en: `Project ${i + 1}`,
        description_fr: '',
        description_en: '',
        theme_code: null,
        cost: Math.floor(Number(e.amount) / 8),
        lat: null,
        lng: null,
        reserved_code: null,
        status: 'ballot',
        study_explanation: null,
        execution_months: 12,
        position: i,
        created_at: at,
        updated_at: at,
      })),
    );
    await kernel.db.insertInto('pb_projects').values(projects).execute();
    return { campaignId: campaign.id, districts: envelopes.filter((e) => e.code !== 'city').map((e) => e.code) };
  } finally {
    await booted.close();
  }
}

/** Residents with a session each and their district chosen, in bulk. Returns their session tokens and districts. */
async function seedVoters(ctx, { campaignId, districts }) {
  const db = await openDatabase(ctx);
  const now = new Date();
  const at = now.toISOString();
  const expires = new Date(now.getTime() + 11 * 3600_000).toISOString();
  const stamp = now.getTime().toString(16).padStart(12, '0');
  const voters = Array.from({ length: VOTERS }, (_, i) => ({
    accountId: `${stamp}${randomBytes(8).toString('hex')}`,
    voterId: `${stamp}${randomBytes(8).toString('hex')}`,
    token: randomBytes(32).toString('base64url'),
    district: districts[i % districts.length],
    email: `bench-voter-${i}@example.org`,
  }));
  try {
    await db.insertRows(
      'accounts',
      [
        ['id', 'text'],
        ['kind', 'text'],
        ['email', 'text'],
        ['display_name', 'text'],
        ['email_verified_at', 'text'],
        ['created_at', 'text'],
        ['updated_at', 'text'],
      ],
      voters.map((v) => [v.accountId, 'citizen', v.email, v.email, at, at, at]),
    );
    await db.insertRows(
      'sessions',
      [
        ['id', 'text'],
        ['account_id', 'text'],
        ['created_at', 'text'],
        ['last_seen_at', 'text'],
        ['expires_at', 'text'],
        ['ip', 'text'],
        ['user_agent', 'text'],
        ['mfa_passed', 'int'],
        ['method', 'text'],
      ],
      voters.map((v) => [hashToken(v.token), v.accountId, at, at, expires, '127.0.0.1', 'bench', 0, 'password']),
    );
    await db.insertRows(
      'pb_voters',
      [
        ['id', 'text'],
        ['campaign_id', 'text'],
        ['account_id', 'text'],
        ['district_code', 'text'],
        ['created_at', 'text'],
        ['updated_at', 'text'],
      ],
      voters.map((v) => [v.voterId, campaignId, v.accountId, v.district, at, at]),
    );
    await db.settle?.(['accounts', 'sessions', 'pb_voters']);
  } finally {
    await db.close();
  }
  return voters;
}

/** Up to 4 of the envelope's 10 projects, varied with the voter. */
const ballotOf = (envelope, n) => ({
  type: 'approval',
  projects: Array.from(
    { length: 1 + (n % 4) },
    (_, i) => `${envelope}-${String(((n + i * 3) % PROJECTS_PER_ENVELOPE) + 1).padStart(3, '0')}`,
  ),
});

const vote = {
  name: 'budget ballot cast + confirm (signed in)',
  method: 'POST',
  path: `/api/v1/participatory-budget/${CAMPAIGN}/ballots`,
  async setup(ctx) {
    const enabled = await ctx.fetch('/budget/receipt');
    if (enabled.status !== 200)
      throw new Error(`bench: the ${MODULE} module is not enabled: run with CIVITAS_MODULES=pages,street-reports,procedures,${MODULE}`);
    const started = performance.now();
    const campaign = await seedCampaign(ctx);
    const voters = await seedVoters(ctx, campaign);
    ctx.note(
      `budget vote: ${fmt(voters.length)} residents signed in, ${campaign.districts.length + 1} envelopes × ${PROJECTS_PER_ENVELOPE} projects, seeded in ${fmt((performance.now() - started) / 1000)} s`,
    );
    const since = new Date().toISOString();
    const state = { next: 0, answered: 0, refused: 0, codes: {} };
    /** Request k: voter ⌊k/2⌋, in the city's envelope then in their district's. */
    const request = (k) => {
      const voter = voters[Math.floor(k / 2) % voters.length];
      const envelope = k % 2 === 0 ? 'city' : voter.district;
      return {
        headers: { 'content-type': 'application/json', cookie: `civitas_session=${voter.token}` },
        body: JSON.stringify({ envelope, ballot: ballotOf(envelope, k), confirm: true }),
      };
    };
    const probe = request(voters.length * 2 - 1);
    state.next = 0;
    return {
      ...probe,
      requests: [
        {
          method: 'POST',
          setupRequest(req) {
            return { ...req, ...request(state.next++) };
          },
          onResponse(status) {
            if (status === 201) state.answered++;
            else {
              state.refused++;
              state.codes[status] = (state.codes[status] ?? 0) + 1;
            }
          },
        },
      ],
      async check(ctx) {
        const db = await openDatabase(ctx);
        try {
          const [row] = await db.all("select count(*) as n from pb_ballots where status = 'confirmed' and confirmed_at >= ?", [since]);
          // Every confirmed ballot with exactly one confirmation in its history.
          const [unrecorded] = await db.all(
            "select count(*) as n from pb_ballots b where b.status = 'confirmed' and b.confirmed_at >= ? and (select count(*) from pb_ballot_history h where h.ballot_id = b.id and h.action = 'confirm') <> 1",
            [since],
          );
          const counted = Number(row.n);
          // Answers of the warm-up and the measured slices (as bench/run.mjs times them), not those cut off
          // by the end of a slice (confirmed, never answered to autocannon), nor the bare slices' time.
          const perSecond = state.answered / (DURATION + WARMUP);
          const goalSeconds = GOAL.ballots / perSecond;
          const statuses = Object.entries(state.codes)
            .map(([k, n]) => `${k}: ${fmt(n)}`)
            .join(', ');
          const consistent = counted >= state.answered && Number(unrecorded.n) === 0;
          return {
            ok: consistent && state.refused === 0 && goalSeconds <= GOAL.seconds,
            note:
              `${fmt(state.answered)} ballots answered 201, ${fmt(state.refused)} refused (${statuses || 'none'}) → ${fmt(counted)} confirmed, ${fmt(Number(unrecorded.n))} without their history entry; ` +
              `${fmt(perSecond)} ballots/s: ${fmt(GOAL.ballots)} ballots in ${fmt(goalSeconds / 60)} min (goal < ${GOAL.seconds / 60} min)` +
              (consistent ? '' : ' — MISMATCH'),
          };
        } finally {
          await db.close();
        }
      },
    };
  },
};

export default [vote];
