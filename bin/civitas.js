#!/usr/bin/env node
// The `civitas` command: runs the compiled CLI (`npm run build` produces dist/): the one-file
// bundle dist/civitas.mjs when it is at least as new as dist/cli.js (a plain `tsc` leaves it
// behind), else dist/cli.js.
import { existsSync, statSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
const bundle = new URL('../dist/civitas.mjs', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('civitas: dist/cli.js is missing; run "npm run build" first.\n');
  process.exit(2);
}
const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(cli).mtimeMs;
await import((fresh ? bundle : cli).href);
