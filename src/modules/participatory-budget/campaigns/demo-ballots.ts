import type { Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso, toJson } from '../../../kernel/db/values.js';
import { LEVEL } from '../../../kernel/identity/citizens/attributes.js';
import { seededRandom } from '../../../kernel/seeded-random.js';
import { CITY_ENVELOPE } from './definition.js';
import { PARIS_POPULATION } from './demo.js';

const CHUNK = 200;

/** Draws one item, each as likely as its weight. */
function weighted<T>(random: () => number, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, i) => sum + weight(i), 0);
  let x = random() * total;
  for (const item of items) {
    x -= weight(item);
    if (x < 0) return item;
  }
  return items[items.length - 1] as T;
}

/**
 * Confirmed online ballots for a demo campaign whose vote is over: `voters` residents (demo accounts
 * without a password, with a birth date so the results show turnout by age), each choosing a
 * district by population and approving, within its ballot rules, a few projects Paris-wide and in
 * their district, some projects much more popular than others. Deterministic (a seeded draw).
 */
export async function castDemoBallots(trx: Trx, campaignCode: string, voters: number): Promise<void> {
  const random = seededRandom(2026);
  const campaign = await trx.selectFrom('pb_campaigns').select('id').where('code', '=', campaignCode).executeTakeFirstOrThrow();
  const envelopes = await trx
    .selectFrom('pb_envelopes')
    .select(['id', 'code', 'ballot_rules'])
    .where('campaign_id', '=', campaign.id)
    .execute();
  const projects = await trx
    .selectFrom('pb_projects')
    .select(['code', 'envelope_id'])
    .where('campaign_id', '=', campaign.id)
    .where('status', '=', 'ballot')
    .execute();
  const byEnvelope = new Map(
    envelopes.map((e) => [
      e.code,
      { ...e, projects: projects.filter((p) => p.envelope_id === e.id).map((p, i) => ({ code: p.code, appeal: 1 / (i + 1) ** 1.3 })) },
    ]),
  );
  const districts = envelopes.filter((e) => e.code !== CITY_ENVELOPE).map((e) => e.code);
  const at = nowIso();
  const rows = { accounts: [] as object[], attributes: [] as object[], voters: [] as object[], ballots: [] as object[] };
  for (let n = 1; n <= voters; n++) {
    const account = newId();
    const voter = newId();
    const district = weighted(random, districts, (code) => PARIS_POPULATION[code] ?? 1);
    const year = 1940 + Math.floor(random() * 68);
    rows.accounts.push({
      id: account,
      kind: 'citizen',
      email: `votant-${n}@demo.invalid`,
      password_hash: null,
      display_name: `Votant·e ${n}`,
      email_verified_at: at,
      created_at: at,
      updated_at: at,
    });
    rows.attributes.push({
      account_id: account,
      name: 'birthdate',
      value: `${year}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      source: 'self',
      level: LEVEL.self,
      updated_at: at,
    });
    rows.voters.push({
      id: voter,
      campaign_id: campaign.id,
      account_id: account,
      district_code: district,
      person_key: null,
      residence_stated_at: at,
      demand_id: null,
      created_at: at,
      updated_at: at,
    });
    for (const code of [CITY_ENVELOPE, district]) {
      const envelope = byEnvelope.get(code);
      if (!envelope?.projects.length) continue;
      const max = Math.min(envelope.projects.length, (JSON.parse(envelope.ballot_rules) as { maxProjects?: number }).maxProjects ?? 4);
      const chosen = new Set<string>();
      const wanted = 1 + Math.floor(random() * max);
      while (chosen.size < wanted) chosen.add(weighted(random, envelope.projects, (p) => (chosen.has(p.code) ? 0 : p.appeal)).code);
      rows.ballots.push({
        id: newId(),
        envelope_id: envelope.id,
        voter_id: voter,
        choices: toJson({ type: 'approval', projects: [...chosen] }),
        status: 'confirmed',
        channel: 'online',
        receipt_salt: null,
        receipt_code: null,
        confirmed_at: at,
        created_at: at,
        updated_at: at,
      });
    }
  }
  for (const [table, values] of [
    ['accounts', rows.accounts],
    ['identity_attributes', rows.attributes],
    ['pb_voters', rows.voters],
    ['pb_ballots', rows.ballots],
  ] as const) {
    for (let i = 0; i < values.length; i += CHUNK)
      await trx
        .insertInto(table as 'pb_voters')
        .values(values.slice(i, i + CHUNK) as never)
        .execute();
  }
}
