import type { Executor } from '../db/transaction.js';
import { fromJson } from '../db/values.js';
import { demandTemplates } from '../demands/templates.js';
import { LANGS, type Lang } from '../i18n/types.js';
import type { Kernel } from '../kernel.js';
import { placeholderProblems } from './render.js';
import { CHANNELS, type Channel } from './status.js';

/** A template's texts in one language; `sms` is required when the template has the SMS channel. */
export interface TemplateText {
  subject: string;
  body: string;
  sms?: string;
}

export type TemplateContents = Record<Lang, TemplateText>;

/**
 * A notification template as the kernel or a module declares it in code: its defaults are version
 * 0; administrators' edits in the back office make versions 1, 2… and the latest is used.
 */
export interface NotificationTemplateDefinition extends TemplateContents {
  /** Stable code, namespaced by its owner ("street-reports.resolved"). */
  code: string;
  /** What the template is for, shown to administrators. */
  description: string;
  channels: Channel[];
  /** The `((names))` the sender always supplies; the texts may use no other. */
  placeholders: string[];
}

declare module '../modules.js' {
  interface ModuleManifest<Settings> {
    /** The notification templates the module sends, with their default texts. */
    notificationTemplates?: NotificationTemplateDefinition[];
  }
}

export const TEMPLATE_CODE = /^[a-z0-9][a-z0-9.:_-]{0,99}$/;
export const LIMITS = { subject: 200, body: 10_000, sms: 612 } as const;

/** What is wrong with a declaration, in words for the developer who wrote it. */
function definitionProblems(def: NotificationTemplateDefinition): string[] {
  const problems: string[] = [];
  if (!TEMPLATE_CODE.test(def.code)) problems.push('its code must be lowercase letters, digits and . : _ -');
  if (def.channels.length === 0 || def.channels.some((c) => !CHANNELS.includes(c))) problems.push(`channels must be among ${CHANNELS}`);
  for (const lang of LANGS) {
    const text = def[lang];
    if (!text?.subject || !text.body) problems.push(`${lang}: subject and body are required`);
    if (def.channels.includes('sms') && !text?.sms) problems.push(`${lang}: the SMS text is required with the sms channel`);
    for (const part of [text?.subject, text?.body, text?.sms]) {
      const { unknown, malformed } = placeholderProblems(part ?? '', def.placeholders);
      if (unknown.length || malformed.length) problems.push(`${lang}: undeclared or malformed placeholders ${[...unknown, ...malformed]}`);
    }
  }
  return problems;
}

const registries = new WeakMap<readonly unknown[], Map<string, NotificationTemplateDefinition>>();

/**
 * Every template of the enabled modules, by code, checked once per process: a wrong declaration
 * stops the start (the routes ask for it) with a message naming the template.
 */
export function templateRegistry(kernel: Pick<Kernel, 'modules'>): Map<string, NotificationTemplateDefinition> {
  const cached = registries.get(kernel.modules);
  if (cached) return cached;
  const registry = new Map<string, NotificationTemplateDefinition>();
  for (const mod of [{ code: 'kernel', notificationTemplates: demandTemplates }, ...kernel.modules]) {
    for (const def of mod.notificationTemplates ?? []) {
      const problems = definitionProblems(def);
      if (registry.has(def.code)) problems.push('it is declared twice');
      if (problems.length) throw new Error(`Notification template "${def.code}" of module "${mod.code}": ${problems.join('; ')}.`);
      registry.set(def.code, def);
    }
  }
  registries.set(kernel.modules, registry);
  return registry;
}

/**
 * The template a caller names: a code declared by an enabled module, or a definition passed in
 * (a sender whose templates are not in a manifest), checked the same way.
 */
export function resolveTemplate(
  kernel: Pick<Kernel, 'modules'>,
  template: string | NotificationTemplateDefinition,
): NotificationTemplateDefinition {
  if (typeof template !== 'string') {
    const problems = definitionProblems(template);
    if (problems.length) throw new Error(`Notification template "${template.code}": ${problems.join('; ')}.`);
    return template;
  }
  const def = templateRegistry(kernel).get(template);
  if (!def) throw new Error(`Unknown notification template "${template}": no enabled module declares it.`);
  return def;
}

export interface TemplateVersion {
  version: number;
  contents: TemplateContents;
  /** null for version 0, the default from the code. */
  authorLabel: string | null;
  createdAt: string | null;
}

function defaults(def: NotificationTemplateDefinition): TemplateVersion {
  return { version: 0, contents: { fr: def.fr, en: def.en }, authorLabel: null, createdAt: null };
}

/** The version in use: the latest saved one, or the code's defaults. */
export async function currentTemplate(db: Executor, def: NotificationTemplateDefinition): Promise<TemplateVersion> {
  const row = await db
    .selectFrom('notification_template_versions')
    .selectAll()
    .where('code', '=', def.code)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return defaults(def);
  return {
    version: row.version,
    contents: fromJson(row.contents, defaults(def).contents),
    authorLabel: row.author_label,
    createdAt: row.created_at,
  };
}

/** Every version, newest first, ending with the code's defaults (version 0). */
export async function templateVersions(db: Executor, def: NotificationTemplateDefinition): Promise<TemplateVersion[]> {
  const rows = await db
    .selectFrom('notification_template_versions')
    .selectAll()
    .where('code', '=', def.code)
    .orderBy('version', 'desc')
    .execute();
  return [
    ...rows.map((row) => ({
      version: row.version,
      contents: fromJson(row.contents, defaults(def).contents),
      authorLabel: row.author_label,
      createdAt: row.created_at,
    })),
    defaults(def),
  ];
}
