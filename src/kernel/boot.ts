import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { LoadedConfig } from './config/load.js';
import { coreMigrations } from './core/migrations.js';
import { sharedSecret } from './core/state.js';
import { openDatabase } from './db/database.js';
import { type AppliedMigration, type MigrationSet, migrate } from './db/migrator.js';
import { demandMessages } from './demands/messages.js';
import { demandsMigrations } from './demands/migrations.js';
import { filesMigrations } from './files/migrations.js';
import { createFiles } from './files/service.js';
import { localStorage } from './files/storage.js';
import { formsMessages } from './forms/messages.js';
import { formsMigrations } from './forms/migrations.js';
import { loadDistricts } from './geo/districts.js';
import { createI18n } from './i18n/i18n.js';
import { kernelMessages } from './i18n/messages.js';
import type { Catalogue } from './i18n/types.js';
import { identityCatalogues } from './identity/messages.js';
import { identityMigrations } from './identity/migrations.js';
import { kernelPermissions } from './identity/permissions.js';
import { createJobs } from './jobs/jobs.js';
import { jobsMigrations } from './jobs/migrations.js';
import type { Kernel } from './kernel.js';
import { kernelJobs, kernelSchedules } from './kernel-jobs.js';
import { createMailer } from './mail/mailer.js';
import { type AnyModule, moduleMigrationSets, resolveModules } from './modules.js';
import { notificationMessages } from './notifications/messages.js';
import { notificationsMigrations } from './notifications/migrations.js';
import { webhookMessages } from './webhooks/messages.js';
import { webhooksMigrations } from './webhooks/migrations.js';
import { workflowMessages } from './workflow/messages.js';
import { workflowMigrations } from './workflow/migrations.js';
import { buildDemandTypes, buildWorkflowRegistry } from './workflow/registry.js';

export const kernelMigrationSets: MigrationSet[] = [
  { owner: 'kernel:core', migrations: coreMigrations },
  { owner: 'kernel:identity', migrations: identityMigrations },
  { owner: 'kernel:jobs', migrations: jobsMigrations },
  filesMigrations,
  formsMigrations,
  webhooksMigrations,
  workflowMigrations,
  demandsMigrations,
  notificationsMigrations,
];

/** Every message catalogue: the kernel's, then each enabled module's. */
export function catalogues(modules: readonly AnyModule[]): { owner: string; catalogue: Catalogue }[] {
  return [
    { owner: 'kernel', catalogue: kernelMessages },
    ...identityCatalogues,
    { owner: 'kernel:forms', catalogue: formsMessages },
    { owner: 'kernel:notifications', catalogue: notificationMessages },
    { owner: 'kernel:webhooks', catalogue: webhookMessages },
    { owner: 'kernel:workflow', catalogue: workflowMessages },
    { owner: 'kernel:demands', catalogue: demandMessages },
    ...modules.filter((m) => m.messages).map((m) => ({ owner: m.code, catalogue: m.messages! })),
  ];
}

export interface BootOptions {
  loaded: LoadedConfig;
  /** Every module this build knows; the configuration enables some of them. */
  catalogue: readonly AnyModule[];
  log?: Logger;
  /** Apply pending migrations (start-up and `civitas migrate` do; a worker-only process may not). */
  migrate?: boolean;
  /** PostgreSQL schema (tests). */
  schema?: string;
}

export interface Booted {
  kernel: Kernel;
  applied: AppliedMigration[];
  close(): Promise<void>;
}

/** Validates each enabled module's settings against its own schema, with a message naming the module. */
function moduleSettings(modules: readonly AnyModule[], raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const mod of modules) {
    if (!mod.settings) continue;
    const parsed = mod.settings.safeParse(raw[mod.code] ?? {});
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  - moduleSettings.${mod.code}.${i.path.join('.')}: ${i.message}`);
      throw new Error(`Invalid settings for module "${mod.code}":\n${lines.join('\n')}`);
    }
    out[mod.code] = parsed.data;
  }
  return out;
}

/** config → modules → database → migrations → services: everything but HTTP and workers. */
export async function bootKernel(options: BootOptions): Promise<Booted> {
  const { config, baseDir } = options.loaded;
  const log = options.log ?? pino({ level: config.logLevel });
  const modules = resolveModules(options.catalogue, config.modules);
  config.moduleSettings = { ...config.moduleSettings, ...moduleSettings(modules, config.moduleSettings) };
  const i18n = createI18n(catalogues(modules), config.city.defaultLanguage);
  const districts = loadDistricts(config.city, baseDir);
  const workflows = buildWorkflowRegistry(modules);
  const demandTypes = buildDemandTypes(modules);

  const database = openDatabase({ url: config.databaseUrl, sqliteFile: join(config.dataDir, 'civitas.db'), schema: options.schema });
  try {
    const applied = options.migrate === false ? [] : await migrate(database, [...kernelMigrationSets, ...moduleMigrationSets(modules)]);
    const secret = await sharedSecret(database.db);
    const files = createFiles({
      db: database.db,
      storage: localStorage(join(config.dataDir, 'files')),
      maxBytes: config.limits.uploadBytes,
      maxPixels: config.limits.imagePixels,
    });

    const handlers = new Map(Object.entries(kernelJobs));
    const subscribers = new Map<string, string[]>();
    const schedules = kernelSchedules.map((s) => ({ ...s, jobName: s.job }));
    for (const mod of modules) {
      for (const [name, handler] of Object.entries(mod.jobs ?? {})) handlers.set(`${mod.code}:${name}`, handler);
      for (const s of mod.schedules ?? []) schedules.push({ ...s, name: `${mod.code}:${s.name}`, jobName: `${mod.code}:${s.job}` });
      for (const rule of mod.retention ?? []) {
        const jobName = `${mod.code}:retention:${rule.name}`;
        handlers.set(jobName, async (_payload, { kernel: k, log: jobLog }) => {
          const removed = await rule.apply(k, new Date(Date.now() - rule.days * 24 * 3600 * 1000));
          jobLog.info({ module: mod.code, rule: rule.name, removed }, 'retention rule applied');
        });
        schedules.push({ name: jobName, cron: '30 3 * * *', job: jobName, jobName });
      }
      for (const sub of mod.subscribers ?? []) {
        const jobName = `${mod.code}:on:${sub.event}:${sub.name}`;
        handlers.set(jobName, sub.handler);
        subscribers.set(sub.event, [...(subscribers.get(sub.event) ?? []), jobName]);
      }
    }
    for (const s of schedules) {
      if (!handlers.has(s.jobName)) throw new Error(`Schedule "${s.name}" names job "${s.jobName}", which no module declares.`);
    }
    const kernel: Kernel = {
      config,
      baseDir,
      database,
      db: database.db,
      log,
      i18n,
      files,
      mailer: createMailer(config, log),
      districts,
      modules,
      permissions: [...kernelPermissions, ...modules.flatMap((m) => m.permissions ?? [])],
      secret,
      workflows,
      demandTypes,
      jobs: undefined as unknown as Kernel['jobs'],
    };
    kernel.jobs = createJobs({
      db: database.db,
      engine: database.engine,
      log,
      handlers,
      subscribers,
      schedules,
      leaseSeconds: config.jobs.leaseSeconds,
      concurrency: config.jobs.concurrency,
      pollMs: config.jobs.pollMs,
      contextKernel: () => kernel,
    });
    return { kernel, applied, close: () => database.close() };
  } catch (err) {
    await database.close();
    throw err;
  }
}
