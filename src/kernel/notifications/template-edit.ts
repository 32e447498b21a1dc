import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { nowIso, toJson } from '../db/values.js';
import { LANGS, type Lang } from '../i18n/types.js';
import type { Acting } from '../identity/agents/acting.js';
import { audit } from '../identity/audit.js';
import { placeholderProblems, placeholdersIn } from './render.js';
import { currentTemplate, LIMITS, type NotificationTemplateDefinition, type TemplateContents, type TemplateText } from './templates.js';

/** A problem of the edit form: a message key of notifications.errors, its parameters, and the field (`fr_subject`…). */
export interface TemplateProblem {
  field: string;
  key: string;
  params?: Record<string, string>;
}

export type SaveResult = { ok: true; version: number } | { ok: false; problems: TemplateProblem[] };

const PARTS = ['subject', 'body', 'sms'] as const;

const list = (names: readonly string[]) => names.map((n) => `((${n}))`).join(', ');

function textProblems(def: NotificationTemplateDefinition, contents: TemplateContents): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const lang of LANGS) {
    for (const part of PARTS) {
      if (part === 'sms' && !def.channels.includes('sms')) continue;
      const field = `${lang}_${part}`;
      const value = contents[lang][part] ?? '';
      if (!value.trim()) {
        problems.push({ field, key: 'notifications.errors.required' });
        continue;
      }
      if (value.length > LIMITS[part]) problems.push({ field, key: 'notifications.errors.tooLong', params: { max: String(LIMITS[part]) } });
      if (part === 'subject' && /[\r\n]/.test(value)) problems.push({ field, key: 'notifications.errors.subjectLine' });
      const { unknown, malformed } = placeholderProblems(value, def.placeholders);
      const allowed = def.placeholders.length ? list(def.placeholders) : '—';
      if (unknown.length)
        problems.push({ field, key: 'notifications.errors.unknownPlaceholder', params: { names: list(unknown), allowed } });
      if (malformed.length)
        problems.push({ field, key: 'notifications.errors.malformedPlaceholder', params: { text: malformed.join(' ') } });
    }
  }
  return problems;
}

/** Declared placeholders a language's texts do not use: allowed (a short SMS may drop one), but the page says so. */
export function unusedPlaceholders(def: NotificationTemplateDefinition, contents: TemplateContents): Partial<Record<Lang, string[]>> {
  const unused: Partial<Record<Lang, string[]>> = {};
  for (const lang of LANGS) {
    const text = contents[lang];
    const used = new Set(placeholdersIn(`${text.subject}\n${text.body}\n${text.sms ?? ''}`));
    const missing = def.placeholders.filter((n) => !used.has(n));
    if (missing.length) unused[lang] = missing;
  }
  return unused;
}

function normalise(def: NotificationTemplateDefinition, text: TemplateText): TemplateText {
  const clean = (s: string) => s.replace(/\r\n?/g, '\n').trim();
  return {
    subject: clean(text.subject),
    body: clean(text.body),
    ...(def.channels.includes('sms') ? { sms: clean(text.sms ?? '') } : {}),
  };
}

/**
 * Saves an administrator's edit as a new version, or returns what is wrong and changes nothing.
 * `baseVersion` is the version the form was opened on: if someone saved meanwhile, the edit is
 * refused rather than silently replacing their version.
 */
export async function saveTemplateVersion(
  db: Db,
  who: Acting,
  def: NotificationTemplateDefinition,
  input: TemplateContents,
  baseVersion: number,
): Promise<SaveResult> {
  const contents: TemplateContents = { fr: normalise(def, input.fr), en: normalise(def, input.en) };
  const problems = textProblems(def, contents);
  if (problems.length) return { ok: false, problems };
  const stale: SaveResult = { ok: false, problems: [{ field: 'fr_subject', key: 'notifications.errors.stale' }] };
  try {
    return await inTransaction(db, async (trx) => {
      const current = await currentTemplate(trx, def);
      if (current.version !== baseVersion) return stale;
      const version = current.version + 1;
      await trx
        .insertInto('notification_template_versions')
        .values({
          code: def.code,
          version,
          contents: toJson(contents),
          author_id: who.actor.account.id,
          author_label: who.actor.account.email,
          created_at: nowIso(),
        })
        .execute();
      await audit(trx, {
        actor: who.actor,
        action: 'notification-template.save',
        resourceType: 'notification-template',
        resourceId: def.code,
        ip: who.ip,
        details: { version },
      });
      return { ok: true as const, version };
    });
  } catch (err) {
    // Two saves of the same base at once: the primary key let one through; the other is stale.
    if ((await currentTemplate(db, def)).version !== baseVersion) return stale;
    throw err;
  }
}
