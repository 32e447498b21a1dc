import type { Catalogue } from '../../../kernel/i18n/types.js';

/** The Pabulib import page and its refusals (results/pabulib-import*.ts). */
export const pabulibImportMessages: Catalogue = {
  fr: {
    'participatory-budget.pabulib-import.title': 'Importer un fichier Pabulib — {campaign}',
    'participatory-budget.pabulib-import.link': 'Importer les projets et les bulletins d’une enveloppe depuis un fichier Pabulib (.pb)',
    'participatory-budget.pabulib-import.intro':
      'Chargez dans une enveloppe vide une édition passée ou des bulletins dépouillés ailleurs, au format Pabulib (pabulib.org) : ses projets sont soumis au vote, ses votes deviennent des bulletins anonymes confirmés, et les résultats se calculent, se corrigent et se publient ici par la règle de l’enveloppe.',
    'participatory-budget.pabulib-import.conditions':
      'Le budget du fichier doit être le montant de l’enveloppe, son type de vote celui du bulletin de l’enveloppe, et le vote ne doit pas être en cours. Un fichier qui a le moindre problème est refusé en entier : rien n’est importé.',
    'participatory-budget.pabulib-import.envelope': 'Enveloppe',
    'participatory-budget.pabulib-import.envelopeOption': '{label} — {amount}',
    'participatory-budget.pabulib-import.prefix': 'Préfixe des codes de projet (facultatif)',
    'participatory-budget.pabulib-import.prefixHint':
      'Le code d’un projet est son identifiant dans le fichier, en minuscules, précédé de ce préfixe (par exemple « 75111- ») : les codes doivent être uniques dans la campagne.',
    'participatory-budget.pabulib-import.file': 'Fichier Pabulib (.pb)',
    'participatory-budget.pabulib-import.submit': 'Importer',
    'participatory-budget.pabulib-import.missing': 'Choisissez un fichier .pb à importer (20 Mo au plus).',
    'participatory-budget.pabulib-import.done':
      'Fichier importé dans l’enveloppe « {envelope} » : {projects} projet(s) et {ballots} bulletin(s). Calculez les résultats une fois le vote clos.',
    'participatory-budget.pabulib-import.history': 'Fichiers importés',
    'participatory-budget.pabulib-import.none': 'Aucun fichier importé dans cette campagne.',
    'participatory-budget.pabulib-import.record':
      '{envelope} : « {file} » ({source}), {projects} projet(s), {ballots} bulletin(s), importé le {date}.',
    'participatory-budget.pabulib-import.rules':
      'Règle du fichier : {fileRule} ; règle de l’enveloppe, qui calcule les résultats : {envelopeRule}.',
    'participatory-budget.pabulib-import.threshold': 'Seuil de votes du fichier, appliqué aux règles gloutonnes : {threshold}.',
    'participatory-budget.pabulib-import.results': 'Retour aux résultats',
    'participatory-budget.pabulib-import.publicSource':
      '{ballots} bulletin(s) dépouillé(s) ailleurs, importé(s) d’un fichier au format Pabulib : {source}.',
    'participatory-budget.pabulib-import.line': 'Ligne {line} : {problem}',
    'participatory-budget.pabulib-import.problem.syntax': 'ce n’est pas un fichier Pabulib lisible ({problem}).',
    'participatory-budget.pabulib-import.problem.budget':
      'le budget du fichier ({file}) n’est pas le montant de l’enveloppe ({envelope}) : importez-le dans l’enveloppe de ce montant, ou changez d’abord le montant de l’enveloppe.',
    'participatory-budget.pabulib-import.problem.vote-type':
      'les votes du fichier, de type « {file} », ne peuvent pas devenir des bulletins de l’enveloppe (bulletin « {envelope} »).',
    'participatory-budget.pabulib-import.problem.no-projects': 'le fichier n’a aucun projet.',
    'participatory-budget.pabulib-import.problem.project-code':
      'le projet « {id} » donnerait le code « {code} », qui n’est pas valable (lettres minuscules, chiffres et tirets, 40 caractères au plus).',
    'participatory-budget.pabulib-import.problem.project-code-twice':
      'le projet « {id} » aurait le même code que le projet « {other} » (les codes ne distinguent pas majuscules et minuscules).',
    'participatory-budget.pabulib-import.problem.project-code-taken':
      'le code « {code} » est déjà celui d’un projet de l’enveloppe « {envelope} » : donnez un préfixe de code.',
    'participatory-budget.pabulib-import.problem.project-cost':
      'le projet « {id} » coûte {cost} : un coût est un nombre entier d’unités, au moins 1.',
    'participatory-budget.pabulib-import.problem.points-missing':
      'le vote de l’électeur « {voter} » ne donne pas les points qu’attend un bulletin à points.',
    'participatory-budget.pabulib-import.problem.ballot': 'le vote de l’électeur « {voter} » sort des règles de l’enveloppe : {detail}',
    'participatory-budget.pabulib-import.problem.more': 'Et {count} autre(s) problème(s).',
    'error.code.participatory-budget.vote-open':
      'Le vote de cette campagne est en cours : importez le fichier avant son ouverture ou après sa clôture.',
    'error.code.participatory-budget.envelope-not-empty':
      'Cette enveloppe a déjà des projets, des bulletins ou des dépouillements : un fichier Pabulib ne s’importe que dans une enveloppe vide.',
    'error.code.participatory-budget.pabulib-invalid': 'Le fichier Pabulib a été refusé : rien n’a été importé.',
    'error.code.participatory-budget.pabulib-budget-mismatch':
      'Le budget du fichier Pabulib n’est pas le montant de l’enveloppe : rien n’a été importé.',
    'error.code.participatory-budget.pabulib-vote-type':
      'Le type de vote du fichier Pabulib ne convient pas au bulletin de l’enveloppe : rien n’a été importé.',
  },
  en: {
    'participatory-budget.pabulib-import.title': 'Import a Pabulib file — {campaign}',
    'participatory-budget.pabulib-import.link': 'Import an envelope’s projects and ballots from a Pabulib file (.pb)',
    'participatory-budget.pabulib-import.intro':
      'Load a past edition, or ballots counted elsewhere, into an empty envelope from a file in the Pabulib format (pabulib.org): its projects go on the ballot, its votes become anonymous confirmed ballots, and the results are computed, corrected and published here by the envelope’s rule.',
    'participatory-budget.pabulib-import.conditions':
      'The file’s budget must be the envelope’s amount, its vote type one the envelope’s ballot can hold, and the vote must not be under way. A file with any problem is refused whole: nothing is imported.',
    'participatory-budget.pabulib-import.envelope': 'Envelope',
    'participatory-budget.pabulib-import.envelopeOption': '{label} — {amount}',
    'participatory-budget.pabulib-import.prefix': 'Project code prefix (optional)',
    'participatory-budget.pabulib-import.prefixHint':
      'A project’s code is its id in the file, in lowercase, after this prefix (for instance “75111-”): codes must be unique within the campaign.',
    'participatory-budget.pabulib-import.file': 'Pabulib file (.pb)',
    'participatory-budget.pabulib-import.submit': 'Import',
    'participatory-budget.pabulib-import.missing': 'Choose a .pb file to import (20 MB at most).',
    'participatory-budget.pabulib-import.done':
      'File imported into the envelope “{envelope}”: {projects} project(s) and {ballots} ballot(s). Compute the results once the vote has closed.',
    'participatory-budget.pabulib-import.history': 'Imported files',
    'participatory-budget.pabulib-import.none': 'No file imported into this campaign.',
    'participatory-budget.pabulib-import.record':
      '{envelope}: “{file}” ({source}), {projects} project(s), {ballots} ballot(s), imported on {date}.',
    'participatory-budget.pabulib-import.rules':
      'The file’s rule: {fileRule}; the envelope’s rule, which computes the results: {envelopeRule}.',
    'participatory-budget.pabulib-import.threshold': 'The file’s vote threshold, applied by the greedy rules: {threshold}.',
    'participatory-budget.pabulib-import.results': 'Back to the results',
    'participatory-budget.pabulib-import.publicSource':
      '{ballots} ballot(s) counted elsewhere, imported from a file in the Pabulib format: {source}.',
    'participatory-budget.pabulib-import.line': 'Line {line}: {problem}',
    'participatory-budget.pabulib-import.problem.syntax': 'this is not a readable Pabulib file ({problem}).',
    'participatory-budget.pabulib-import.problem.budget':
      'the file’s budget ({file}) is not the envelope’s amount ({envelope}): import it into the envelope of that amount, or change the envelope’s amount first.',
    'participatory-budget.pabulib-import.problem.vote-type':
      'the file’s votes, of type “{file}”, cannot become ballots of the envelope (a “{envelope}” ballot).',
    'participatory-budget.pabulib-import.problem.no-projects': 'the file has no project.',
    'participatory-budget.pabulib-import.problem.project-code':
      'project “{id}” would get the code “{code}”, which is not valid (lowercase letters, digits and hyphens, at most 40 characters).',
    'participatory-budget.pabulib-import.problem.project-code-twice':
      'project “{id}” would get the same code as project “{other}” (codes do not tell upper and lower case apart).',
    'participatory-budget.pabulib-import.problem.project-code-taken':
      'the code “{code}” is already a project’s of the envelope “{envelope}”: give a code prefix.',
    'participatory-budget.pabulib-import.problem.project-cost':
      'project “{id}” costs {cost}: a cost is a whole number of units, at least 1.',
    'participatory-budget.pabulib-import.problem.points-missing':
      'the vote of voter “{voter}” gives none of the points a points ballot needs.',
    'participatory-budget.pabulib-import.problem.ballot': 'the vote of voter “{voter}” breaks the envelope’s rules: {detail}',
    'participatory-budget.pabulib-import.problem.more': 'And {count} more problem(s).',
    'error.code.participatory-budget.vote-open':
      'The vote of this campaign is under way: import the file before it opens or once it has closed.',
    'error.code.participatory-budget.envelope-not-empty':
      'This envelope already has projects, ballots or paper counts: a Pabulib file can only be imported into an empty envelope.',
    'error.code.participatory-budget.pabulib-invalid': 'The Pabulib file was refused: nothing was imported.',
    'error.code.participatory-budget.pabulib-budget-mismatch':
      'The Pabulib file’s budget is not the envelope’s amount: nothing was imported.',
    'error.code.participatory-budget.pabulib-vote-type':
      'The Pabulib file’s vote type does not suit the envelope’s ballot: nothing was imported.',
  },
};
