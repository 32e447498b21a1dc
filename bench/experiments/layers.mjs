#!/usr/bin/env node
// Cost of each of Civitas's HTTP layers on a /healthz-like route, layer by layer, each variant
// measured right after the bare server (ratio = variant ÷ bare). `node bench/experiments/layers.mjs [SECONDS=6]`
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureAgainstBare } from '../lib/measure.mjs';
import { freePort, killAllChildren, spawnNode, stop, waitForHttp } from '../lib/processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const seconds = Number(process.argv[2] ?? 6);
process.on('exit', killAllChildren);
process.on('SIGINT', () => process.exit(130));

const variants = [
  '',
  'logger',
  'logger,cookie',
  'logger,helmet',
  'logger,static-helmet',
  'logger,metrics',
  'logger,hooks',
  'logger,sync-hooks',
  'logger,swagger',
  'logger,swagger,cookie,helmet,metrics,hooks',
  'logger,swagger,cookie,static-helmet,metrics,sync-hooks',
  'logger,swagger,cookie,helmet,metrics,hooks,isolated',
];

async function serve(layers) {
  const port = await freePort();
  const child = spawnNode([join(here, 'layers-server.mjs')], {
    env: { ...process.env, PORT: String(port), LAYERS: layers },
    label: layers || 'bare',
  });
  const url = `http://127.0.0.1:${port}/healthz`;
  await waitForHttp(child, url);
  return { child, url };
}
const bare = await serve('');
console.log(`${seconds} s of each, alternating 1 s slices; ratio = median of the slice ratios\n`);
console.log(
  '| layers | req/s | bare req/s | ratio | CPU µs/req | bare CPU µs/req | CPU ratio |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
);
for (const layers of variants.slice(1)) {
  const v = await serve(layers);
  const m = await measureAgainstBare({
    bareUrl: bare.url,
    url: v.url,
    request: { method: 'GET' },
    duration: seconds,
    warmup: 1,
    slice: 1,
    connections: 50,
    barePid: bare.child.pid,
    pid: v.child.pid,
  });
  console.log(
    `| ${layers} | ${Math.round(m.scenario.rps)} | ${Math.round(m.bare.rps)} | ${m.ratio.toFixed(2)} | ${m.scenario.cpuUsPerRequest?.toFixed(1)} | ${m.bare.cpuUsPerRequest?.toFixed(1)} | ${m.cpuRatio?.toFixed(2)} |`,
  );
  await stop(v.child);
}
await stop(bare.child);
