import { h } from 'preact';
import sharp from 'sharp';
import { newId, toJson } from '../../src/kernel/db/values.js';
import { defineForm } from '../../src/kernel/forms/definition.js';
import { mountFormFlow } from '../../src/kernel/forms/flow.js';
import { defineModule } from '../../src/kernel/modules.js';

/** A procedure like Paris's children's transport refund: conditions, a repeated group, an IBAN and an upload. */
export const transportForm = defineForm({
  code: 'forms-test:transport',
  version: 1,
  title: { fr: 'Remboursement du passe des enfants', en: 'Children’s pass refund' },
  steps: [
    {
      code: 'applicant',
      title: { fr: 'Vous', en: 'About you' },
      fields: [
        { type: 'text', code: 'given_name', label: { fr: 'Prénom', en: 'First name' }, required: true, autocomplete: 'given-name' },
        { type: 'email', code: 'email', label: { fr: 'Adresse e-mail', en: 'E-mail address' }, required: true },
        {
          type: 'yesno',
          code: 'has_children',
          label: { fr: 'Avez-vous des enfants de 4 à 11 ans ?', en: 'Do you have children aged 4 to 11?' },
          required: true,
        },
      ],
    },
    {
      code: 'children',
      title: { fr: 'Vos enfants', en: 'Your children' },
      when: { field: 'has_children', op: 'eq', value: true },
      fields: [
        {
          type: 'group',
          code: 'children',
          label: { fr: 'Enfants', en: 'Children' },
          rowLabel: { fr: 'Enfant {n}', en: 'Child {n}' },
          min: 1,
          max: 4,
          fields: [
            { type: 'text', code: 'name', label: { fr: 'Nom de l’enfant', en: 'Child’s name' }, required: true },
            { type: 'date', code: 'birth_date', label: { fr: 'Date de naissance', en: 'Date of birth' }, required: true, max: 'today' },
            {
              type: 'text',
              code: 'contract',
              label: { fr: 'Numéro de contrat du passe', en: 'Pass contract number' },
              pattern: {
                regex: '\\d{8}',
                message: { fr: 'Écrivez les 8 chiffres du contrat.', en: 'Write the 8 digits of the contract.' },
              },
            },
          ],
        },
      ],
    },
    {
      code: 'payment',
      title: { fr: 'Remboursement', en: 'Refund' },
      fields: [
        { type: 'iban', code: 'iban', label: { fr: 'IBAN du payeur', en: 'Payer’s IBAN' }, required: true },
        {
          type: 'decimal',
          code: 'amount',
          label: { fr: 'Montant payé (€)', en: 'Amount paid (€)' },
          scale: 2,
          min: 0,
          max: 350,
          required: true,
        },
        { type: 'photo', code: 'proof', label: { fr: 'Justificatif de domicile', en: 'Proof of address' }, required: true, max: 2 },
        { type: 'yesno', code: 'shared_custody', label: { fr: 'Garde alternée ?', en: 'Shared custody?' } },
        {
          type: 'textarea',
          code: 'custody_note',
          label: { fr: 'Précisez l’organisation de la garde', en: 'Describe the custody arrangement' },
          required: true,
          when: { field: 'shared_custody', op: 'eq', value: true },
        },
      ],
    },
  ],
});

export interface Submission {
  id: string;
  account_id: string;
  data: string;
}

/** Mounts the form at /forms-test/transport; a sent form becomes a row of `forms_test_submissions`. */
export const formsTestModule = defineModule({
  code: 'forms-test',
  migrations: {
    '0001_submissions': {
      up: (db) =>
        db.schema
          .createTable('forms_test_submissions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .execute(),
    },
  },
  async routes(app, kernel) {
    await mountFormFlow(app, kernel, {
      form: transportForm,
      basePath: '/forms-test/transport',
      access: { auth: 'citizen' },
      async onSubmit(trx, submission) {
        const id = newId();
        await kernel.files.attach(trx, submission.fileIds, `forms-test:submission:${id}`);
        await (trx as any)
          .insertInto('forms_test_submissions')
          .values({ id, account_id: submission.actor.account.id, data: toJson(submission.data) })
          .execute();
        return { redirect: `/forms-test/done/${id}` };
      },
    });
    app.get('/forms-test/done/:id', { config: { auth: 'citizen' } }, async (_request, reply) => reply.page('Done', h('p', null, 'Sent')));
  },
});

/** A small real PNG (a red square). */
export function pngFixture(): Promise<Buffer> {
  return sharp({ create: { width: 24, height: 24, channels: 3, background: '#c00000' } })
    .png()
    .toBuffer();
}
