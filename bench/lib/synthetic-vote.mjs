// A synthetic participatory budget vote shaped like Paris (issue #6), from a seeded generator: the
// same ballots on every machine and every run, so that timings compare across commits.
//   - 21 envelopes with the demo campaign's amounts (campaigns/demo.ts: "Tout Paris" ≈ €30M and the
//     20 arrondissements, a €1M floor plus a share by population);
//   - the projects: `cityProjects` Paris-wide ones, the others spread over the arrondissements by
//     population (at least 5 each); costs drawn log-uniformly in whole euros, €150k–€4M Paris-wide
//     and €20k–€2M in an arrondissement (never more than half of its envelope);
//   - each voter votes Paris-wide and in one arrondissement drawn by population (the "arrondissement
//     de cœur"), up to 4 projects in each (Paris until 2020), mostly 4: about 7.7 approvals in all;
//   - popularity is skewed: each project has a log-normal weight (σ = 1.2: a project in the top
//     tenth is drawn about ten times as often as a median one), and a voter draws their projects by
//     weight without replacement.
import { seededRandom } from '../../dist/kernel/seeded-random.js';
import { demoCampaignDefinition, PARIS_POPULATION } from '../../dist/modules/participatory-budget/campaigns/demo.js';
import { Fraction } from '../../dist/modules/participatory-budget/rules/fraction.js';

export const PARIS_SIZED = { voters: 200_000, projects: 300, cityProjects: 40, seed: 6 };

const MAX_PER_ENVELOPE = 4;
/** How many projects a voter approves in an envelope: P(4) = 0.9, P(3) = 0.06, P(2) = 0.03, P(1) = 0.01. */
const APPROVALS = [
  [0.9, 4],
  [0.96, 3],
  [0.99, 2],
  [1, 1],
];

/**
 * → { envelopes: [{ code, amount, election }], voters, approvals }: one `Election` (the rules' input,
 * exact amounts) per envelope, Paris-wide first.
 */
export function syntheticParisVote({ voters, projects, cityProjects, seed } = PARIS_SIZED) {
  const random = seededRandom(seed);
  const codes = Object.keys(PARIS_POPULATION).sort();
  const population = codes.map((code) => PARIS_POPULATION[code]);
  // The demo campaign's envelopes, as Civitas seeds them for Paris (only the city code and districts are read).
  const demoKernel = {
    config: { city: { code: 'paris', name: { fr: 'Paris', en: 'Paris' } } },
    districts: { all: codes.map((code) => ({ code, name: code })) },
  };
  const amounts = new Map(demoCampaignDefinition(demoKernel, new Date(Date.UTC(2026, 0, 1))).envelopes.map((e) => [e.code, e.amount]));

  const perDistrict = spread(projects - cityProjects, population, 5);
  const envelopes = [{ code: 'city', count: cityProjects, minCost: 150_000, maxCost: 4_000_000 }]
    .concat(codes.map((code, i) => ({ code, count: perDistrict[i], minCost: 20_000, maxCost: Math.min(2_000_000, amounts.get(code) / 2) })))
    .map((e) => {
      const ids = Array.from({ length: e.count }, (_, i) => `${e.code}-${String(i + 1).padStart(2, '0')}`);
      const costs = ids.map(() => Math.round(e.minCost * (e.maxCost / e.minCost) ** random()));
      const weights = ids.map(() => Math.exp(1.2 * normal(random)));
      return { code: e.code, amount: amounts.get(e.code), ids, costs, weights, ballots: [] };
    });

  const [city, ...districts] = envelopes;
  const districtOf = cumulative(population);
  let approvals = 0;
  for (let v = 0; v < voters; v++) {
    for (const envelope of [city, districts[pick(districtOf, random() * districtOf.at(-1))]]) {
      const chosen = drawWithoutReplacement(envelope.weights, approvalCount(random, envelope.ids.length), random);
      envelope.ballots.push({ projects: chosen.map((i) => envelope.ids[i]) });
      approvals += chosen.length;
    }
  }
  return {
    voters,
    approvals,
    envelopes: envelopes.map((e) => ({
      code: e.code,
      amount: e.amount,
      election: {
        budget: Fraction.of(e.amount),
        projects: e.ids.map((id, i) => ({ id, cost: Fraction.of(e.costs[i]) })),
        ballots: e.ballots,
      },
    })),
  };
}

/** `total` split by `weights` (largest remainder), each part at least `floor`. */
function spread(total, weights, floor) {
  const free = total - floor * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (free * w) / sum);
  const parts = exact.map((x) => floor + Math.floor(x));
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < total - parts.reduce((a, b) => a + b, 0); k++) parts[byRemainder[k][1]]++;
  return parts;
}

function approvalCount(random, available) {
  const r = random();
  return Math.min(available, MAX_PER_ENVELOPE, APPROVALS.find(([p]) => r < p)[1]);
}

/** Standard normal (Box–Muller). */
function normal(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function cumulative(weights) {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

/** The first index whose cumulative weight exceeds r. */
function pick(cumulativeWeights, r) {
  const i = cumulativeWeights.findIndex((c) => r < c);
  return i < 0 ? cumulativeWeights.length - 1 : i;
}

/** `k` distinct indexes, each drawn with probability proportional to its weight among those not drawn yet. */
function drawWithoutReplacement(weights, k, random) {
  const chosen = [];
  let left = weights.reduce((a, b) => a + b, 0);
  for (let n = 0; n < k; n++) {
    let r = random() * left;
    let i = 0;
    for (; i < weights.length - 1; i++) {
      if (chosen.includes(i)) continue;
      r -= weights[i];
      if (r < 0) break;
    }
    // Rounding can leave r ≥ 0 past the last weight, or land on a drawn one: take the last free index.
    while (chosen.includes(i)) i--;
    chosen.push(i);
    left -= weights[i];
  }
  return chosen;
}
