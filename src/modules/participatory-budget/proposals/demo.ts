import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso } from '../../../kernel/db/values.js';
import type { District } from '../../../kernel/geo/districts.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { seededRandom } from '../../../kernel/seeded-random.js';
import type { CampaignActing } from '../campaigns/access.js';
import { CITY_ENVELOPE } from '../campaigns/definition.js';
import { loadCampaign } from '../campaigns/store.js';
import { putOnBallot } from '../projects/ballot.js';
import { createProjectFromProposals } from '../projects/merge.js';
import { recordEvaluation } from '../projects/study.js';
import { moderateProposal } from './moderate.js';
import { submitProposal } from './submit.js';
import { supportProposal } from './supports.js';

const DEMO: CampaignActing = { actor: { kind: 'system', label: 'demo' } };
const DAY = 86_400_000;

/** Residents who write the demo's proposals (besides the demo resident): accounts without a password, so nobody signs in as them. */
const AUTHORS = [
  ['ines.garcia', 'Inès Garcia'],
  ['thomas.nguyen', 'Thomas Nguyen'],
  ['amina.traore', 'Amina Traoré'],
  ['lucas.bernard', 'Lucas Bernard'],
  ['chloe.moreau', 'Chloé Moreau'],
  ['karim.haddad', 'Karim Haddad'],
] as const;

/** Ideas in the spirit of Paris's past winners (titles, theme, a cost range in euros). */
const IDEAS: { fr: string; en: string; theme: string; cost: [number, number] }[] = [
  { fr: 'Végétaliser la cour de l’école', en: 'Green the school playground', theme: 'environnement', cost: [80_000, 250_000] },
  { fr: 'Des jardins partagés dans les squares', en: 'Shared gardens in the squares', theme: 'cadre-de-vie', cost: [30_000, 120_000] },
  { fr: 'Rénover le terrain multisport', en: 'Renovate the multi-sport pitch', theme: 'sport', cost: [150_000, 400_000] },
  { fr: 'Une bibliothèque de rue et des bancs', en: 'A street library and benches', theme: 'culture-patrimoine', cost: [15_000, 60_000] },
  { fr: 'Des abris pour vélos sécurisés', en: 'Secure bicycle shelters', theme: 'mobilites', cost: [60_000, 200_000] },
  {
    fr: 'Un lieu d’accueil de jour pour les personnes sans abri',
    en: 'A day centre for homeless people',
    theme: 'solidarites',
    cost: [200_000, 600_000],
  },
  { fr: 'Éclairer le passage sous le pont', en: 'Light the underpass', theme: 'prevention-securite', cost: [40_000, 150_000] },
  { fr: 'Des fontaines à boire dans le quartier', en: 'Drinking fountains in the neighbourhood', theme: 'sante', cost: [25_000, 90_000] },
  {
    fr: 'Des ateliers numériques pour les jeunes',
    en: 'Digital workshops for young people',
    theme: 'education-jeunesse',
    cost: [50_000, 180_000],
  },
  { fr: 'Plus de corbeilles de tri dans les rues', en: 'More recycling bins in the streets', theme: 'proprete', cost: [20_000, 80_000] },
];

async function demoAuthors(trx: Trx): Promise<string[]> {
  const ids: string[] = [];
  const resident = await trx.selectFrom('accounts').select('id').where('email', '=', 'camille.martin@example.org').executeTakeFirst();
  if (resident) ids.push(resident.id);
  for (const [login, name] of AUTHORS) {
    const email = `${login}@example.org`;
    const found = await trx.selectFrom('accounts').select('id').where('email', '=', email).where('kind', '=', 'citizen').executeTakeFirst();
    if (found) {
      ids.push(found.id);
      continue;
    }
    const id = newId();
    const now = nowIso();
    await trx
      .insertInto('accounts')
      .values({
        id,
        kind: 'citizen',
        email,
        password_hash: null,
        display_name: name,
        email_verified_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    ids.push(id);
  }
  return ids;
}

/** A point near the middle of a district (the mean of its outline's vertices, nudged), or null when that falls outside it. */
function pointIn(kernel: Kernel, district: District, pick: () => number): { lat: number; lng: number } | null {
  const ring = district.polygons[0]?.[0] ?? [];
  if (!ring.length) return null;
  const lng = ring.reduce((sum, p) => sum + p[0]!, 0) / ring.length + (pick() - 0.5) * 0.004;
  const lat = ring.reduce((sum, p) => sum + p[1]!, 0) / ring.length + (pick() - 0.5) * 0.003;
  return kernel.districts.locate([lng, lat])?.code === district.code ? { lat, lng } : null;
}

export interface ProposalsDemoOptions {
  /**
   * "proposals": the campaign's proposals are open now — some waiting for moderation, most published
   * and supported. "ballot": the whole path before a vote — proposals published, merged into projects,
   * studied, and in every envelope at least one feasible project on the ballot (some not feasible).
   */
  stage: 'proposals' | 'ballot';
  /** Seed of the choices (ideas, costs, supports), so the demo is the same on every machine. */
  seed?: number;
}

/**
 * The demo's proposals and projects for one campaign (its code), in the caller's transaction,
 * through the domain functions as the system "demo". For "ballot", the campaign's vote must not
 * have opened yet when this runs (create it with `createCampaign(…, { now })` before its vote, seed
 * this, then `freezeOpenedVotes`), since the ballot is refused once envelopes are frozen; the steps
 * are dated inside the campaign's own phases. Returns the codes of the projects put on the ballot.
 */
export async function seedProposalsDemo(trx: Trx, kernel: Kernel, campaignCode: string, options: ProposalsDemoOptions): Promise<string[]> {
  const campaign = await loadCampaign(trx, campaignCode);
  if (!campaign) throw new Error(`seedProposalsDemo: no campaign "${campaignCode}".`);
  const phase = (code: string) => campaign.phases.find((p) => p.phase === code);
  const proposalsOpen = phase('proposals');
  if (!proposalsOpen) throw new Error(`seedProposalsDemo: campaign "${campaignCode}" has no proposals phase.`);
  const proposalsAt = options.stage === 'proposals' ? new Date() : new Date(Date.parse(proposalsOpen.startsAt) + DAY);
  const studyAt = new Date(Date.parse(phase('vote')!.startsAt) - DAY);
  const pick = seededRandom(options.seed ?? 2027);
  const authors = await demoAuthors(trx);
  const themes = new Set(campaign.themes.map((t) => t.code));
  const onBallot: string[] = [];

  for (const [k, envelope] of campaign.envelopes.entries()) {
    const district = envelope.code === CITY_ENVELOPE ? undefined : kernel.districts.byCode(envelope.code);
    const ideas = [0, 1, 2].map((n) => IDEAS[(k * 3 + n) % IDEAS.length]!);
    const ids: string[] = [];
    const writers = [0, 1, 2].map((n) => authors[(k + n) % authors.length]!);
    for (const [n, idea] of ideas.entries()) {
      const [low, high] = idea.cost;
      const { id } = await submitProposal(
        trx,
        kernel,
        campaign.code,
        {
          accountId: writers[n]!,
          title: idea.fr,
          description: `${idea.fr} : une proposition pour ${district?.name ?? 'toute la ville'}.`,
          cost: Math.round((low + pick() * (high - low)) / 1000) * 1000,
          theme: themes.has(idea.theme) ? idea.theme : campaign.themes[0]!.code,
          envelope: envelope.code,
          point: district ? pointIn(kernel, district, pick) : null,
        },
        { now: proposalsAt },
      );
      ids.push(id);
    }
    // In the proposals phase the last one still waits for moderation.
    const published = options.stage === 'proposals' ? ids.slice(0, 2) : ids;
    for (const id of published) await moderateProposal(trx, kernel, DEMO, id, { decision: 'publish' });
    for (const [n, id] of published.entries()) {
      for (const supporter of authors.filter((a) => a !== writers[n] && pick() < 0.4)) {
        await supportProposal(trx, supporter, id, { now: proposalsAt });
      }
    }
    if (options.stage === 'proposals') continue;

    const description = (fr: string) => ({ fr: `${fr} (projet issu des propositions des habitants).` });
    const [a, b] = [ideas[0]!, ideas[2]!];
    const first = await createProjectFromProposals(
      trx,
      kernel,
      DEMO,
      campaign.code,
      { envelope: envelope.code, title: { fr: a.fr, en: a.en }, description: description(a.fr), proposalIds: [ids[0]!, ids[1]!] },
      { now: studyAt },
    );
    const second = await createProjectFromProposals(
      trx,
      kernel,
      DEMO,
      campaign.code,
      { envelope: envelope.code, title: { fr: b.fr, en: b.en }, description: description(b.fr), proposalIds: [ids[2]!] },
      { now: studyAt },
    );
    const studied = async (code: string, feasible: boolean) => {
      const project = await trx
        .selectFrom('pb_projects')
        .select('cost')
        .where('code', '=', code)
        .where('campaign_id', '=', campaign.id)
        .executeTakeFirstOrThrow();
      await recordEvaluation(
        trx,
        kernel,
        DEMO,
        campaign.code,
        code,
        feasible
          ? { feasible, cost: Math.round((Number(project.cost) * (0.9 + pick() * 0.4)) / 1000) * 1000, months: 6 + Math.floor(pick() * 18) }
          : {
              feasible,
              explanation: 'Le site retenu appartient à un autre propriétaire public ; la Ville ne peut pas y réaliser de travaux.',
            },
        { now: studyAt },
      );
    };
    await studied(first.code, true);
    // One envelope in three has a project found not feasible, with its public explanation.
    await studied(second.code, k % 3 !== 0);
    const feasible = k % 3 !== 0 ? [first.code, second.code] : [first.code];
    await putOnBallot(trx, kernel, DEMO, campaign.code, feasible, { now: studyAt });
    onBallot.push(...feasible);
  }
  return onBallot;
}
