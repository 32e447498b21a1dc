import type { DemandTypeDefinition } from '../../../kernel/demands/types.js';
import { MODERATE_PERMISSION } from './access.js';

/** A resident's proposal on their dashboard ("BP-2026-000012"); agents reach it from the 360° view. */
export const proposalDemandType: DemandTypeDefinition = {
  code: 'proposal',
  label: { fr: 'Proposition au budget participatif', en: 'Participatory budget proposal' },
  permission: MODERATE_PERMISSION,
  referencePrefix: 'BP',
  // The subject is "participatory-budget:proposal:<campaign>:<id>".
  agentLink: (subject) => {
    const [, , campaign, id] = subject.split(':');
    return `/admin/budget/${campaign}/proposals/${id}`;
  },
};
