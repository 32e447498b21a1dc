import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/*
 * `npm start` runs dist/civitas.mjs, the one-file bundle of the build (scripts/bundle.mjs), not the
 * sources the rest of the suite imports: this starts it as `npm start` does, on the demo city,
 * and walks what a visitor and a signed-in resident reach, so a package that breaks once bundled
 * (a file read beside its own code, a dynamic require) fails here. CI builds before testing.
 */
const bundle = 'dist/civitas.mjs';
const built = existsSync(bundle) && existsSync('dist/cli.js') && statSync(bundle).mtimeMs >= statSync('dist/cli.js').mtimeMs;
if (!built && process.env.CI === 'true') throw new Error(`${bundle} is missing or older than dist/cli.js: CI runs "npm run build" first.`);
if (!built) console.warn(`!! ${bundle} is missing or stale: run "npm run build" to test the bundle; skipped.`);

let t: TestDatabase;
let child: ChildProcessWithoutNullStreams;
let exited: Promise<unknown>;
let base: string;
let output = '';

beforeAll(async () => {
  if (!built) return;
  t = await createTestDatabase();
  await t.database.close();
  child = spawn(process.execPath, ['bin/civitas.js', 'start', '--port', '0'], {
    env: {
      ...process.env,
      DATABASE_URL: t.url ? `${t.url}?options=-c%20search_path%3D${t.schema}` : '',
      CIVITAS_DATA_DIR: t.dataDir,
      HOST: '127.0.0.1',
      CIVITAS_LOG_LEVEL: 'info',
    },
  });
  exited = new Promise((resolve) => child.on('exit', resolve));
  base = await new Promise<string>((resolve, reject) => {
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /"address":"(http:\/\/[^"]+)".*"msg":"Civitas is listening"/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}, 120_000);

afterAll(async () => {
  if (!built) return;
  child.kill('SIGTERM');
  // A graceful stop is tested in test/kernel/server.test.ts; here it may have to wait for the demo's
  // jobs (the contractor simulator's callbacks), so after a while the process is killed.
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(killer);
  await t.drop();
}, 60_000);

/** The same-site links of a page (no anchors, files or sign-out). */
function linksOf(html: string): string[] {
  const hrefs = [...html.matchAll(/href="(\/[^"#]*)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
  return [...new Set(hrefs)].filter((h) => !/\.(css|js|svg|png|ico|webmanifest)(\?|$)/.test(h) && !h.includes('logout'));
}

describe.skipIf(!built)('the bundle npm start runs', () => {
  it('seeds the demo city and serves every page linked from the home page, in both languages', async () => {
    expect(output).toContain('Demo city ready');
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    const links = linksOf(await home.text());
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) {
      for (const lang of ['fr', 'en']) {
        const res = await fetch(`${base}${link}${link.includes('?') ? '&' : '?'}lang=${lang}`, { redirect: 'manual' });
        expect([200, 302, 303], `${link} (${lang})`).toContain(res.status);
      }
    }
    const docs = await fetch(`${base}/api/docs`);
    expect(docs.status).toBe(200);
    expect(Object.keys(((await docs.json()) as { paths: object }).paths).length).toBeGreaterThan(10);
  });

  it('signs a resident in and shows her account and dashboard', async () => {
    const login = await fetch(`${base}/login`);
    const csrf = /civitas_csrf=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    const token = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1];
    const signedIn = await fetch(`${base}/login`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'camille.martin@example.org', password: DEMO_PASSWORD, _csrf: token ?? '' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `civitas_csrf=${csrf}` },
      redirect: 'manual',
    });
    const session = /civitas_session=([^;]+)/.exec(signedIn.headers.get('set-cookie') ?? '')?.[1];
    expect(session).toBeTruthy();
    const headers = { cookie: `civitas_session=${session}` };
    const me = await fetch(`${base}/api/v1/me`, { headers });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe('camille.martin@example.org');
    const account = await fetch(`${base}/account`, { headers });
    expect(account.status).toBe(200);
    for (const link of linksOf(await account.text()).filter((l) => l.startsWith('/account'))) {
      expect((await fetch(`${base}${link}`, { headers, redirect: 'manual' })).status, link).toBeLessThan(400);
    }
    expect(child.exitCode, output.slice(-2000)).toBeNull();
  });
});
