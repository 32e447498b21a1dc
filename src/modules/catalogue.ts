import type { AnyModule } from '../kernel/modules.js';
import pages from './pages/module.js';

/** Every module this build ships; a city's configuration enables some of them. */
export const catalogue: readonly AnyModule[] = [pages];
