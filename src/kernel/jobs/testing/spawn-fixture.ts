import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from '../../../../test/support/database.js';

const projectRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export interface Fixture {
  child: ChildProcess;
  /** The next line the fixture prints; rejects if it exits or stays silent for `timeoutMs`. */
  nextLine(timeoutMs?: number): Promise<string>;
  send(line: string): void;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/** Runs a TypeScript script of this folder in a separate Node process connected to the test's database. */
export function spawnFixture(script: string, testDb: TestDatabase, env: Record<string, string> = {}): Fixture {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url))], {
    cwd: projectRoot,
    env: {
      ...process.env,
      ...env,
      CIVITAS_FIXTURE_SQLITE: testDb.sqliteFile,
      ...(testDb.url ? { CIVITAS_FIXTURE_URL: testDb.url } : {}),
      ...(testDb.schema ? { CIVITAS_FIXTURE_SCHEMA: testDb.schema } : {}),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(signal ?? code));
  });
  const lines: string[] = [];
  const waiting: Array<(line: string | undefined) => void> = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  void exited.then(() => {
    for (const waiter of waiting.splice(0)) waiter(undefined);
  });

  return {
    child,
    exited,
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
    nextLine(timeoutMs = 20_000) {
      const buffered = lines.shift();
      if (buffered !== undefined) return Promise.resolve(buffered);
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.reject(new Error(`fixture ${script} exited before printing a line`));
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fixture ${script} printed nothing for ${timeoutMs} ms`)), timeoutMs);
        waiting.push((line) => {
          clearTimeout(timer);
          if (line === undefined) reject(new Error(`fixture ${script} exited before printing a line`));
          else resolve(line);
        });
      });
    },
  };
}
