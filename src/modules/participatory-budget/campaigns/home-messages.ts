import type { Catalogue } from '../../../kernel/i18n/types.js';

export const homeMessages: Catalogue = {
  fr: {
    'participatory-budget.nav': 'Budget participatif',
    'participatory-budget.navDescription': 'Proposez des projets pour votre quartier, votez, suivez leur réalisation.',
    'participatory-budget.home.title': 'Budget participatif',
    'participatory-budget.home.intro':
      'Chaque année, les habitantes et les habitants proposent des projets d’investissement, la Ville les étudie, puis chacun vote. Les projets lauréats sont calculés selon des règles publiées, puis réalisés.',
    'participatory-budget.home.none': 'Aucune campagne n’est ouverte pour le moment.',
    'participatory-budget.home.now': 'En ce moment : {phase}',
    'participatory-budget.home.between': 'Prochaine étape : {phase}, à partir du {date}',
    'participatory-budget.home.calendar': 'Calendrier',
    'participatory-budget.home.from': 'du {start} au {end}',
    'participatory-budget.home.fromOpen': 'à partir du {start}',
    'participatory-budget.home.current': '(en cours)',
    'participatory-budget.home.proposals': 'Voir les propositions',
    'participatory-budget.home.propose': 'Proposer un projet',
    'participatory-budget.home.vote': 'Voter',
    'participatory-budget.home.results': 'Voir les résultats',
    'participatory-budget.home.realisations': 'Suivre la réalisation des projets',
    'participatory-budget.home.receipt': 'Vérifier mon reçu de vote',
  },
  en: {
    'participatory-budget.nav': 'Participatory budget',
    'participatory-budget.navDescription': 'Propose projects for your neighbourhood, vote, follow how they are built.',
    'participatory-budget.home.title': 'Participatory budget',
    'participatory-budget.home.intro':
      'Every year residents propose investment projects, the city studies them, then everyone votes. The winning projects are computed by published rules, then built.',
    'participatory-budget.home.none': 'No campaign is open at the moment.',
    'participatory-budget.home.now': 'Now: {phase}',
    'participatory-budget.home.between': 'Next step: {phase}, from {date}',
    'participatory-budget.home.calendar': 'Calendar',
    'participatory-budget.home.from': 'from {start} to {end}',
    'participatory-budget.home.fromOpen': 'from {start}',
    'participatory-budget.home.current': '(under way)',
    'participatory-budget.home.proposals': 'See the proposals',
    'participatory-budget.home.propose': 'Propose a project',
    'participatory-budget.home.vote': 'Vote',
    'participatory-budget.home.results': 'See the results',
    'participatory-budget.home.realisations': 'Follow how the projects are built',
    'participatory-budget.home.receipt': 'Check my vote receipt',
  },
};
