import type { AnyModule } from '../kernel/modules.js';
import pages from './pages/module.js';
import participatoryBudget from './participatory-budget/module.js';
import procedures from './procedures/module.js';
import streetReports from './street-reports/module.js';

/** Every module this build ships; a city's configuration enables some of them. */
export const catalogue: readonly AnyModule[] = [pages, procedures, streetReports, participatoryBudget];
