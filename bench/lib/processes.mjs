// Child processes of the benchmark: spawning, waiting for health, stopping, memory.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every child still alive; killed on exit, error and signals (see `killAllChildren`). */
const children = new Set();

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node args…` with the given environment. Keeps the last lines of its output for error
 * messages; `child.exited` resolves with { code, signal } when it ends.
 */
export function spawnNode(args, { env, cwd, label }) {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.label = label;
  child.tail = [];
  const keep = (chunk) => {
    for (const line of String(chunk).split('\n')) {
      if (!line) continue;
      child.tail.push(line);
      if (child.tail.length > 40) child.tail.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.add(child);
  child.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  child.on('error', (err) => child.tail.push(`spawn error: ${err.message}`));
  return child;
}

/** Runs `node args…` to completion; throws with its output if it fails. */
export async function runNode(args, options) {
  const child = spawnNode(args, options);
  const { code, signal } = await child.exited;
  if (code !== 0) throw new Error(`${options.label} failed (code ${code}, signal ${signal}):\n${child.tail.join('\n')}`);
  return child.tail.join('\n');
}

function getStatus(url, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/**
 * Polls `url` every `intervalMs` until it answers 200; returns the milliseconds since `since`
 * (a performance.now() value). Fails if the child exits or `timeoutMs` passes.
 */
export async function waitForHttp(child, url, { since = performance.now(), intervalMs = 10, timeoutMs = 30_000 } = {}) {
  let exited = null;
  child.exited.then((e) => {
    exited = e;
  });
  for (;;) {
    if (exited)
      throw new Error(
        `${child.label} exited (code ${exited.code}, signal ${exited.signal}) before ${url} answered:\n${child.tail.join('\n')}`,
      );
    const status = await getStatus(url, 1000);
    if (status === 200) return performance.now() - since;
    if (performance.now() - since > timeoutMs)
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${child.tail.join('\n')}`);
    await sleep(intervalMs);
  }
}

/** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
export async function stop(child, graceMs = 15_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

/** Kills every child at once (synchronous: usable in an 'exit' handler). */
export function killAllChildren() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** VmRSS (current) and VmHWM (peak) of a process, in MB, from /proc (Linux only; null elsewhere). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1]);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
