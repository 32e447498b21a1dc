import type { Executor, Trx } from '../../../kernel/db/transaction.js';
import { newId, nowIso } from '../../../kernel/db/values.js';
import type { FieldProblem } from '../../../kernel/http/errors.js';
import { formatDate } from '../../../kernel/i18n/format.js';
import type { Localized } from '../../../kernel/i18n/types.js';
import { audit } from '../../../kernel/identity/audit.js';
import type { Kernel } from '../../../kernel/kernel.js';
import type { CampaignActing } from '../campaigns/access.js';
import { assertMayTrack } from './access.js';
import { trackingError } from './errors.js';
import { recordHistory } from './history.js';
import { inBothLanguages, notifyFollowers } from './notify-followers.js';
import { trackedById } from './project.js';

export const MILESTONE_LIMITS = { title: 200, text: 4000, photos: 5 } as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A milestone as an agent writes it; the English title and text may be left empty (the French ones stand in). */
export interface MilestoneInput {
  /** YYYY-MM-DD, in the city's calendar. */
  date: string;
  title: Localized;
  text: Localized;
  /** Uploads of the kernel's files service (images only), pending until this milestone takes them. */
  photoIds: readonly string[];
}

export interface Milestone {
  id: string;
  date: string;
  title: Localized;
  text: Localized;
  photos: { fileId: string }[];
}

/** The owner the files service records for a milestone's photos. */
export const milestoneOwner = (milestoneId: string) => `participatory-budget:milestone:${milestoneId}`;

const problem = (field: string, code: string): FieldProblem => ({ field, message: `participatory-budget.tracking.errors.${code}` });

async function problemsOf(trx: Trx, input: MilestoneInput): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  if (!DAY.test(input.date) || Number.isNaN(Date.parse(`${input.date}T00:00:00Z`))) problems.push(problem('date', 'date'));
  if (input.title.fr.trim() === '') problems.push(problem('titleFr', 'title-missing'));
  for (const [field, value] of [
    ['titleFr', input.title.fr],
    ['titleEn', input.title.en],
  ] as const) {
    if (value.trim().length > MILESTONE_LIMITS.title) problems.push(problem(field, 'title-too-long'));
  }
  for (const [field, value] of [
    ['textFr', input.text.fr],
    ['textEn', input.text.en],
  ] as const) {
    if (value.trim().length > MILESTONE_LIMITS.text) problems.push(problem(field, 'text-too-long'));
  }
  if (input.photoIds.length > MILESTONE_LIMITS.photos) problems.push(problem('photos', 'too-many-photos'));
  // The files service takes documents too; a milestone shows pictures only. Read in the transaction
  // (on SQLite a second connection would wait for it).
  const files = input.photoIds.length ? await trx.selectFrom('files').select('mime').where('id', 'in', input.photoIds).execute() : [];
  if (files.some((f) => !f.mime.startsWith('image/'))) problems.push(problem('photos', 'photo-not-image'));
  return problems;
}

/**
 * Adds a dated milestone with its photos to a tracked project, in the caller's transaction: the
 * milestone, its photos (attached to it in the files service, so they are kept and served), the
 * history, the audit entry and one message per follower commit together.
 */
export async function addMilestone(
  trx: Trx,
  kernel: Kernel,
  acting: CampaignActing,
  projectId: string,
  input: MilestoneInput,
): Promise<string> {
  const project = await trackedById(trx, projectId);
  if (!project) throw trackingError('not-tracked', 'This project is not a tracked result.');
  await assertMayTrack(trx, kernel, acting, project.envelopeCode);
  const problems = await problemsOf(trx, input);
  if (problems.length) {
    throw trackingError('invalid-change', `The milestone is invalid: ${problems.map((p) => p.field).join(', ')}.`, problems);
  }
  const id = newId();
  const title = { fr: input.title.fr.trim(), en: input.title.en.trim() || input.title.fr.trim() };
  const text = { fr: input.text.fr.trim(), en: input.text.en.trim() || input.text.fr.trim() };
  await trx
    .insertInto('pb_tracking_milestones')
    .values({
      id,
      project_id: projectId,
      happened_on: input.date,
      title_fr: title.fr,
      title_en: title.en,
      text_fr: text.fr,
      text_en: text.en,
      created_at: nowIso(),
    })
    .execute();
  if (input.photoIds.length) {
    await kernel.files.attach(trx, input.photoIds, milestoneOwner(id));
    await trx
      .insertInto('pb_tracking_photos')
      .values(input.photoIds.map((fileId, position) => ({ milestone_id: id, file_id: fileId, position })))
      .execute();
  }
  await trx.updateTable('pb_tracked_projects').set({ updated_at: nowIso() }).where('project_id', '=', projectId).execute();
  await recordHistory(trx, projectId, {
    kind: 'milestone',
    status: project.status,
    progress: project.progress,
    abandonReason: project.abandonReason,
    milestoneId: id,
  });
  await audit(trx, {
    actor: acting.actor,
    ip: acting.ip ?? null,
    action: 'participatory-budget.tracking.milestone',
    resourceType: 'participatory-budget:project',
    resourceId: projectId,
    details: { code: project.code, campaign: project.campaignCode, milestone: id, date: input.date, photos: input.photoIds.length },
  });
  const timeZone = kernel.config.city.timezone;
  await notifyFollowers(
    trx,
    kernel,
    project,
    inBothLanguages((lang) =>
      kernel.i18n.t(lang, 'participatory-budget.tracking.notice.milestone', {
        date: formatDate(lang, `${input.date}T12:00:00Z`, timeZone),
        title: title[lang],
      }),
    ),
  );
  return id;
}

/** A project's milestones, latest first, each with its photos in the order they were given. */
export async function milestonesOf(db: Executor, projectId: string): Promise<Milestone[]> {
  const rows = await db
    .selectFrom('pb_tracking_milestones')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('happened_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  const photos = rows.length
    ? await db
        .selectFrom('pb_tracking_photos')
        .select(['milestone_id', 'file_id'])
        .where(
          'milestone_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('position')
        .execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    date: r.happened_on,
    title: { fr: r.title_fr, en: r.title_en },
    text: { fr: r.text_fr, en: r.text_en },
    photos: photos.filter((p) => p.milestone_id === r.id).map((p) => ({ fileId: p.file_id })),
  }));
}
