import type { Catalogue } from '../i18n/types.js';
import { agentMessages } from './agents/messages.js';
import { citizenMessages } from './citizens/messages.js';
import { privacyMessages } from './privacy/messages.js';

export const identityCatalogues: { owner: string; catalogue: Catalogue }[] = [
  { owner: 'identity:citizens', catalogue: citizenMessages },
  { owner: 'identity:agents', catalogue: agentMessages },
  { owner: 'identity:privacy', catalogue: privacyMessages },
];
