import { inTransaction } from '../../kernel/db/transaction.js';
import { newId, nowIso, withSeedingClock } from '../../kernel/db/values.js';
import { inPolygon, type Position } from '../../kernel/geo/point-in-polygon.js';
import type { AgentActor } from '../../kernel/identity/agents/acting.js';
import { actorByEmail } from '../../kernel/identity/seeding-actor.js';
import type { Kernel } from '../../kernel/kernel.js';
import { seededRandom } from '../../kernel/seeded-random.js';
import { createEndpoint } from '../../kernel/webhooks/endpoints.js';
import type { ActionInput } from '../../kernel/workflow/fields.js';
import { findItem } from '../../kernel/workflow/items.js';
import { applyAction, type Runner } from '../../kernel/workflow/transition.js';
import type { Category } from './domain/categories.js';
import { WORK_ORDER_EVENT } from './domain/contractor.js';
import { type Channel, createReport } from './domain/create-report.js';
import { markDuplicate } from './domain/duplicates.js';
import { followReport } from './domain/follow.js';
import { categoriesOf, settingsOf } from './domain/settings.js';
import { SIMULATOR_PATH } from './simulator/contractor.js';

/** How many reports of each state the demo city holds (300 in all): every state of the workflow. */
const STATE_COUNTS: Record<string, number> = {
  new: 40,
  'to-treat': 40,
  'to-requalify': 10,
  'field-work': 25,
  'office-work': 12,
  scheduled: 18,
  'sent-to-contractor': 12,
  'dispatch-failed': 5,
  'contractor-scheduled': 15,
  surveillance: 10,
  done: 75,
  rejected: 18,
  duplicate: 10,
  archived: 10,
};
const CONTRACTOR_STATES = new Set(['sent-to-contractor', 'dispatch-failed', 'contractor-scheduled']);
const RESIDENT = 'camille.martin@example.org';

const isoDate = (daysAhead: number) => new Date(Date.now() + daysAhead * 86_400_000).toISOString().slice(0, 10);

type Step = { by: 'agent' | 'system'; action: string; fields?: Record<string, string>; afterPhoto?: boolean };

const DAY = 86_400_000;
/** How long ago reports in each state were filed, in days: open ones recently, archived ones over a year ago. */
function ageInDays(state: string, pick: () => number): number {
  const between = (min: number, max: number) => min + pick() * (max - min);
  if (state === 'new') return between(0, 3);
  if (state === 'to-treat' || state === 'to-requalify') return between(1, 10);
  if (state === 'archived') return between(380, 700);
  if (state === 'done' || state === 'rejected' || state === 'duplicate') return between(5, 330);
  return between(3, 45);
}

/** The actions that bring a new report to `state`, as agents, the system and contractors would. */
function stepsTo(state: string, pick: () => number, contractors: boolean): Step[] {
  const ack: Step = { by: 'agent', action: 'acknowledge' };
  const field: Step = { by: 'agent', action: 'field-work' };
  const dispatch: Step = { by: 'agent', action: 'dispatch' };
  const resolve: Step = {
    by: 'agent',
    action: 'resolve',
    fields: { comment: 'L’équipe de la propreté est intervenue, merci de votre signalement.' },
    afterPhoto: pick() < 0.5,
  };
  switch (state) {
    case 'to-treat':
      return [ack];
    case 'to-requalify':
      return [{ by: 'agent', action: 'needs-requalifying', fields: { comment: 'La photo montre un autre type d’anomalie.' } }];
    case 'field-work':
      return [ack, field];
    case 'office-work':
      return [ack, { by: 'agent', action: 'office-work' }];
    case 'scheduled':
      return [ack, field, { by: 'agent', action: 'schedule', fields: { 'planned-on': isoDate(2 + Math.floor(pick() * 10)) } }];
    case 'sent-to-contractor':
      return [ack, dispatch];
    case 'dispatch-failed':
      return [ack, dispatch, { by: 'system', action: 'dispatch-failed' }];
    case 'contractor-scheduled':
      return [
        ack,
        dispatch,
        { by: 'system', action: 'contractor-scheduled', fields: { 'planned-on': isoDate(1 + Math.floor(pick() * 5)) } },
      ];
    case 'surveillance':
      return [ack, { by: 'agent', action: 'watch' }];
    case 'done':
      // Without a contractor endpoint (a random port), every report is resolved by the town hall.
      return pick() < 0.5 || !contractors
        ? [ack, field, resolve]
        : [ack, dispatch, { by: 'system', action: 'contractor-done', fields: { comment: 'Intervention réalisée.' }, afterPhoto: true }];
    case 'rejected':
      return [
        {
          by: 'agent',
          action: 'reject',
          fields: { reason: 'private-property', comment: 'Cet emplacement est une voie privée : adressez-vous à son syndic.' },
        },
      ];
    case 'archived':
      return [ack, field, resolve, { by: 'system', action: 'archive' }];
    default:
      // "new" stays as filed; duplicates are marked once their originals exist.
      return [];
  }
}

/** A few distinct "photos" of a problem (shapes only, so no font is needed), as small JPEGs. */
async function demoPhotos(): Promise<Buffer[]> {
  // Loaded here, not at the top: libvips would cost every server start time and memory.
  const { default: sharp } = await import('sharp');
  const scenes: [string, string][] = [
    ['#8d8d8d', '<ellipse cx="240" cy="250" rx="110" ry="45" fill="#3a3a3a"/>'],
    ['#c8b89a', '<rect x="120" y="90" width="240" height="150" rx="6" fill="#d62828"/>'],
    ['#7a9e7e', '<rect x="180" y="120" width="150" height="160" fill="#5c4033"/>'],
    ['#a3b1c6', '<circle cx="240" cy="140" r="70" fill="#f4d35e"/>'],
    ['#9c9c9c', '<path d="M60 300 L200 100 L260 220 L420 80" stroke-width="16" stroke="#1d3557" fill="none"/>'],
    ['#b5a48b', '<rect x="90" y="200" width="300" height="80" rx="30" fill="#2a9d8f"/>'],
  ];
  return Promise.all(
    scenes.map(([ground, shape]) =>
      sharp(
        Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="360"><rect width="480" height="360" fill="${ground}"/>${shape}</svg>`,
        ),
      )
        .jpeg({ quality: 60 })
        .toBuffer(),
    ),
  );
}

async function agentActor(kernel: Kernel, email: string): Promise<AgentActor | null> {
  const actor = await actorByEmail(kernel.db, email);
  return actor?.kind === 'agent' ? actor : null;
}

/**
 * Where the demo's contractor endpoints point: the built-in simulator of this app. An `https`
 * public URL is used as is; otherwise the app is reached on loopback at its configured port (every
 * process of a city listens on it; plain HTTP is accepted for loopback only). Null when the port is
 * chosen at random (0): no address would stay true.
 */
function simulatorUrl(kernel: Pick<Kernel, 'config'>): string | null {
  const { publicUrl, port } = kernel.config;
  if (publicUrl?.startsWith('https://')) return `${publicUrl.replace(/\/$/, '')}${SIMULATOR_PATH}`;
  return port === 0 ? null : `http://127.0.0.1:${port}${SIMULATOR_PATH}`;
}

/** Each town hall's contractor endpoint, pointing at the built-in simulator; how many were created. */
async function seedContractorEndpoints(kernel: Kernel, admin: AgentActor): Promise<number> {
  const url = simulatorUrl(kernel);
  if (!url) {
    kernel.log.warn('street-reports demo: the port is chosen at random, so no contractor endpoint points at the simulator');
    return 0;
  }
  const units = await kernel.db.selectFrom('units').select(['path', 'code']).where('code', 'like', 'mairie-%').orderBy('code').execute();
  const modules = kernel.modules.map((m) => m.code);
  for (const unit of units) {
    await createEndpoint(kernel.db, { actor: admin, ip: '127.0.0.1' }, modules, {
      module: 'street-reports',
      unitPath: unit.path,
      url,
      description: `Prestataire de démonstration (simulateur intégré) – ${unit.code}`,
      events: [WORK_ORDER_EVENT],
      active: true,
    });
  }
  return units.length;
}

/** A random point inside the district (rejection sampling in its bounding box). */
function pointIn(district: Kernel['districts']['all'][number], pick: () => number): Position {
  const { minLon, minLat, maxLon, maxLat } = district.bbox;
  for (;;) {
    const point: Position = [minLon + pick() * (maxLon - minLon), minLat + pick() * (maxLat - minLat)];
    if (district.polygons.some((p) => inPolygon(point, p))) return point;
  }
}

function weighted(leaves: Category[], pick: () => number): Category {
  const total = leaves.reduce((sum, l) => sum + l.weight, 0);
  let at = pick() * total;
  for (const leaf of leaves) {
    at -= leaf.weight;
    if (at < 0) return leaf;
  }
  return leaves.at(-1)!;
}

/**
 * The demo city's street reports: 300 over the arrondissements, categories in Paris's proportions,
 * in every state of the workflow reached through its real actions (agents, the system, contractors),
 * a third with a photo; some filed by the demo resident, who follows others; and each town hall's
 * contractor endpoint pointing at the built-in simulator, so a newcomer can dispatch a report and
 * watch it come back. Reports dispatched here are really sent once the app runs: the simulator
 * moves them along like any other.
 */
export async function seedStreetReportsDemo(kernel: Kernel): Promise<void> {
  const admin = await agentActor(kernel, 'admin@ville.example');
  const resident = await kernel.db.selectFrom('accounts').select('id').where('email', '=', RESIDENT).executeTakeFirst();
  const districts = kernel.districts.all;
  if (!admin || districts.length === 0) return;
  const agents = new Map<string, AgentActor>();
  for (const [district, email] of [
    ['75111', 'agent.11@ville.example'],
    ['75118', 'agent.18@ville.example'],
  ] as const) {
    const agent = await agentActor(kernel, email);
    if (agent) agents.set(district, agent);
  }
  const contractors = settingsOf(kernel).simulator ? await seedContractorEndpoints(kernel, admin) : 0;
  const tree = categoriesOf(kernel);
  // Most demo reports have no reporter: categories that require one are left out.
  const leaves = tree.leaves.filter((l) => !l.elsewhere && l.anonymousAllowed !== false);
  const photos = await demoPhotos();
  const pick = seededRandom(75_001);

  const states = Object.entries(STATE_COUNTS).flatMap(([state, n]) =>
    Array.from({ length: n }, () => (contractors === 0 && CONTRACTOR_STATES.has(state) ? 'scheduled' : state)),
  );
  for (let i = states.length - 1; i > 0; i--) {
    const j = Math.floor(pick() * (i + 1));
    [states[i], states[j]] = [states[j]!, states[i]!];
  }
  // Filed over two years, oldest first, so references, ids and dates all run in the same order.
  const now = Date.now();
  const filedAt = states.map((state) => now - ageInDays(state, pick) * DAY);
  const order = states.map((_, i) => i).sort((a, b) => filedAt[a]! - filedAt[b]!);
  const targets = order.map((i) => states[i]!);
  const times = order.map((i) => filedAt[i]!);

  const filed: { id: string; reference: string; district: string; state: string; mine: boolean }[] = [];
  for (const [i, target] of targets.entries()) {
    const district = districts[i % districts.length]!;
    const [lng, lat] = pointIn(district, pick);
    const category = weighted(leaves, pick);
    const mine = Boolean(resident) && i % 20 === 3 && !category.agentOnly;
    const channel: Channel = category.agentOnly ? 'agent' : mine ? 'web' : (['web', 'app', 'web', 'open311'] as const)[i % 4]!;
    const store = (n: number) => kernel.files.store({ data: photos[n % photos.length]!, filename: `photo-${i}.jpg` });
    const photoIds = pick() < 0.33 ? [(await store(i)).id] : [];
    const steps = stepsTo(target, pick, contractors > 0);
    const afterIds = new Map<number, string>();
    for (const [n, step] of steps.entries()) if (step.afterPhoto) afterIds.set(n, (await store(i + 3)).id);
    const agent = agents.get(district.code) ?? admin;

    // Each step a few hours to a few days after the one before, never later than now.
    let at = times[i]!;
    const report = await withSeedingClock(
      () => at,
      () =>
        inTransaction(kernel.db, async (trx) => {
          const created = await createReport(trx, kernel, tree, {
            category: category.code,
            lat,
            lng,
            description: `${category.label.fr} constaté ${mine ? 'en allant au travail' : 'sur le trottoir'}.`,
            channel,
            accountId: mine ? resident!.id : null,
            photoIds,
            byAgent: category.agentOnly === true,
          });
          let item = (await findItem(trx, created.itemId))!;
          for (const [n, step] of steps.entries()) {
            const runner: Runner = step.by === 'agent' ? agent : 'system';
            const after = afterIds.get(n);
            const input: ActionInput = { fields: step.fields ?? {}, ...(after ? { photos: { after: [after] } } : {}) };
            at = Math.min(at + (1 + pick() * 71) * 3_600_000, now - 60_000);
            item = await applyAction(trx, kernel, runner, item, step.action, input);
            if (after) {
              await trx
                .insertInto('street_report_photos')
                .values({ id: newId(), report_id: created.id, file_id: after, kind: 'after', redacted: 0, created_at: nowIso() })
                .execute();
            }
          }
          return created;
        }),
    );
    filed.push({ id: report.id, reference: report.reference, district: district.code, state: target, mine });
  }

  // Duplicates repeat an earlier report of their district.
  for (const dup of filed.filter((r) => r.state === 'duplicate')) {
    const original = filed.find((r) => r.district === dup.district && r.state !== 'duplicate' && r.id !== dup.id);
    if (original) await markDuplicate(kernel, agents.get(dup.district) ?? admin, dup.id, original.reference);
  }
  // The demo resident follows a few open reports of others (she hears of their public changes).
  if (resident) {
    const followed = filed.filter((r) => !r.mine && ['to-treat', 'field-work', 'scheduled', 'contractor-scheduled'].includes(r.state));
    for (const r of followed.slice(0, 8)) await followReport(kernel.db, r.id, resident.id);
  }
}
