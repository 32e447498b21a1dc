import { formatDateTime } from '../../../i18n/format.js';
import type { DeadJob } from '../../../jobs/jobs.js';
import { Form, Notice } from '../../../ui/components.js';
import type { ViewContext } from '../../../ui/context.js';

const PAYLOAD_SHOWN = 300;

/** The dead-letter list: jobs that used up their attempts, each with a button to queue it again. */
export function JobsPage({ ctx, jobs, notice }: { ctx: ViewContext; jobs: DeadJob[]; notice?: string }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.jobs.title')}</h1>
      <p class="lead">{t('admin.jobs.lead')}</p>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {jobs.length ? (
        <table class="data-table">
          <caption class="visually-hidden">{t('admin.jobs.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.jobs.name')}</th>
              <th scope="col">{t('admin.jobs.diedAt')}</th>
              <th scope="col">{t('admin.jobs.attempts')}</th>
              <th scope="col">{t('admin.jobs.error')}</th>
              <th scope="col">{t('admin.jobs.payload')}</th>
              <th scope="col">{t('admin.jobs.action')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => {
              const payload = JSON.stringify(job.payload) ?? '';
              return (
                <tr key={job.id}>
                  <th scope="row">{job.name}</th>
                  <td>{formatDateTime(ctx.lang, job.updatedAt, ctx.city.timezone)}</td>
                  <td>
                    {job.attempts} / {job.maxAttempts}
                  </td>
                  <td>{job.lastError}</td>
                  <td>
                    <code class="break">{payload.length > PAYLOAD_SHOWN ? `${payload.slice(0, PAYLOAD_SHOWN)}…` : payload}</code>
                  </td>
                  <td>
                    <Form ctx={ctx} action={`/admin/jobs/${job.id}/replay`} class="inline-form">
                      <button type="submit" class="secondary">
                        {t('admin.jobs.replay')}
                        <span class="visually-hidden"> {job.name}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p>{t('admin.jobs.none')}</p>
      )}
    </>
  );
}
