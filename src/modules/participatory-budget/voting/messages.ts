import type { Catalogue } from '../../../kernel/i18n/types.js';
import { VOTE_ERROR_CODES } from './errors.js';
import { votePageMessages } from './views/messages.js';

const fr: Record<string, string> = {
  'participatory-budget.errors.vote-closed': 'Le vote n’est pas ouvert : il n’a pas encore commencé ou il est terminé.',
  'participatory-budget.errors.ineligible': 'Vous ne pouvez pas voter à cette campagne.',
  'participatory-budget.errors.district-required': 'Choisissez d’abord votre arrondissement.',
  'participatory-budget.errors.district-unknown': 'Choisissez un arrondissement de la liste.',
  'participatory-budget.errors.district-locked': 'Un de vos bulletins est confirmé : votre arrondissement ne peut plus changer.',
  'participatory-budget.errors.residence-statement-required': 'Cochez la case pour déclarer que vous habitez la ville.',
  'participatory-budget.errors.envelope-not-yours':
    'Vous votez pour les projets de toute la ville et pour ceux de votre arrondissement seulement.',
  'participatory-budget.errors.invalid-ballot': 'Votre bulletin ne respecte pas les règles du vote.',
  'participatory-budget.errors.no-ballot': 'Vous n’avez pas de bulletin à confirmer : choisissez d’abord vos projets.',
  'participatory-budget.errors.ballot-confirmed': 'Ce bulletin est confirmé : il ne peut plus être modifié.',
  'participatory-budget.errors.already-voted':
    'Un bulletin de cette personne est déjà compté pour cette enveloppe (en ligne ou sur papier).',
  'participatory-budget.errors.voter-unknown': 'Aucun compte ne porte cette adresse e-mail.',
  'participatory-budget.errors.invalid-voter': 'Indiquez le prénom, le nom et la date de naissance de la personne.',
  'participatory-budget.errors.invalid-counts': 'Le fichier des décomptes comporte des erreurs : rien n’a été importé.',
  'participatory-budget.errors.invalid-eligibility': 'Les conditions pour voter comportent des erreurs.',
  'participatory-budget.vote.demand.counted-one': 'Votre vote a été compté',
  'participatory-budget.vote.demand.counted-many': 'Vos {count} bulletins ont été comptés',
};

const en: Record<string, string> = {
  'participatory-budget.errors.vote-closed': 'The vote is not open: it has not started yet or it is over.',
  'participatory-budget.errors.ineligible': 'You may not vote in this campaign.',
  'participatory-budget.errors.district-required': 'Choose your district first.',
  'participatory-budget.errors.district-unknown': 'Choose a district from the list.',
  'participatory-budget.errors.district-locked': 'One of your ballots is confirmed: your district can no longer change.',
  'participatory-budget.errors.residence-statement-required': 'Tick the box to state that you live in the city.',
  'participatory-budget.errors.envelope-not-yours': 'You vote for the city-wide projects and for those of your own district only.',
  'participatory-budget.errors.invalid-ballot': 'Your ballot does not follow the rules of the vote.',
  'participatory-budget.errors.no-ballot': 'You have no ballot to confirm: choose your projects first.',
  'participatory-budget.errors.ballot-confirmed': 'This ballot is confirmed: it can no longer change.',
  'participatory-budget.errors.already-voted': 'A ballot of this person is already counted in this envelope (online or on paper).',
  'participatory-budget.errors.voter-unknown': 'No account has this e-mail address.',
  'participatory-budget.errors.invalid-voter': 'Give the person’s given name, family name and date of birth.',
  'participatory-budget.errors.invalid-counts': 'The counts file has errors: nothing was imported.',
  'participatory-budget.errors.invalid-eligibility': 'The conditions to vote have errors.',
  'participatory-budget.vote.demand.counted-one': 'Your vote counted',
  'participatory-budget.vote.demand.counted-many': 'Your {count} ballots counted',
};

/** The error page shows a refusal's own message: the same text under the kernel's key. */
const errorPage = (messages: Record<string, string>) =>
  Object.fromEntries(
    VOTE_ERROR_CODES.map((code) => [`error.code.participatory-budget.${code}`, messages[`participatory-budget.errors.${code}`]!]),
  );

/** The vote's messages; every key in both languages (checked by a test). */
export const votingMessages: Catalogue = {
  fr: { ...fr, ...errorPage(fr), ...votePageMessages.fr },
  en: { ...en, ...errorPage(en), ...votePageMessages.en },
};
