import type { Campaign, Phase } from './store.js';

type WithPhases = Pick<Campaign, 'phases'>;

/** The phase under way at `now` (start included, end excluded); null before the first, between two, or after the last. */
export function currentPhase(campaign: WithPhases, now: Date): Phase | null {
  const t = now.getTime();
  return campaign.phases.find((p) => Date.parse(p.startsAt) <= t && (p.endsAt === null || t < Date.parse(p.endsAt))) ?? null;
}

/** The next phase to start after `now`, if any. */
export function nextPhase(campaign: WithPhases, now: Date): Phase | null {
  const t = now.getTime();
  return campaign.phases.find((p) => Date.parse(p.startsAt) > t) ?? null;
}

/** When the vote opens (every campaign has a vote phase). */
export function voteOpensAt(campaign: WithPhases): string {
  const vote = campaign.phases.find((p) => p.phase === 'vote');
  if (!vote) throw new Error('A campaign without a vote phase: its definition should have been refused.');
  return vote.startsAt;
}

/** True once the vote has opened, by the dates or because its envelopes were frozen. */
export function isFrozen(campaign: Pick<Campaign, 'phases' | 'envelopes'>, now: Date): boolean {
  return Date.parse(voteOpensAt(campaign)) <= now.getTime() || campaign.envelopes.some((e) => e.frozenAt !== null);
}
