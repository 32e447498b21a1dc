import type { Kernel } from '../../../kernel/kernel.js';
import type { KernelCommand } from '../../../kernel/modules.js';
import { createKey, listKeys, revokeKey } from './keys.js';

const USAGE = `Usage: civitas open311 create-key NAME
       civitas open311 revoke-key ID_OR_NAME
       civitas open311 keys

create-key prints a new key for the Open311 client application NAME ("iOS app"); it is shown only
this once (only its hash is kept). revoke-key revokes a key by its id, or by the name of a single
active key. keys lists the keys.`;

const CLI = { actor: { kind: 'system', label: 'cli' }, ip: null } as const;

/** `civitas open311 …`: Open311 keys from the command line, as administrators issue them in the back office. */
export const open311Command: KernelCommand = {
  summary: 'issue, revoke or list Open311 API keys (street reports)',
  usage: USAGE,
  async run(kernel: Kernel, args, io) {
    const [action, ...words] = args;
    const name = words.join(' ').trim();
    if (action === 'create-key' && name) {
      const { id, key } = await createKey(kernel.db, CLI, name);
      io.err(`Open311 key ${id} issued for "${name}". It is shown only now:\n`);
      io.out(`${key}\n`);
    } else if (action === 'revoke-key' && name) {
      const key = await revokeKey(kernel.db, CLI, name);
      io.out(`Open311 key ${key.id} ("${key.name}") revoked.\n`);
    } else if (action === 'keys' && !name) {
      const keys = await listKeys(kernel.db);
      io.out(
        keys.length
          ? `${keys.map((k) => `${k.id}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.name}`).join('\n')}\n`
          : 'No Open311 key has been issued.\n',
      );
    } else throw new Error(`usage:\n${USAGE}`);
  },
};
