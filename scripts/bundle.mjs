#!/usr/bin/env node
// `npm run build`'s second step: dist/ (what tsc compiled) bundled into one file, dist/civitas.mjs,
// which `bin/civitas.js` runs. Node spends most of a cold start resolving, reading and linking
// the ~500 compiled files and the packages they import one by one; one file cuts the CPU of a
// start by about a third (bench/RESULTS.md, cold start). Left out of the bundle: native addons,
// packages that read their own files or start worker threads, and the heavy ones loaded only
// when used (mail, QR codes, image decoding, OpenID Connect).
import { build } from 'esbuild';

const EXTERNAL = [
  'better-sqlite3',
  'pg',
  'pg-native',
  'sharp',
  'nodemailer',
  'qrcode',
  'file-type',
  'openid-client',
  '@fastify/static',
  '@fastify/swagger',
  'pino',
];

await build({
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/civitas.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  sourcemap: true,
  // CommonJS packages inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __civitasRequire } from 'node:module'; const require = __civitasRequire(import.meta.url);" },
  logLevel: 'warning',
});
