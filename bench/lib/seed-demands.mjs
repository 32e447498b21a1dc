// A city-sized `demands` table for the dashboard scenarios: 1,000,000 demands, exactly 500 of them
// the demo resident's, the others spread over ~200,000 residents, over three years of activity.
// Rows come from a seeded generator, so both engines get the same data; the dashboard's queries
// then read one resident's index range among a million rows, as in production.
import { performance } from 'node:perf_hooks';
import { openDatabase } from './db.mjs';

export const DEMANDS_TOTAL = 1_000_000;
export const RESIDENT_DEMANDS = 500;
export const RESIDENT_EMAIL = 'camille.martin@example.org';
const OTHER_RESIDENTS = 200_000;
const YEARS = 3;
const DAY_MS = 86_400_000;

const text = (fr, en) => ({ fr, en });
/** A state of a demand type: its generic status, its public label, its step. */
const state = (status, label, step = null, nextAction = null) => ({
  status,
  label: JSON.stringify(label),
  step,
  nextAction: nextAction && JSON.stringify(nextAction),
});

/**
 * The services a city's residents deal with, in rough proportion: reports in the street, online
 * procedures (the `procedures` module's workflow states), appointments, civil-status certificates,
 * canteen invoices. Types of modules not enabled in the demo still show, under their code.
 */
const TYPES = [
  {
    type: 'street-reports:report',
    prefix: 'SIG',
    weight: 40,
    steps: 3,
    link: 'street-reports/reports',
    titles: ['Dépôt sauvage', 'Nid-de-poule', 'Éclairage public en panne', 'Graffiti', 'Mobilier urbain dégradé', 'Arbre dangereux'],
    open: [state('ongoing', text('Reçu', 'Received'), 1), state('ongoing', text('Pris en charge', 'Being handled'), 2)],
    done: [
      state('closed', text('Résolu', 'Resolved'), 3),
      state('closed', text('Résolu', 'Resolved'), 3),
      state('cancelled', text('Rejeté', 'Rejected')),
    ],
  },
  {
    type: 'procedures:application',
    prefix: 'DEM',
    weight: 25,
    steps: 4,
    link: 'procedures/applications',
    titles: ['Passe des enfants (1 enfant)', 'Passe des enfants (2 enfants)', 'Passe des enfants (3 enfants)'],
    open: [
      state('ongoing', text('Déposée', 'Submitted'), 1),
      state('ongoing', text('En instruction', 'Under review'), 2),
      state(
        'to-complete',
        text('En attente de corrections', 'Waiting for corrections'),
        2,
        text('corriger votre dossier puis le signaler', 'correct your file, then say so'),
      ),
      state('ongoing', text('Acceptée, remboursement en cours', 'Accepted, refund under way'), 3),
    ],
    done: [
      state('closed', text('Remboursée', 'Refunded'), 4),
      state('closed', text('Remboursée', 'Refunded'), 4),
      state('closed', text('Refusée', 'Refused'), 4),
      state('cancelled', text('Classée sans suite', 'Closed without follow-up'), 4),
      state('cancelled', text('Retirée par vous', 'Withdrawn by you')),
    ],
  },
  {
    type: 'appointments:booking',
    prefix: 'RDV',
    weight: 20,
    steps: null,
    link: 'appointments/bookings',
    titles: ['Rendez-vous carte d’identité', 'Rendez-vous passeport', 'Rendez-vous mariage', 'Rendez-vous recensement citoyen'],
    open: [state('ongoing', text('Confirmé', 'Confirmed'))],
    done: [
      state('closed', text('Honoré', 'Attended')),
      state('closed', text('Honoré', 'Attended')),
      state('cancelled', text('Annulé', 'Cancelled')),
    ],
  },
  {
    type: 'civil-status:certificate',
    prefix: 'ETC',
    weight: 10,
    steps: 2,
    link: 'civil-status/certificates',
    titles: ['Acte de naissance', 'Acte de mariage', 'Acte de décès'],
    open: [state('ongoing', text('Demande reçue', 'Request received'), 1)],
    done: [state('closed', text('Envoyé', 'Sent'), 2)],
  },
  {
    type: 'school:canteen-invoice',
    prefix: 'FAC',
    weight: 5,
    steps: null,
    link: 'school/invoices',
    titles: ['Facture de cantine', 'Facture du centre de loisirs', 'Facture du conservatoire'],
    open: [state('to-pay', text('À payer', 'To pay'), null, text('payer la facture', 'pay the invoice'))],
    done: [state('paid', text('Payée', 'Paid'))],
  },
];
const WEIGHTS = TYPES.reduce((a, t) => a + t.weight, 0);

/** The type whose share of [0, WEIGHTS) holds `w`. */
function typeAt(w) {
  let bound = 0;
  for (const t of TYPES) {
    bound += t.weight;
    if (w < bound) return t;
  }
  return TYPES[TYPES.length - 1];
}

/** mulberry32: small, fast, seeded. */
export function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n, width) => Math.floor(n).toString(16).padStart(width, '0');
const pick = (random, list) => list[Math.floor(random() * list.length)];

export const DEMAND_COLUMNS = [
  ['id', 'text'],
  ['type', 'text'],
  ['module', 'text'],
  ['reference', 'text'],
  ['account_id', 'text'],
  ['title', 'text'],
  ['status', 'text'],
  ['state_label', 'text'],
  ['step', 'int'],
  ['steps', 'int'],
  ['next_action', 'text'],
  ['unit_path', 'text'],
  ['link', 'text'],
  ['subject', 'text'],
  ['unread_for_agents', 'int'],
  ['unread_for_citizen', 'int'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['closed_at', 'text'],
];

/**
 * `count` demands as rows of DEMAND_COLUMNS, `residentCount` of them (drawn at random) for
 * `residentId`, the others for made-up residents. Recent demands are mostly open, older ones
 * finished; ids embed the creation time like `newId()`; references continue `counters` (key
 * "SIG-2025" → last number). Rows come oldest first, as the city made them: the primary key and
 * the references grow at their end instead of splitting pages all over, which makes loading
 * several times faster.
 */
export function* demandRows({ random, count, residentId, residentCount, unitPaths, counters, now }) {
  const residents = new Set();
  while (residents.size < Math.min(residentCount, count)) residents.add(Math.floor(random() * count));
  const span = YEARS * 365 * DAY_MS;
  for (let n = 0; n < count; n++) {
    const type = typeAt(random() * WEIGHTS);
    const updated = now - span + ((n + random()) / count) * span;
    const created = updated - random() * random() * 60 * DAY_MS;
    const ageDays = (now - updated) / DAY_MS;
    const openChance = ageDays < 30 ? 0.7 : ageDays < 90 ? 0.3 : ageDays < 365 ? 0.05 : 0.01;
    const open = random() < openChance;
    const s = pick(random, open ? type.open : type.done);
    const key = `${type.prefix}-${new Date(created).getUTCFullYear()}`;
    const number = (counters.get(key) ?? 0) + 1;
    counters.set(key, number);
    const id = hex(created, 12) + hex(random() * 2 ** 32, 8) + hex(random() * 2 ** 32, 8);
    const itemId = hex(created, 12) + hex(random() * 2 ** 32, 8) + hex(random() * 2 ** 32, 8);
    const [module, code] = type.type.split(':');
    const finished = s.status === 'closed' || s.status === 'cancelled';
    yield [
      id,
      type.type,
      module,
      `${key}-${String(number).padStart(6, '0')}`,
      residents.has(n) ? residentId : `fa${hex(random() * OTHER_RESIDENTS, 26)}`,
      pick(random, type.titles),
      s.status,
      s.label,
      s.step,
      type.steps,
      s.nextAction,
      pick(random, unitPaths),
      `/${type.link}/${itemId}`,
      `${module}:${code}:${itemId}`,
      0,
      0,
      new Date(created).toISOString(),
      new Date(updated).toISOString(),
      finished ? new Date(updated).toISOString() : null,
    ];
  }
}

/** The town halls' unit paths, where demands are handled. */
export async function districtUnitPaths(db) {
  const rows = await db.all('select path from units where district_code is not null order by path');
  if (!rows.length) throw new Error('bench: no district unit in `units`: was the demo city seeded?');
  return rows.map((r) => r.path);
}

export async function accountIdOf(db, email) {
  const [row] = await db.all('select id from accounts where email = ?', [email]);
  if (!row) throw new Error(`bench: no account ${email}: was the demo city seeded?`);
  return row.id;
}

/** The reference counters, as a Map, to continue them. */
export async function referenceCounters(db) {
  return new Map((await db.all('select key, value from reference_counters')).map((r) => [r.key, Number(r.value)]));
}

/** Saves the counters, so references the app hands out later do not collide with the seeded ones. */
export async function saveReferenceCounters(db, counters) {
  for (const [key, value] of counters) {
    await db.run('insert into reference_counters (key, value) values (?, ?) on conflict (key) do update set value = excluded.value', [
      key,
      value,
    ]);
  }
}

export async function countDemands(db, accountId) {
  const [all] = await db.all('select count(*) as n from demands');
  const [own] = await db.all('select count(*) as n from demands where account_id = ?', [accountId]);
  return { total: Number(all.n), resident: Number(own.n) };
}

async function seed(ctx) {
  const since = performance.now();
  const db = await openDatabase(ctx);
  try {
    const residentId = await accountIdOf(db, RESIDENT_EMAIL);
    const before = await countDemands(db, residentId);
    if (before.total >= DEMANDS_TOTAL) throw new Error(`bench: demands already holds ${before.total} rows`);
    const counters = await referenceCounters(db);
    const rows = demandRows({
      random: generator(20_240_101),
      count: DEMANDS_TOTAL - before.total,
      residentId,
      residentCount: RESIDENT_DEMANDS - before.resident,
      unitPaths: await districtUnitPaths(db),
      counters,
      now: Date.now(),
    });
    // In batches: the whole table's values at once would take a gigabyte of JavaScript strings.
    for (let next = rows.next(); !next.done; ) {
      const batch = [];
      for (; !next.done && batch.length < 100_000; next = rows.next()) batch.push(next.value);
      await db.insertRows('demands', DEMAND_COLUMNS, batch);
    }
    await saveReferenceCounters(db, counters);
    await db.settle(['demands', 'reference_counters']);
    const after = await countDemands(db, residentId);
    if (after.total !== DEMANDS_TOTAL || after.resident !== RESIDENT_DEMANDS) {
      throw new Error(`bench: seeding gave ${after.total} demands, ${after.resident} of them the resident's`);
    }
    const seconds = (performance.now() - since) / 1000;
    ctx.note?.(
      `seeded demands: ${after.total.toLocaleString('en-US')} rows (${(after.total - before.total).toLocaleString('en-US')} inserted), ${after.resident} of ${RESIDENT_EMAIL}, in ${seconds.toFixed(1)} s`,
    );
    return { residentId, seconds, ...after };
  } finally {
    await db.close();
  }
}

const seeded = new Map();
/** Seeds once per engine; every scenario that needs the million demands awaits the same promise. */
export function seedDemands(ctx) {
  if (!seeded.has(ctx.engine)) seeded.set(ctx.engine, seed(ctx));
  return seeded.get(ctx.engine);
}
