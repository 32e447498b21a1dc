import type { FastifyInstance } from 'fastify';
import type { ZodType } from 'zod';
import type { Migration, MigrationSet } from './db/migrator.js';
import type { Trx } from './db/transaction.js';
import type { DemandTypeDefinition } from './demands/types.js';
import type { Catalogue } from './i18n/types.js';
import type { PermissionRule } from './identity/authorization.js';
import type { JobHandler, ScheduleDefinition, SubscriberDefinition } from './jobs/types.js';
import type { Kernel } from './kernel.js';
import type { TaskHandler, WorkflowDefinition } from './workflow/definition.js';

/** A permission a module declares; roles (identity) are sets of these codes. */
export interface PermissionDefinition {
  code: string;
  description: string;
}

/** An entry of the public or back-office navigation; `label` is a message key. */
export interface NavigationEntry {
  href: string;
  label: string;
  /** Message key of a one-line description, shown on the home page's service cards. */
  description?: string;
  order?: number;
  /** Shown only to actors holding this permission, or one of these (back-office entries). */
  permission?: PermissionRule;
}

/**
 * What a module contributes, declared in one place (its `module.ts`). The kernel reads nothing else
 * of the module: a disabled module contributes no table, route, menu entry, job or message.
 */
export interface ModuleManifest<Settings = unknown> {
  /** Stable code, used in configuration: lowercase letters, digits and dashes. */
  code: string;
  /** Modules that must be enabled too; they start (and migrate) first. */
  dependsOn?: string[];
  /** Schema of the module's settings in the city configuration (`moduleSettings.<code>`). */
  settings?: ZodType<Settings>;
  migrations?: Record<string, Migration>;
  permissions?: PermissionDefinition[];
  messages?: Catalogue;
  /** Public menu, back-office menu, and footer links (legal pages). */
  navigation?: { public?: NavigationEntry[]; admin?: NavigationEntry[]; footer?: NavigationEntry[] };
  /** HTTP routes (pages and JSON API), registered in the module's own encapsulated Fastify scope. */
  routes?: (app: FastifyInstance, kernel: Kernel, settings: Settings) => void | Promise<void>;
  jobs?: Record<string, JobHandler>;
  /** Workflow definitions ("<module>:<name>"), every version still followed by some item. */
  workflows?: WorkflowDefinition[];
  /** Task types the module adds to workflows, named "<module>:<key>" in definitions. */
  taskTypes?: Record<string, TaskHandler>;
  /**
   * Called in the transaction of every transition of the module's workflows (after the tasks), so
   * the module keeps its own rows in step with the item (a state copied for its map, a closing date).
   */
  onTransition?: (trx: Trx, kernel: Kernel, change: TransitionChange) => Promise<void>;
  /** Kinds of resident demands the module registers on the dashboard. */
  demandTypes?: DemandTypeDefinition[];
  schedules?: ScheduleDefinition[];
  subscribers?: SubscriberDefinition[];
  /** What personal data the module keeps, why and how long; each rule runs daily and deletes what is past due. */
  retention?: RetentionRule[];
  /** A resident's data held by the module: exported on request, erased or anonymised when they delete their account. */
  personalData?: PersonalDataHandler;
  /** Seeds the demo city on an empty database; must be idempotent-safe to skip when data exists. */
  demo?: (kernel: Kernel, settings: Settings) => Promise<void>;
  /** Commands the module adds to the command line (`civitas <name> …`). */
  commands?: Record<string, ModuleCommand>;
}

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * A `civitas <name> …` command of a module. It runs with a booted kernel, and only when the city
 * enables the module; a `standalone` one boots nothing and runs whatever the city enables, because it
 * only reads its arguments and files and touches no city's data (a calculator, a file converter).
 */
export type ModuleCommand = KernelCommand | StandaloneCommand;

export interface KernelCommand {
  /** One line for `civitas --help`. */
  summary: string;
  /** Shown by `civitas <name> --help`. */
  usage: string;
  standalone?: false;
  /** `args` follow the command's name. A thrown Error's message is shown and the exit status is 2. */
  run(kernel: Kernel, args: string[], io: CommandIo): Promise<void>;
}

export interface StandaloneCommand {
  summary: string;
  usage: string;
  standalone: true;
  run(args: string[], io: CommandIo): Promise<void>;
}

export interface RetentionRule {
  /** Stable name, unique within the module ("feedback"). */
  name: string;
  /** Message keys shown on the privacy page: what is kept, and why. */
  what: string;
  why: string;
  days: number;
  /** Deletes (or anonymises) what was created before `before`; returns how many items. */
  apply(kernel: Kernel, before: Date): Promise<number>;
}

export interface PersonalDataHandler {
  export(kernel: Kernel, accountId: string): Promise<Record<string, unknown>>;
  /** Runs inside the account-deletion transaction: public contributions are kept without the name. */
  erase(trx: Trx, accountId: string): Promise<void>;
}

/** What `onTransition` receives: the item after the transition, and what happened to it. */
export interface TransitionChange {
  item: import('./workflow/items.js').WorkflowItem;
  action: string;
  from: string;
  to: string;
}

/** One handler from several parts of a module: their exports side by side, their erasures one after the other. */
export function combinePersonalData(...handlers: PersonalDataHandler[]): PersonalDataHandler {
  return {
    async export(kernel, accountId) {
      const parts = await Promise.all(handlers.map((h) => h.export(kernel, accountId)));
      return Object.assign({}, ...parts);
    },
    async erase(trx, accountId) {
      for (const h of handlers) await h.erase(trx, accountId);
    },
  };
}

export function defineModule<Settings = unknown>(manifest: ModuleManifest<Settings>): ModuleManifest<Settings> {
  return manifest;
}

export type AnyModule = ModuleManifest<any>;

/**
 * Picks the enabled modules out of the catalogue and orders them so every module comes after the
 * modules it depends on. Throws a message a city administrator can act on.
 */
export function resolveModules(catalogue: readonly AnyModule[], enabled: readonly string[]): AnyModule[] {
  const byCode = new Map(catalogue.map((m) => [m.code, m]));
  for (const code of enabled) {
    if (!byCode.has(code)) {
      throw new Error(`Unknown module "${code}" in configuration "modules". Available modules: ${[...byCode.keys()].sort().join(', ')}.`);
    }
  }
  const enabledSet = new Set(enabled);
  const ordered: AnyModule[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (code: string, path: string[]) => {
    const mark = state.get(code);
    if (mark === 'done') return;
    if (mark === 'visiting') throw new Error(`Modules depend on each other in a cycle: ${[...path, code].join(' → ')}.`);
    state.set(code, 'visiting');
    const mod = byCode.get(code) as AnyModule;
    for (const dep of mod.dependsOn ?? []) {
      if (!byCode.has(dep)) throw new Error(`Module "${code}" depends on "${dep}", which does not exist.`);
      if (!enabledSet.has(dep)) {
        throw new Error(`Module "${code}" depends on "${dep}", which is not enabled: add "${dep}" to "modules" or remove "${code}".`);
      }
      visit(dep, [...path, code]);
    }
    state.set(code, 'done');
    ordered.push(mod);
  };
  for (const code of enabled) visit(code, []);
  return ordered;
}

export function moduleMigrationSets(modules: readonly AnyModule[]): MigrationSet[] {
  return modules.filter((m) => m.migrations).map((m) => ({ owner: `module:${m.code}`, migrations: m.migrations ?? {} }));
}
