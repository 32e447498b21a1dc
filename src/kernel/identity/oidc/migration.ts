import type { Migration } from '../../db/migrator.js';

/** One OpenID Connect login under way: what the callback must check, kept server-side so any process can finish the flow. */
export interface OidcLoginStatesTable {
  /** sha256 of the `state` sent to the provider. */
  id: string;
  nonce: string;
  code_verifier: string;
  /** Local path to return to after login. */
  next_path: string;
  expires_at: string;
  created_at: string;
}

declare module '../../db/schema.js' {
  interface Tables {
    oidc_login_states: OidcLoginStatesTable;
  }
}

export const oidcLoginStatesMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('oidc_login_states')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('next_path', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oidc_login_states_expires').on('oidc_login_states').column('expires_at').execute();
  },
};
