import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePabulib } from '../../../src/modules/participatory-budget/pabulib/parse.js';
import { budgetCommand } from '../../../src/modules/participatory-budget/pabulib/results-command.js';
import { fixtureText, REAL_FILES } from './support.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The command as `civitas` runs it (standalone: no database, no city), its printed JSON parsed. */
async function results(...args: string[]): Promise<{ rule: string; selected: string[]; cost: number | string }> {
  let out = '';
  await budgetCommand.run(['results', ...args], { out: (text) => (out += text), err: () => {} });
  return JSON.parse(out);
}

describe('civitas budget results FILE.pb', () => {
  it.each(Object.values(REAL_FILES))('reproduces the winners recorded in %s, by the rule the file names', async (name) => {
    const file = parsePabulib(fixtureText(name));
    const out = await results(fixture(name));
    expect(out.rule).toBe(file.meta.rule);
    const official = file.projects.filter((p) => p.selected === 1);
    expect([...out.selected].sort()).toEqual(official.map((p) => p.project_id).sort());
    expect(out.cost).toBe(official.reduce((sum, p) => sum + p.cost, 0));
  });

  it('uses another rule when asked, and the published Civitas tie-breaking on request', async () => {
    expect(await results(fixture(REAL_FILES.assen), '--rule', 'greedy')).toEqual({
      rule: 'greedy',
      selected: ['3', '9', '8', '2', '11', '13', '14'],
      cost: 99200,
    });
    // Gdynia's tie at 101 votes between 1 and 5: by id (the file's record) 1 wins, by lower cost 5 does.
    expect(await results(fixture(REAL_FILES.gdynia), '--tie-breaking', 'cost-votes-id')).toEqual({
      rule: 'greedy-no-skip',
      selected: ['4', '2', '5'],
      cost: 21595,
    });
  });

  it('refuses a malformed file with its line, an unknown rule or tie-breaking, a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civitas-pb-'));
    const broken = join(dir, 'broken.pb');
    writeFileSync(broken, fixtureText(REAL_FILES.warszawa).replace('PROJECTS', 'PROJEKTS'));
    await expect(results(broken)).rejects.toThrow(/broken\.pb, line \d+: unknown section "PROJEKTS"/);
    await expect(results(fixture(REAL_FILES.assen), '--rule', 'borda')).rejects.toThrow('Unknown rule "borda". Supported rules: greedy');
    await expect(results(fixture(REAL_FILES.assen), '--tie-breaking', 'coin')).rejects.toThrow(
      '--tie-breaking must be one of: id, cost-votes-id',
    );
    await expect(results(join(dir, 'none.pb'))).rejects.toThrow('none.pb: no such file');
    await expect(results()).rejects.toThrow('give exactly one Pabulib file');
  });

  it('runs from the command line whatever modules the city enables, printing JSON; errors exit with status 2', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const env = { ...process.env, CIVITAS_MODULES: 'pages' };
        execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'budget', 'results', ...args], { env }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const [ok, bad] = await Promise.all([run([fixture(REAL_FILES.warszawa)]), run([fixture(REAL_FILES.warszawa), '--rule', 'borda'])]);
    expect([ok.code, ok.stdout]).toEqual([0, '{"rule":"greedy","selected":["558","1441","582","1408","547"],"cost":98600}\n']);
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([2, '', expect.stringContaining('civitas: Unknown rule "borda"')]);
  }, 90_000);
});
