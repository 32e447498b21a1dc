import type { Trx } from '../../../kernel/db/transaction.js';
import { LANGS, type Lang, type Localized } from '../../../kernel/i18n/types.js';
import type { Kernel } from '../../../kernel/kernel.js';
import { notify } from '../../../kernel/notifications/notify.js';
import type { TrackedProject } from './project.js';
import { PROGRESS_TEMPLATE } from './templates.js';

/** The public address of a tracked project's page. */
export function trackedPath(project: Pick<TrackedProject, 'campaignCode' | 'code'>): string {
  return `/budget/${project.campaignCode}/realisations/${project.code}`;
}

/** A message in both languages, for a value that reaches each follower in their own. */
export function inBothLanguages(text: (lang: Lang) => string): Localized {
  return Object.fromEntries(LANGS.map((lang) => [lang, text(lang)])) as Localized;
}

/**
 * Tells every follower of the project what changed (`change`, already in both languages) and where
 * it now stands, on their channels, in the caller's transaction: the messages exist if and only if
 * the change commits, and are sent by jobs afterwards.
 */
export async function notifyFollowers(trx: Trx, kernel: Kernel, project: TrackedProject, change: Localized): Promise<number> {
  const followers = await trx.selectFrom('pb_tracking_followers').select('account_id').where('project_id', '=', project.id).execute();
  const link = trackedPath(project);
  const data = {
    title: project.title,
    change,
    status: inBothLanguages((lang) => kernel.i18n.t(lang, `participatory-budget.tracking.status.${project.status}`)),
    progress: project.progress,
    link: `${kernel.config.publicUrl ?? ''}${link}`,
  };
  for (const f of followers) await notify(trx, kernel, { accountId: f.account_id, template: PROGRESS_TEMPLATE, link, data });
  return followers.length;
}
