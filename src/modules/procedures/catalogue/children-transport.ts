import type { Row } from '../../../kernel/forms/index.js';
import { defineForm } from '../../../kernel/forms/index.js';
import type { EligibilityNote, Procedure } from '../procedure.js';

const text = (fr: string, en: string) => ({ fr, en });

/** 1 September of the school year under way on `today` (YYYY-MM-DD). */
export function schoolYearStart(today: string): string {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '09-01' ? `${year}-09-01` : `${year - 1}-09-01`;
}

/** Age in whole years on `date` of someone born on `birth` (both YYYY-MM-DD). */
export function ageOn(birth: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birth.slice(0, 4));
  return date.slice(5) >= birth.slice(5) ? years : years - 1;
}

/**
 * Paris's free transport for children (voted June 2019): the city refunds the school travel pass of
 * children aged 4 to 11 on 1 September of the school year who live in Paris. One application per
 * paying parent, one row per child, the payer's IBAN and a proof of address.
 */
export const childrenTransport: Procedure = {
  code: 'transport-enfants',
  title: text('Remboursement du passe Navigo des enfants de 4 à 11 ans', 'Refund of the travel pass of children aged 4 to 11'),
  summary: text(
    'La ville rembourse le passe de transport scolaire des enfants parisiens de 4 à 11 ans.',
    'The city refunds the school travel pass of Paris children aged 4 to 11.',
  ),
  description: [
    text(
      'Pour les enfants qui habitent à Paris, ont de 4 à 11 ans au 1er septembre de l’année scolaire et sont titulaires du passe scolaire (Imagine R Junior ou Navigo Junior).',
      'For children who live in Paris, are 4 to 11 years old on 1 September of the school year, and hold the school travel pass (Imagine R Junior or Navigo Junior).',
    ),
    text(
      'Le parent qui paie le passe en fait la demande ; en garde alternée, le parent parisien. Ayez à portée de main le numéro de contrat du passe, l’IBAN du payeur et un justificatif de domicile.',
      'The parent who pays for the pass applies; in shared custody, the parent living in Paris. Have at hand the pass contract number, the payer’s IBAN and a proof of address.',
    ),
    text(
      'Le remboursement est versé environ deux mois après l’acceptation. Vous suivez votre demande et échangez avec les services depuis « Mes demandes ».',
      'The refund is paid about two months after acceptance. You follow your application and write to the services from “My requests”.',
    ),
  ],
  form(districts) {
    return defineForm({
      code: 'procedures:transport-enfants',
      version: 1,
      title: text('Remboursement du passe des enfants', 'Children’s travel pass refund'),
      steps: [
        {
          code: 'payer',
          title: text('Le payeur', 'The payer'),
          fields: [
            {
              type: 'text',
              code: 'given_name',
              label: text('Prénom', 'First name'),
              required: true,
              maxLength: 100,
              autocomplete: 'given-name',
            },
            {
              type: 'text',
              code: 'family_name',
              label: text('Nom', 'Last name'),
              required: true,
              maxLength: 100,
              autocomplete: 'family-name',
            },
            { type: 'phone', code: 'phone', label: text('Téléphone', 'Phone'), autocomplete: 'tel' },
            { type: 'address', code: 'address', label: text('Adresse à Paris', 'Address in Paris'), required: true, point: 'none' },
            {
              type: 'choice',
              code: 'district',
              label: text('Arrondissement', 'Arrondissement'),
              required: true,
              display: 'select',
              options: districts.map((d) => ({ value: d.code, label: { fr: d.name, en: d.name } })),
            },
            {
              type: 'yesno',
              code: 'shared_custody',
              label: text('Les enfants sont-ils en garde alternée ?', 'Are the children in shared custody?'),
              required: true,
            },
            {
              type: 'explanation',
              code: 'custody_rule',
              text: text(
                'En garde alternée, c’est le parent qui habite à Paris qui fait la demande.',
                'In shared custody, the parent who lives in Paris applies.',
              ),
              when: { field: 'shared_custody', op: 'eq', value: true },
            },
          ],
        },
        {
          code: 'children',
          title: text('Les enfants', 'The children'),
          fields: [
            {
              type: 'group',
              code: 'children',
              label: text('Enfants', 'Children'),
              rowLabel: text('Enfant {n}', 'Child {n}'),
              min: 1,
              max: 6,
              fields: [
                { type: 'text', code: 'name', label: text('Prénom et nom', 'First and last name'), required: true, maxLength: 150 },
                { type: 'date', code: 'birth_date', label: text('Date de naissance', 'Date of birth'), required: true, max: 'today' },
                {
                  type: 'choice',
                  code: 'pass',
                  label: text('Passe', 'Pass'),
                  required: true,
                  options: [
                    { value: 'imagine-r-junior', label: text('Imagine R Junior', 'Imagine R Junior') },
                    { value: 'navigo-junior', label: text('Navigo Junior', 'Navigo Junior') },
                  ],
                },
                {
                  type: 'text',
                  code: 'contract',
                  label: text('Numéro de contrat du passe', 'Pass contract number'),
                  required: true,
                  pattern: { regex: '\\d{8}', message: text('Écrivez les 8 chiffres du contrat.', 'Write the 8 digits of the contract.') },
                },
              ],
            },
          ],
        },
        {
          code: 'refund',
          title: text('Remboursement', 'Refund'),
          fields: [
            {
              type: 'decimal',
              code: 'amount',
              label: text('Montant payé pour l’année (€)', 'Amount paid for the year (€)'),
              scale: 2,
              min: 1,
              max: 350,
              required: true,
            },
            { type: 'iban', code: 'iban', label: text('IBAN du payeur', 'Payer’s IBAN'), required: true },
            {
              type: 'file',
              code: 'proof_of_address',
              label: text('Justificatif de domicile de moins de 3 mois', 'Proof of address less than 3 months old'),
              hint: text('Facture, avis d’imposition… en PDF ou en photo.', 'A bill, a tax notice… as a PDF or a photo.'),
              required: true,
              max: 2,
            },
          ],
        },
      ],
    });
  },
  unitFor: (data, cityUnit) => (typeof data.district === 'string' ? `mairie-${data.district}` : cityUnit),
  titleFor(data) {
    const count = Array.isArray(data.children) ? data.children.length : 0;
    return text(`Passe des enfants (${count} enfant${count > 1 ? 's' : ''})`, `Children’s pass (${count} child${count > 1 ? 'ren' : ''})`);
  },
  eligibility(data, today) {
    const start = schoolYearStart(today);
    const notes: EligibilityNote[] = (Array.isArray(data.children) ? (data.children as Row[]) : []).map((child) => {
      const age = ageOn(String(child.birth_date), start);
      const name = String(child.name);
      return {
        passed: age >= 4 && age <= 11,
        text: text(
          `${name} : ${age} ans au ${start.split('-').reverse().join('/')} (4 à 11 ans requis)`,
          `${name}: ${age} on ${start} (4 to 11 required)`,
        ),
      };
    });
    notes.push({
      passed: typeof data.district === 'string',
      text: text('Adresse dans un arrondissement de Paris', 'Address in a Paris arrondissement'),
    });
    return notes;
  },
};
