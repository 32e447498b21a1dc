import { inTransaction } from '../../../kernel/db/transaction.js';
import { cityToday } from '../../../kernel/i18n/format.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import { updateProgress } from './change.js';
import { addMilestone } from './milestones.js';
import { startTracking } from './start.js';
import type { TrackingStatus } from './statuses.js';

const DEMO: CampaignActing = { actor: { kind: 'system', label: 'demo' } };

/** A stage of execution and the milestones that led there (months before the seeding day; photo or not). */
interface Stage {
  status: TrackingStatus;
  progress: number;
  reason?: string;
  milestones: { monthsAgo: number; fr: string; en: string; photo?: boolean }[];
}

const STUDIES = { fr: 'Études lancées avec les services de la ville', en: 'Studies started with the city’s departments' };
const TENDER = { fr: 'Appel d’offres publié', en: 'Call for tenders published' };
const WORKS = { fr: 'Début des travaux', en: 'Works begin' };
const OPENING = { fr: 'Ouverture au public', en: 'Open to the public' };

/** The stages the demo's winners are spread over, in turn: a believable mix, as in Paris's open data. */
const STAGES: Stage[] = [
  {
    status: 'delivered',
    progress: 100,
    milestones: [
      { monthsAgo: 20, ...STUDIES },
      { monthsAgo: 12, ...WORKS, photo: true },
      { monthsAgo: 2, ...OPENING, photo: true },
    ],
  },
  {
    status: 'works',
    progress: 60,
    milestones: [
      { monthsAgo: 14, ...STUDIES },
      { monthsAgo: 8, ...TENDER },
      { monthsAgo: 3, ...WORKS, photo: true },
    ],
  },
  {
    status: 'procedures',
    progress: 35,
    milestones: [
      { monthsAgo: 9, ...STUDIES },
      { monthsAgo: 2, ...TENDER },
    ],
  },
  { status: 'studies', progress: 15, milestones: [{ monthsAgo: 4, ...STUDIES }] },
  { status: 'planned', progress: 0, milestones: [] },
  {
    status: 'abandoned',
    progress: 10,
    reason: 'Le site retenu a été cédé à l’État ; le budget revient à l’enveloppe de l’arrondissement.',
    milestones: [{ monthsAgo: 10, ...STUDIES }],
  },
];

/** A building-site picture drawn for the demo (sky, ground, a crane), as the JPEG a phone would send. */
async function sitePicture(hue: number): Promise<Buffer> {
  // Loaded here only: the demo is the one place the module draws a picture.
  const { default: sharp } = await import('sharp');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
  <rect width="640" height="300" fill="hsl(${hue},60%,75%)"/><rect y="300" width="640" height="180" fill="#8a7f6a"/>
  <rect x="420" y="80" width="14" height="230" fill="#e0a800"/><rect x="300" y="80" width="260" height="12" fill="#e0a800"/>
  <rect x="120" y="230" width="180" height="80" fill="#c8c2b4"/><rect x="140" y="250" width="40" height="60" fill="#5b6478"/>
</svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}

function monthsBefore(today: string, months: number): string {
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/**
 * Demo execution tracking for a past campaign's winners: tracks them (as publishing the results
 * does) and spreads them over the stages above, with dated milestones and a few photos. Photos are
 * stored first (the files service writes outside the caller's transaction), then everything else in
 * one transaction. Call it once the winners are committed.
 */
export async function seedTrackingDemo(kernel: Kernel, projectIds: readonly string[]): Promise<void> {
  const today = cityToday(kernel.config.city.timezone);
  const plans = projectIds.map((id, i) => ({ id, stage: STAGES[i % STAGES.length]! }));
  const photos = new Map<string, string>();
  for (const [i, plan] of plans.entries()) {
    for (const m of plan.stage.milestones.filter((m) => m.photo)) {
      const stored = await kernel.files.store({ data: await sitePicture((i * 47) % 360), filename: `chantier-${i + 1}.jpg` });
      photos.set(`${plan.id}:${m.monthsAgo}`, stored.id);
    }
  }
  await inTransaction(kernel.db, async (trx) => {
    await startTracking(trx, kernel, projectIds);
    for (const { id, stage } of plans) {
      for (const m of stage.milestones) {
        const photo = photos.get(`${id}:${m.monthsAgo}`);
        await addMilestone(trx, kernel, DEMO, id, {
          date: monthsBefore(today, m.monthsAgo),
          title: { fr: m.fr, en: m.en },
          text: { fr: '', en: '' },
          photoIds: photo ? [photo] : [],
        });
      }
      if (stage.status !== 'planned') await updateProgress(trx, kernel, DEMO, id, stage);
    }
  });
}
