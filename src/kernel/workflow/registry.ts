import type { DemandType } from '../demands/types.js';
import type { AnyModule } from '../modules.js';
import { parseWorkflow, type TaskHandler, type Workflow } from './definition.js';

/** Every workflow definition of the enabled modules, by code and version, and the task types. */
export interface WorkflowRegistry {
  /** The definition an item follows; throws for an unknown code or version. */
  get(code: string, version: number): Workflow;
  latest(code: string): Workflow;
  /** The latest version of each workflow. */
  all(): Workflow[];
  versions(code: string): Workflow[];
  /** Task types added by modules, by their full name ("street-reports:dispatch"). */
  taskHandlers: ReadonlyMap<string, TaskHandler>;
}

const BUILT_IN_TASKS = new Set(['notify', 'assign', 'webhook', 'deadline', 'anonymise', 'archive']);

/**
 * Validates the modules' workflows at start: a bad definition, a workflow not named after its
 * module, a duplicate version or a task type nobody declares stops the start with a clear message.
 */
export function buildWorkflowRegistry(modules: readonly AnyModule[]): WorkflowRegistry {
  const byCode = new Map<string, Workflow[]>();
  const taskHandlers = new Map<string, TaskHandler>();
  for (const mod of modules) {
    for (const [name, handler] of Object.entries(mod.taskTypes ?? {})) taskHandlers.set(`${mod.code}:${name}`, handler);
  }
  for (const mod of modules) {
    for (const definition of mod.workflows ?? []) {
      const wf = parseWorkflow(definition);
      if (!wf.code.startsWith(`${mod.code}:`))
        throw new Error(`Workflow "${wf.code}" of module "${mod.code}" must be named "${mod.code}:…".`);
      const versions = byCode.get(wf.code) ?? [];
      if (versions.some((v) => v.version === wf.version)) throw new Error(`Workflow "${wf.code}" declares version ${wf.version} twice.`);
      for (const [action, def] of Object.entries(wf.actions)) {
        for (const task of def.tasks) {
          if (!BUILT_IN_TASKS.has(task.type) && !taskHandlers.has(task.type)) {
            throw new Error(`Workflow "${wf.code}" action "${action}" uses task type "${task.type}", which no enabled module declares.`);
          }
        }
      }
      byCode.set(
        wf.code,
        [...versions, wf].sort((a, b) => a.version - b.version),
      );
    }
  }
  const versionsOf = (code: string) => {
    const versions = byCode.get(code);
    if (!versions) throw new Error(`Unknown workflow "${code}".`);
    return versions;
  };
  return {
    get(code, version) {
      const wf = versionsOf(code).find((v) => v.version === version);
      if (!wf) throw new Error(`Workflow "${code}" has no version ${version}.`);
      return wf;
    },
    latest: (code) => versionsOf(code).at(-1)!,
    all: () => [...byCode.values()].map((v) => v.at(-1)!),
    versions: versionsOf,
    taskHandlers,
  };
}

/** The demand types of the enabled modules, by full type ("street-reports:report"). */
export function buildDemandTypes(modules: readonly AnyModule[]): Map<string, DemandType> {
  const types = new Map<string, DemandType>();
  for (const mod of modules) {
    for (const def of mod.demandTypes ?? []) {
      if (!/^[A-Z]{2,6}$/.test(def.referencePrefix)) {
        throw new Error(`Demand type "${mod.code}:${def.code}": referencePrefix must be 2 to 6 uppercase letters.`);
      }
      types.set(`${mod.code}:${def.code}`, { ...def, module: mod.code, type: `${mod.code}:${def.code}` });
    }
  }
  return types;
}
