import type { Generated } from 'kysely';
import type { Migration } from '../db/migrator.js';
import { oidcLoginStatesMigration } from './oidc/migration.js';

export interface AccountsTable {
  id: string;
  kind: 'citizen' | 'agent';
  email: string;
  password_hash: string | null;
  display_name: string;
  is_admin: Generated<number>;
  status: Generated<'active' | 'disabled' | 'deleted'>;
  email_verified_at: string | null;
  preferred_lang: string | null;
  /** JSON array of channel codes the person accepts notifications on ("email", "dashboard", "sms"). */
  notify_channels: Generated<string>;
  totp_secret: string | null;
  totp_enabled_at: string | null;
  /** JSON array of hashed single-use recovery codes. */
  recovery_codes: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One identity attribute with where it comes from and how sure we are of it. */
export interface IdentityAttributesTable {
  account_id: string;
  name: string;
  value: string;
  /** "self", "email", or "oidc:<issuer>". */
  source: string;
  /** Assurance: 100 self-declared, 200 e-mail verified, 600 identity provider (Lutece's scale). */
  level: number;
  updated_at: string;
}

export interface OidcLinksTable {
  issuer: string;
  subject: string;
  account_id: string;
  acr: string | null;
  created_at: string;
  last_login_at: string;
}

export interface SessionsTable {
  /** sha256 of the cookie's token: a leaked database does not leak usable sessions. */
  id: string;
  account_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string;
  user_agent: string;
  /** 1 once the second factor was checked in this session (agents). */
  mfa_passed: Generated<number>;
  /** Authentication method: "password", "oidc:<issuer>". */
  method: string;
  acr: string | null;
}

export interface UnitsTable {
  code: string;
  parent_code: string | null;
  /** Codes from the root to this unit, slash-separated and slash-ended ("/paris/mairie-11/"). */
  path: string;
  name_fr: string;
  name_en: string;
  /** Optional district this unit covers (its code in the city's districts file). */
  district_code: string | null;
  created_at: string;
}

export interface RolesTable {
  code: string;
  name_fr: string;
  name_en: string;
  /** JSON array of permission codes. */
  permissions: string;
  created_at: string;
  updated_at: string;
}

export interface GrantsTable {
  id: string;
  account_id: string;
  role_code: string;
  unit_code: string;
  granted_by: string | null;
  created_at: string;
}

export interface AccountTokensTable {
  /** sha256 of the token sent by mail. */
  id: string;
  account_id: string;
  purpose: 'verify-email' | 'reset-password';
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  unit_code: string | null;
  ip: string | null;
  /** JSON object with what changed. */
  details: string;
}

declare module '../db/schema.js' {
  interface Tables {
    accounts: AccountsTable;
    identity_attributes: IdentityAttributesTable;
    oidc_links: OidcLinksTable;
    sessions: SessionsTable;
    units: UnitsTable;
    roles: RolesTable;
    grants: GrantsTable;
    account_tokens: AccountTokensTable;
    audit_log: AuditLogTable;
  }
}

export const identityMigrations: Record<string, Migration> = {
  '0001_identity': {
    async up(db) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('email_verified_at', 'text')
        .addColumn('preferred_lang', 'text')
        .addColumn('notify_channels', 'text', (c) => c.notNull().defaultTo('["email","dashboard"]'))
        .addColumn('totp_secret', 'text')
        .addColumn('totp_enabled_at', 'text')
        .addColumn('recovery_codes', 'text')
        .addColumn('last_login_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // One account per e-mail and kind: a resident may also be an agent, with separate accounts.
      await db.schema.createIndex('accounts_kind_email').unique().on('accounts').columns(['kind', 'email']).execute();

      await db.schema
        .createTable('identity_attributes')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('identity_attributes_pk', ['account_id', 'name'])
        .execute();

      await db.schema
        .createTable('oidc_links')
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('acr', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_login_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('oidc_links_pk', ['issuer', 'subject'])
        .execute();
      await db.schema.createIndex('oidc_links_account').on('oidc_links').column('account_id').execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('mfa_passed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('acr', 'text')
        .execute();
      await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute();

      await db.schema
        .createTable('units')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('parent_code', 'text')
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('name_fr', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('district_code', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('units_path').on('units').column('path').execute();

      await db.schema
        .createTable('roles')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name_fr', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('grants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('role_code', 'text', (c) => c.notNull())
        .addColumn('unit_code', 'text', (c) => c.notNull())
        .addColumn('granted_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('grants_unique').unique().on('grants').columns(['account_id', 'role_code', 'unit_code']).execute();

      await db.schema
        .createTable('account_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text')
        .addColumn('resource_id', 'text')
        .addColumn('unit_code', 'text')
        .addColumn('ip', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'at']).execute();
    },
  },
  '0002_oidc_login_states': oidcLoginStatesMigration,
};
