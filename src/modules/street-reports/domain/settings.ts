import { resolve } from 'node:path';
import { z } from 'zod';
import type { Lang } from '../../../kernel/i18n/types.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { LocalText } from '../../../kernel/workflow/definition.js';
import { type CategoryTree, loadCategories } from './categories.js';
import { applyCategoryConfigFile } from './questions.js';

export const settingsSchema = z
  .object({
    /**
     * The category tree (CSV `type,soustype,count`), relative to the city's configuration folder; a
     * JSON file of the same name, when present, adds questions and "handled elsewhere" by leaf code.
     */
    categoriesFile: z.string().default('street-report-categories.csv'),
    /** Open public reports within this distance are offered before filing a duplicate (Paris's web form: 50 m). */
    duplicateRadiusMeters: z.number().int().min(10).max(500).default(50),
    /**
     * Serve the built-in contractor simulator at `/simulator/contractor/work-orders` (demo cities only:
     * it answers any work order signed by one of the endpoints pointing at it, and closes it itself).
     */
    simulator: z.boolean().default(false),
    /** How long the simulator waits before each of its callbacks ("scheduled", then "done"). */
    simulatorDelaySeconds: z.number().int().min(0).max(86_400).default(20),
  })
  .strict();
export type StreetReportSettings = z.infer<typeof settingsSchema>;

export function settingsOf(kernel: Pick<Kernel, 'config'>): StreetReportSettings {
  return settingsSchema.parse(kernel.config.moduleSettings['street-reports'] ?? {});
}

const trees = new Map<string, CategoryTree>();
/** Leaves' labels by their French label, over the trees read (one per city: the same in every process). */
const byFrenchLabel = new Map<string, LocalText>();

/**
 * A category's label in `lang` from its French label (what a report's demand stores as its title,
 * readable in any export); a label of no tree read is given back as is.
 */
export function categoryLabelIn(french: string, lang: Lang): string {
  return byFrenchLabel.get(french)?.[lang] ?? french;
}

/** The city's category tree, read once per process from its file (every process reads the same). */
export function categoriesOf(kernel: Pick<Kernel, 'config' | 'baseDir'>): CategoryTree {
  const file = resolve(kernel.baseDir, settingsOf(kernel).categoriesFile);
  let tree = trees.get(file);
  if (!tree) {
    tree = loadCategories(file);
    applyCategoryConfigFile(tree, file.replace(/\.csv$/, '.json'));
    for (const leaf of tree.leaves) if (!byFrenchLabel.has(leaf.label.fr)) byFrenchLabel.set(leaf.label.fr, leaf.label);
    trees.set(file, tree);
  }
  return tree;
}
