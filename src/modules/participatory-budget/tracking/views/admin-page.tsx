import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { PhotosField, SelectField, TextArea, TextField } from '../../../../kernel/ui/fields.js';
import { REASON_MAX } from '../change.js';
import { MILESTONE_LIMITS, type Milestone } from '../milestones.js';
import { trackedPath } from '../notify-followers.js';
import type { TrackedProject } from '../project.js';
import { TRACKING_STATUSES } from '../statuses.js';
import { MilestoneTimeline } from './milestones.js';
import { ProgressOf } from './progress.js';

/**
 * The back office of one tracked project: set its status and progress (with the reason when it is
 * given up), add a dated milestone with photos, see the milestones published. Both forms work
 * without JavaScript; a refused one comes back with what was typed and its errors.
 */
export function TrackingAdminPage(props: {
  ctx: ViewContext;
  project: TrackedProject;
  milestones: Milestone[];
  errors: FieldError[];
  form: Record<string, string>;
  notice?: 'updated' | 'milestoneAdded';
}) {
  const { ctx, project, errors, form } = props;
  const t = ctx.t;
  const base = `/admin/budget/${project.campaignCode}/realisations/${project.code}`;
  const photoError = errors.find((e) => e.field === 'photos')?.message;
  return (
    <>
      {props.notice ? <Notice kind="success">{t(`participatory-budget.tracking.admin.${props.notice}`)}</Notice> : null}
      <h1>{t('participatory-budget.tracking.admin.title', { code: project.code })}</h1>
      <p class="lead">{project.title[ctx.lang]}</p>
      <ProgressOf ctx={ctx} id={project.code} status={project.status} progress={project.progress} />
      <p>
        <a href={trackedPath(project)}>{t('participatory-budget.tracking.admin.public')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <section aria-labelledby="progress-heading">
        <h2 id="progress-heading">{t('participatory-budget.tracking.admin.progressForm')}</h2>
        <Form ctx={ctx} action={`${base}/progress`}>
          <SelectField
            name="status"
            label={t('participatory-budget.tracking.admin.statusField')}
            value={form.status ?? project.status}
            choices={TRACKING_STATUSES.map((s) => ({ value: s, label: t(`participatory-budget.tracking.status.${s}`) }))}
            errors={errors}
          />
          <TextField
            name="progress"
            label={t('participatory-budget.tracking.admin.progressField')}
            hint={t('participatory-budget.tracking.admin.progressHint')}
            inputMode="numeric"
            value={form.progress ?? String(project.progress)}
            errors={errors}
          />
          <TextArea
            name="reason"
            label={t('participatory-budget.tracking.admin.reasonField')}
            hint={t('participatory-budget.tracking.admin.reasonHint')}
            maxLength={REASON_MAX}
            value={form.reason ?? project.abandonReason ?? ''}
            errors={errors}
          />
          <div class="form-actions">
            <button type="submit" class="button">
              {t('participatory-budget.tracking.admin.save')}
            </button>
          </div>
        </Form>
      </section>
      <section aria-labelledby="milestone-heading">
        <h2 id="milestone-heading">{t('participatory-budget.tracking.admin.milestoneForm')}</h2>
        <Form ctx={ctx} action={`${base}/milestones`} enctype="multipart/form-data">
          <TextField name="date" type="date" label={t('participatory-budget.tracking.admin.dateField')} value={form.date} errors={errors} />
          <TextField
            name="titleFr"
            label={t('participatory-budget.tracking.admin.titleFr')}
            maxLength={MILESTONE_LIMITS.title}
            value={form.titleFr}
            errors={errors}
          />
          <TextField
            name="titleEn"
            label={t('participatory-budget.tracking.admin.titleEn')}
            hint={t('participatory-budget.tracking.admin.englishHint')}
            maxLength={MILESTONE_LIMITS.title}
            value={form.titleEn}
            errors={errors}
          />
          <TextArea
            name="textFr"
            label={t('participatory-budget.tracking.admin.textFr')}
            maxLength={MILESTONE_LIMITS.text}
            value={form.textFr}
            errors={errors}
          />
          <TextArea
            name="textEn"
            label={t('participatory-budget.tracking.admin.textEn')}
            hint={t('participatory-budget.tracking.admin.englishHint')}
            maxLength={MILESTONE_LIMITS.text}
            value={form.textEn}
            errors={errors}
          />
          <PhotosField
            name="photos"
            label={t('participatory-budget.tracking.admin.photos', { max: MILESTONE_LIMITS.photos })}
            hint={t('participatory-budget.tracking.admin.photosHint')}
            error={photoError}
            accept="image/jpeg,image/png,image/webp"
          />
          <div class="form-actions">
            <button type="submit" class="button">
              {t('participatory-budget.tracking.admin.addMilestone')}
            </button>
          </div>
        </Form>
      </section>
      <section aria-labelledby="milestones-heading">
        <h2 id="milestones-heading">{t('participatory-budget.tracking.project.milestones')}</h2>
        <MilestoneTimeline ctx={ctx} milestones={props.milestones} headingLevel="h2" />
      </section>
    </>
  );
}

/** The back office's list of a campaign's tracked projects that the agent may update. */
export function TrackingAdminList(props: { ctx: ViewContext; campaignTitle: string; campaignCode: string; projects: TrackedProject[] }) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <>
      <h1>{t('participatory-budget.tracking.admin.listTitle', { campaign: props.campaignTitle })}</h1>
      <p>{t('participatory-budget.tracking.list.count', { count: props.projects.length })}</p>
      <ul class="tracking-list">
        {props.projects.map((p) => (
          <li key={p.id} class="card">
            <h2>
              <a href={`/admin/budget/${props.campaignCode}/realisations/${p.code}`}>
                {p.code} — {p.title[ctx.lang]}
              </a>
            </h2>
            <p class="hint">{p.envelopeLabel[ctx.lang]}</p>
            <ProgressOf ctx={ctx} id={p.code} status={p.status} progress={p.progress} />
          </li>
        ))}
      </ul>
    </>
  );
}
