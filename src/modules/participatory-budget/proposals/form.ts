import type { AddressAnswer } from '../../../kernel/forms/index.js';
import {
  defineForm,
  type FormData,
  type FormDefinition,
  type FormError,
  type RawValues,
  validateForm,
} from '../../../kernel/forms/index.js';
import type { FieldProblem } from '../../../kernel/http/errors.js';
import type { I18n } from '../../../kernel/i18n/i18n.js';
import type { Campaign } from '../campaigns/store.js';
import { COAUTHORS_MAX, COST_MAX, DESCRIPTION_MAX, type NewProposal, TITLE_MAX } from './submit.js';

const both = (i18n: I18n, key: string) => ({ fr: i18n.t('fr', key), en: i18n.t('en', key) });

/**
 * The proposal form of a campaign, for the forms engine: its themes and envelopes are the campaign's
 * own, so the definition is made per campaign (and revision: a theme added shows at once).
 */
const made = new Map<string, { revision: number; form: FormDefinition }>();
export function proposalForm(i18n: I18n, campaign: Campaign): FormDefinition {
  const cached = made.get(campaign.id);
  if (cached?.revision === campaign.revision) return cached.form;
  const label = (name: string) => both(i18n, `participatory-budget.propose.${name}`);
  const form = defineForm({
    code: 'participatory-budget:proposal',
    version: 1,
    title: campaign.title,
    steps: [
      {
        code: 'proposal',
        title: label('title'),
        fields: [
          { type: 'text', code: 'title', label: label('field.title'), required: true, maxLength: TITLE_MAX },
          {
            type: 'textarea',
            code: 'description',
            label: label('field.description'),
            hint: label('field.descriptionHint'),
            required: true,
            maxLength: DESCRIPTION_MAX,
          },
          {
            type: 'integer',
            code: 'cost',
            label: label('field.cost'),
            hint: label('field.costHint'),
            required: true,
            min: 1,
            max: COST_MAX,
          },
          {
            type: 'choice',
            code: 'theme',
            label: label('field.theme'),
            required: true,
            display: 'select',
            options: campaign.themes.map((t) => ({ value: t.code, label: t.label })),
          },
          {
            type: 'choice',
            code: 'envelope',
            label: label('field.envelope'),
            hint: label('field.envelopeHint'),
            required: true,
            display: 'select',
            options: campaign.envelopes.map((e) => ({ value: e.code, label: e.label })),
          },
          { type: 'address', code: 'place', label: label('field.place'), hint: label('field.placeHint'), point: 'optional' },
          { type: 'text', code: 'coauthors', label: label('field.coauthors'), hint: label('field.coauthorsHint'), maxLength: 600 },
        ],
      },
    ],
  });
  made.set(campaign.id, { revision: campaign.revision, form });
  return form;
}

/** The posted answers checked by the forms engine, as the domain's input (without author and images). */
export function proposalAnswers(
  form: FormDefinition,
  raw: RawValues,
): { input: Omit<NewProposal, 'accountId' | 'imageIds'> | null; errors: FormError[]; data: FormData } {
  const result = validateForm(form, raw);
  if (result.errors.length) return { input: null, errors: result.errors, data: result.data };
  const d = result.data;
  const place = d.place as AddressAnswer | undefined;
  const coauthors = String(d.coauthors ?? '')
    .split(/[\s,;]+/)
    .filter(Boolean)
    .slice(0, COAUTHORS_MAX + 1);
  return {
    input: {
      title: String(d.title),
      description: String(d.description),
      cost: Number(d.cost),
      theme: String(d.theme),
      envelope: String(d.envelope),
      address: place?.text || null,
      point: place?.point ?? null,
      coauthorEmails: coauthors,
    },
    errors: [],
    data: d,
  };
}

/** The domain's refusals (message keys) as the forms engine's errors, shown by each field. */
export function domainErrors(i18n: I18n, problems: readonly FieldProblem[]): FormError[] {
  return problems.map((p) => ({ field: p.field, code: 'domain', message: both(i18n, p.message) }));
}
