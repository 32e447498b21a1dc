/** Path parameters of the back office, refused by their schema before any handler runs. */
const ID = { type: 'string', pattern: '^[0-9a-f]{28}$' } as const;
const CODE = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } as const;

export const idParams = { type: 'object', properties: { id: ID }, required: ['id'] } as const;
export const codeParams = { type: 'object', properties: { code: CODE }, required: ['code'] } as const;
export const grantParams = { type: 'object', properties: { id: ID, grantId: ID }, required: ['id', 'grantId'] } as const;
