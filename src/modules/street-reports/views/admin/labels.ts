import type { Kernel } from '../../../../kernel/kernel.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Choice } from '../../../../kernel/ui/fields.js';
import type { CategoryTree } from '../../domain/categories.js';
import { PRIORITIES } from '../../domain/queue.js';

/** What the back-office views need to name codes in the agent's language. */
export interface Names {
  category(code: string): string;
  /** Root › family › leaf. */
  categoryPath(code: string): string;
  state(code: string): string;
  district(code: string): string;
  priority(p: number): string;
}

export function namesOf(kernel: Kernel, categories: CategoryTree, ctx: ViewContext): Names {
  const wf = kernel.workflows.latest('street-reports:report');
  const category = (code: string) => categories.byCode.get(code)?.label[ctx.lang] ?? code;
  return {
    category,
    categoryPath: (code) => {
      const node = categories.byCode.get(code);
      return node ? [...node.parents, code].map(category).join(' › ') : code;
    },
    state: (code) => wf.states[code]?.label[ctx.lang] ?? code,
    district: (code) => kernel.districts.byCode(code)?.name ?? code,
    priority: (p) => ctx.t(`street-reports.admin.priority.${p}`),
  };
}

export function stateChoices(kernel: Kernel, ctx: ViewContext): Choice[] {
  const wf = kernel.workflows.latest('street-reports:report');
  return Object.entries(wf.states).map(([code, s]) => ({ value: code, label: s.label[ctx.lang] }));
}

/** Every node of the tree, indented by level, for filters (a node matches the leaves below it). */
export function categoryChoices(categories: CategoryTree, ctx: ViewContext, leavesOnly = false): Choice[] {
  const out: Choice[] = [];
  const walk = (nodes: CategoryTree['roots'], depth: number, path: string[]) => {
    for (const node of nodes) {
      const label = node.label[ctx.lang];
      if (!leavesOnly || node.children.length === 0) {
        out.push({ value: node.code, label: leavesOnly ? [...path, label].join(' › ') : `${'— '.repeat(depth)}${label}` });
      }
      walk(node.children, depth + 1, [...path, label]);
    }
  };
  walk(categories.roots, 0, []);
  return out;
}

export function districtChoices(kernel: Kernel): Choice[] {
  return kernel.districts.all.map((d) => ({ value: d.code, label: d.name }));
}

export function priorityChoices(ctx: ViewContext): Choice[] {
  return PRIORITIES.map((p) => ({ value: String(p), label: ctx.t(`street-reports.admin.priority.${p}`) }));
}
