import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import type { Database, Db } from './db/database.js';
import type { DemandType } from './demands/types.js';
import type { Files } from './files/service.js';
import type { Districts } from './geo/districts.js';
import type { I18n } from './i18n/i18n.js';
import type { Jobs } from './jobs/jobs.js';
import type { Mailer } from './mail/mailer.js';
import type { AnyModule, PermissionDefinition } from './modules.js';
import type { WorkflowRegistry } from './workflow/registry.js';

/**
 * The services a module receives: everything it may use of the platform and of other modules.
 * Built once per process by `bootKernel` (src/kernel/boot.ts).
 */
export interface Kernel {
  config: Config;
  /** Folder of the configuration file (the city's logo and districts are relative to it). */
  baseDir: string;
  database: Database;
  db: Db;
  log: Logger;
  i18n: I18n;
  jobs: Jobs;
  files: Files;
  /** Sends a mail now; domain code queues mails with `queueMail` instead, in its transaction. */
  mailer: Mailer;
  districts: Districts;
  /** The enabled modules, dependencies first. */
  modules: readonly AnyModule[];
  /** Every permission that roles can grant: the kernel's and the enabled modules'. */
  permissions: readonly PermissionDefinition[];
  /** The enabled modules' workflow definitions (every version) and task types. */
  workflows: WorkflowRegistry;
  /** The enabled modules' demand types, by full type ("street-reports:report"). */
  demandTypes: ReadonlyMap<string, DemandType>;
  /** Shared by every process (stored in the database): signs CSRF tokens and other values. */
  secret: Buffer;
}
