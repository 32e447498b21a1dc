import type { Procedure } from '../procedure.js';
import { childrenTransport } from './children-transport.js';

/** The procedures this build publishes; a city enables some of them in its settings. */
export const procedureCatalogue: readonly Procedure[] = [childrenTransport];
