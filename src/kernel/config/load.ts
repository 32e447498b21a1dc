import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { projectRoot } from '../paths.js';
import { type Config, configSchema } from './schema.js';

export interface LoadedConfig {
  config: Config;
  /** Folder of the configuration file: relative paths in it (logo, districts) are resolved from here. */
  baseDir: string;
  file: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_CONFIG_FILE = resolve(projectRoot, 'cities/paris/civitas.json');

/** Environment variables that override the file, for twelve-factor deployments. */
function fromEnvironment(env: NodeJS.ProcessEnv, file: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.PORT !== undefined && env.PORT !== '') out.port = env.PORT;
  if (env.HOST) out.host = env.HOST;
  if (env.DATABASE_URL) out.databaseUrl = env.DATABASE_URL;
  if (env.CIVITAS_DATA_DIR) out.dataDir = env.CIVITAS_DATA_DIR;
  if (env.CIVITAS_PUBLIC_URL) out.publicUrl = env.CIVITAS_PUBLIC_URL;
  if (env.CIVITAS_LOG_LEVEL) out.logLevel = env.CIVITAS_LOG_LEVEL;
  if (env.CIVITAS_MODULES)
    out.modules = env.CIVITAS_MODULES.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (env.CIVITAS_DEMO) out.demo = env.CIVITAS_DEMO !== 'false' && env.CIVITAS_DEMO !== '0';
  if (env.CIVITAS_GEOCODER_URL) {
    // "off" turns address search off; any other value is the service's address.
    out.geocoder = ['off', 'false', 'none'].includes(env.CIVITAS_GEOCODER_URL)
      ? { enabled: false }
      : { ...(file as { geocoder?: object } | null)?.geocoder, url: env.CIVITAS_GEOCODER_URL };
  }
  if (env.CIVITAS_TRUST_PROXY) out.trustProxy = env.CIVITAS_TRUST_PROXY === 'true';
  if (env.CIVITAS_OIDC_ISSUER || env.CIVITAS_OIDC_CLIENT_ID) {
    out.oidc = { issuer: env.CIVITAS_OIDC_ISSUER, clientId: env.CIVITAS_OIDC_CLIENT_ID, clientSecret: env.CIVITAS_OIDC_CLIENT_SECRET };
  }
  if (env.CIVITAS_SMTP_HOST) {
    out.smtp = {
      host: env.CIVITAS_SMTP_HOST,
      ...(env.CIVITAS_SMTP_PORT ? { port: env.CIVITAS_SMTP_PORT } : {}),
      ...(env.CIVITAS_SMTP_USER ? { user: env.CIVITAS_SMTP_USER, pass: env.CIVITAS_SMTP_PASS } : {}),
      ...(env.CIVITAS_SMTP_FROM ? { from: env.CIVITAS_SMTP_FROM } : {}),
      secure: env.CIVITAS_SMTP_SECURE === 'true',
    };
  }
  if (env.CIVITAS_RATE_LIMIT_MAX || env.CIVITAS_RATE_LIMIT_WINDOW_SECONDS || env.CIVITAS_RATE_LIMIT_ROUTES) {
    // Over the file's values, not instead of them: setting one keeps the file's other one.
    out.rateLimit = {
      ...(file as { rateLimit?: object } | null)?.rateLimit,
      ...(env.CIVITAS_RATE_LIMIT_MAX ? { max: Number(env.CIVITAS_RATE_LIMIT_MAX) } : {}),
      ...(env.CIVITAS_RATE_LIMIT_WINDOW_SECONDS ? { windowSeconds: Number(env.CIVITAS_RATE_LIMIT_WINDOW_SECONDS) } : {}),
      ...(env.CIVITAS_RATE_LIMIT_ROUTES ? { routes: !['off', 'false', '0'].includes(env.CIVITAS_RATE_LIMIT_ROUTES) } : {}),
    };
  }
  return out;
}

function explain(error: z.ZodError, file: string): string {
  const lines = error.issues.map((i) => `  - ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  return `Invalid configuration (${file} and environment):\n${lines.join('\n')}`;
}

/**
 * Reads the city configuration: the JSON file (`CIVITAS_CONFIG`, default Paris), then the
 * environment on top, then `overrides` (tests). Validated at once, with every problem listed.
 */
export function loadConfig(options: { env?: NodeJS.ProcessEnv; file?: string; overrides?: Partial<Config> } = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const file = resolve(options.file ?? env.CIVITAS_CONFIG ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) throw new ConfigError(`Configuration file not found: ${file} (set CIVITAS_CONFIG).`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Configuration file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const merged = { ...(raw as object), ...fromEnvironment(env, raw), ...(options.overrides ?? {}) };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw new ConfigError(explain(parsed.error, file));
  const baseDir = dirname(file);
  const config = parsed.data;
  config.dataDir = isAbsolute(config.dataDir) ? config.dataDir : resolve(process.cwd(), config.dataDir);
  return { config, baseDir, file };
}
