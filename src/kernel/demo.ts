import { readState, writeState } from './core/state.js';
import { nowIso } from './db/values.js';
import { seedIdentityDemo } from './identity/demo.js';
import type { Kernel } from './kernel.js';

/**
 * Seeds the demo city once, on an empty database: each enabled module's demo, dependencies first.
 * The first process to claim the flag seeds; others starting at the same moment skip.
 */
export async function seedDemoOnce(kernel: Kernel, options: { force?: boolean } = {}): Promise<boolean> {
  if (!options.force) {
    const claimed = await kernel.db
      .insertInto('kernel_state')
      .values({ key: 'demo', value: 'seeding', updated_at: nowIso() })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  }
  try {
    await seedIdentityDemo(kernel);
    for (const mod of kernel.modules) {
      if (!mod.demo) continue;
      kernel.log.info({ module: mod.code }, 'seeding demo data');
      await mod.demo(kernel, kernel.config.moduleSettings[mod.code]);
    }
    await writeState(kernel.db, 'demo', 'seeded');
    return true;
  } catch (err) {
    // Leave no claim behind a failed seed, so that the next start tries again.
    await kernel.db.deleteFrom('kernel_state').where('key', '=', 'demo').execute();
    throw err;
  }
}

export async function demoState(kernel: Kernel): Promise<string | undefined> {
  return readState(kernel.db, 'demo');
}
