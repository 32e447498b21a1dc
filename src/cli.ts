import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bootKernel } from './kernel/boot.js';
import { loadConfig } from './kernel/config/load.js';
import { seedDemoOnce } from './kernel/demo.js';
import { limitHeapGrowth } from './kernel/heap-growth.js';
import { createAdmin } from './kernel/identity/accounts.js';
import { exitOnSignals, startServer } from './kernel/server.js';
import { catalogue } from './modules/catalogue.js';

const COMMON = `Configuration: CIVITAS_CONFIG (default cities/paris/civitas.json), PORT, DATABASE_URL
(postgres://… ; unset = SQLite in CIVITAS_DATA_DIR, default ./data), CIVITAS_MODULES, CIVITAS_LOG_LEVEL.`;

const HELP: Record<string, string> = {
  main: `Usage: civitas <command> [options]

Commands:
  start          start the web server and job workers (migrates, seeds the demo city on an empty database)
  migrate        apply pending database migrations and exit
  seed           seed the demo city (only on a database never seeded, unless --force)
  create-admin   create an administrator agent (or reset its password)
  jobs           list dead jobs or replay one

Run "civitas <command> --help" for a command's options.
${COMMON}`,
  start: `Usage: civitas start [--port N] [--no-workers]

Starts one stateless process: HTTP on PORT (default 3000) and job workers. Run several behind a load
balancer against one PostgreSQL database to scale out. SIGTERM finishes in-flight requests and jobs.
CIVITAS_HEAP_GROWING_PERCENT (default 50; 0 = V8's own) bounds the heap's growth between collections.
${COMMON}`,
  migrate: `Usage: civitas migrate

Applies every pending migration of the kernel and of the enabled modules, then lists them.
${COMMON}`,
  seed: `Usage: civitas seed [--force]

Seeds the demo city (Paris and its arrondissements, each module's demo data). Without --force it does
nothing on a database that was already seeded.
${COMMON}`,
  'create-admin': `Usage: civitas create-admin --email EMAIL [--name NAME] [--password-stdin]

Creates an administrator agent, or resets the password of an existing one. The password is read from
standard input with --password-stdin, otherwise from CIVITAS_ADMIN_PASSWORD. At least 12 characters.
${COMMON}`,
  jobs: `Usage: civitas jobs dead [--limit N]
       civitas jobs replay JOB_ID

Lists the jobs that exhausted their retries (the dead-letter list), or puts one back in the queue.
${COMMON}`,
};

function fail(message: string): never {
  process.stderr.write(`civitas: ${message}\n`);
  process.exit(2);
}

async function withKernel<T>(work: (booted: Awaited<ReturnType<typeof bootKernel>>) => Promise<T>): Promise<T> {
  const loaded = loadConfig();
  const booted = await bootKernel({ loaded, catalogue });
  try {
    return await work(booted);
  } finally {
    await booted.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const moduleCommands = new Map(catalogue.flatMap((m) => Object.entries(m.commands ?? {})));
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    const extra = [...moduleCommands].map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`).join('\n');
    process.stdout.write(`${HELP.main}\n${extra ? `\nCommands of the modules (when enabled):\n${extra}\n` : ''}`);
    return;
  }
  const moduleCommand = moduleCommands.get(command);
  if (moduleCommand && !(command in HELP)) {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(moduleCommand.standalone ? `${moduleCommand.usage}\n` : `${moduleCommand.usage}\n${COMMON}\n`);
      return;
    }
    const io = { out: (text: string) => process.stdout.write(text), err: (text: string) => process.stderr.write(text) };
    if (moduleCommand.standalone) {
      await moduleCommand.run(rest, io);
      return;
    }
    await withKernel(async ({ kernel }) => {
      // A disabled module contributes nothing, its commands included.
      if (!kernel.modules.some((m) => m.commands?.[command] === moduleCommand))
        fail(`"${command}" belongs to a module this city has not enabled.`);
      await moduleCommand.run(kernel, rest, io);
    });
    return;
  }
  if (!(command in HELP) || command === 'main') fail(`unknown command "${command}".\n\n${HELP.main}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${HELP[command]}\n`);
    return;
  }
  switch (command) {
    case 'start': {
      const { values } = parseArgs({ args: rest, options: { port: { type: 'string' }, 'no-workers': { type: 'boolean' } } });
      const overrides: Record<string, unknown> = {};
      if (values.port) overrides.port = Number(values.port);
      limitHeapGrowth();
      const loaded = loadConfig({ overrides });
      if (values['no-workers']) loaded.config.jobs.enabled = false;
      const booted = await bootKernel({ loaded, catalogue });
      const server = await startServer(booted);
      exitOnSignals(server);
      return;
    }
    case 'migrate': {
      parseArgs({ args: rest, options: {} });
      await withKernel(async ({ applied }) => {
        process.stdout.write(
          applied.length
            ? `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m.owner}/${m.name}`).join('\n')}\n`
            : 'Database is up to date.\n',
        );
      });
      return;
    }
    case 'seed': {
      const { values } = parseArgs({ args: rest, options: { force: { type: 'boolean' } } });
      await withKernel(async ({ kernel }) => {
        const seeded = await seedDemoOnce(kernel, { force: values.force });
        process.stdout.write(seeded ? 'Demo city seeded.\n' : 'The database was already seeded; use --force to seed again.\n');
      });
      return;
    }
    case 'create-admin': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
      });
      if (!values.email) fail(`--email is required.\n\n${HELP['create-admin']}`);
      const password = values['password-stdin'] ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : process.env.CIVITAS_ADMIN_PASSWORD;
      if (!password) fail('give the password on standard input with --password-stdin, or in CIVITAS_ADMIN_PASSWORD.');
      await withKernel(async ({ kernel }) => {
        const { created } = await createAdmin(kernel.db, { email: values.email as string, password, name: values.name });
        process.stdout.write(created ? `Administrator ${values.email} created.\n` : `Administrator ${values.email} updated.\n`);
      });
      return;
    }
    case 'jobs': {
      const [action, ...args] = rest;
      await withKernel(async ({ kernel }) => {
        if (action === 'dead') {
          const { values } = parseArgs({ args, options: { limit: { type: 'string', default: '50' } } });
          const dead = await kernel.jobs.listDead(Number(values.limit));
          process.stdout.write(dead.length ? `${JSON.stringify(dead, null, 2)}\n` : 'No dead jobs.\n');
        } else if (action === 'replay' && args[0]) {
          const ok = await kernel.jobs.replay(args[0]);
          if (!ok) fail(`job ${args[0]} is not in the dead-letter list.`);
          process.stdout.write(`Job ${args[0]} queued again.\n`);
        } else {
          fail(`usage:\n${HELP.jobs}`);
        }
      });
      return;
    }
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  fail(err.message);
});
