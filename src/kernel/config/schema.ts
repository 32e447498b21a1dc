import { z } from 'zod';

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1e3a8a');
const localized = z.object({ fr: z.string().min(1), en: z.string().min(1) });

export const citySchema = z.object({
  /** Stable code of the city ("paris"). */
  code: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: localized,
  /** Path of the logo (SVG or PNG), relative to the configuration file. */
  logo: z.string().optional(),
  colours: z
    .object({ primary: colour.default('#000091'), primaryText: colour.default('#ffffff'), accent: colour.default('#e1000f') })
    .prefault({}),
  defaultLanguage: z.enum(['fr', 'en']).default('fr'),
  timezone: z.string().default('Europe/Paris'),
  /** Centre of maps and the bounds within which a point belongs to the city. */
  centre: z.tuple([z.number(), z.number()]).optional(),
  districts: z
    .object({
      /** GeoJSON FeatureCollection of (Multi)Polygons, relative to the configuration file. */
      file: z.string(),
      codeProperty: z.string(),
      nameProperty: z.string(),
      /** How a district is called here: arrondissement, quartier, borough… */
      label: localized.default({ fr: 'Arrondissement', en: 'District' }),
    })
    .optional(),
  contact: z.object({ email: z.string().email().optional(), address: z.string().optional() }).prefault({}),
});

export const configSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(3000),
    host: z.string().default('0.0.0.0'),
    /** `postgres://…` for PostgreSQL; unset for the embedded SQLite database. */
    databaseUrl: z.string().optional(),
    /** Where the SQLite file and uploaded files live. */
    dataDir: z.string().default('./data'),
    /** The address residents use (for links in mails and callbacks), without a trailing slash. */
    publicUrl: z.string().url().optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    city: citySchema,
    /** Codes of the enabled modules. */
    modules: z.array(z.string()).default(['pages']),
    /** Per-module settings, validated by each module's own schema. */
    moduleSettings: z.record(z.string(), z.unknown()).default({}),
    /** Seed the demo city when the database is empty. */
    demo: z.boolean().default(true),
    limits: z
      .object({
        bodyBytes: z.number().int().positive().default(1_048_576),
        uploadBytes: z
          .number()
          .int()
          .positive()
          .default(10 * 1_048_576),
        /** Largest decoded image, in pixels: stops decompression bombs before they inflate. */
        imagePixels: z.number().int().positive().default(40_000_000),
      })
      .prefault({}),
    rateLimit: z
      .object({
        /** State-changing requests per address and window. */
        max: z.number().int().positive().default(120),
        windowSeconds: z.number().int().positive().default(60),
        /** Routes' own, stricter limits (uploads, new reports) apply; false leaves every route to the limit above (load tests). */
        routes: z.boolean().default(true),
      })
      .prefault({}),
    metrics: z
      .object({
        /** `/metrics` answers only with `Authorization: Bearer <token>`… */
        token: z.string().min(16).optional(),
        /** …or to everyone when `public` is true (behind a private network). */
        public: z.boolean().default(false),
      })
      .prefault({}),
    jobs: z
      .object({
        /** Run job workers in this process (a city may run web-only and worker-only processes). */
        enabled: z.boolean().default(true),
        concurrency: z.number().int().min(1).max(64).default(4),
        pollMs: z.number().int().min(10).default(1000),
        leaseSeconds: z.number().int().min(1).default(60),
      })
      .prefault({}),
    identity: z
      .object({
        /** A session unused this long ends (minutes). */
        idleMinutes: z.number().int().positive().default(60),
        /** A session ends this long after login whatever happens (hours). */
        absoluteHours: z.number().int().positive().default(12),
        /** Agents must set up and use a second factor (TOTP). */
        requireAgentMfa: z.boolean().default(false),
        /** Failed logins allowed per account, and per address, in 15 minutes. */
        maxFailedLogins: z.number().int().positive().default(5),
        maxFailedLoginsPerAddress: z.number().int().positive().default(30),
      })
      .prefault({}),
    /** The residents' OpenID Connect provider (FranceConnect or any compatible one). */
    oidc: z
      .object({
        issuer: z.string().url(),
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        scopes: z.string().default('openid profile email birth'),
        /** Label of the login button ("FranceConnect"). */
        label: z.string().default('FranceConnect'),
        acrValues: z.string().optional(),
      })
      .optional(),
    /** Outgoing mail. Without a host, mails are written to the local outbox folder (`<dataDir>/outbox`). */
    smtp: z
      .object({
        host: z.string().optional(),
        port: z.coerce.number().int().default(587),
        secure: z.boolean().default(false),
        user: z.string().optional(),
        pass: z.string().optional(),
        from: z.string().default('Civitas <no-reply@civitas.localhost>'),
      })
      .prefault({}),
    /**
     * Text messages through the city's SMS provider, over HTTP (see src/kernel/notifications/sms.ts);
     * none is bundled. Without it, SMS notifications are recorded as failures, visible to agents.
     */
    sms: z
      .object({
        url: z.string().url(),
        token: z.string().optional(),
        sender: z.string().max(11).optional(),
        /** Delivery receipts must be signed with it like the city's webhooks (src/kernel/webhooks/incoming.ts). */
        callbackSecret: z.string().min(16).optional(),
        timeoutMs: z.number().int().positive().default(10_000),
      })
      .optional(),
    /**
     * Address search (src/kernel/geo/geocoder.ts): the French national address API by default, any
     * service answering like it, or `enabled: false`. Optional: maps and coordinates work without it.
     */
    geocoder: z
      .object({
        url: z.string().url().default('https://api-adresse.data.gouv.fr/search/'),
        enabled: z.boolean().default(true),
        /** A search waits no longer than this: a slow service must not hold a resident's page. */
        timeoutMs: z.number().int().positive().max(10_000).default(2_000),
      })
      .prefault({}),
    /** Secure cookies and HSTS; set when served over TLS (directly or behind a proxy). */
    trustProxy: z.boolean().default(false),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type CityConfig = z.infer<typeof citySchema>;
