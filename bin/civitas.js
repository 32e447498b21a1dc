#!/usr/bin/env node
// The `civitas` command: runs the compiled CLI (`npm run build` produces dist/).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('civitas: dist/cli.js is missing; run "npm run build" first.\n');
  process.exit(2);
}
await import(cli.href);
