import { formatDate, formatDateTime } from '../../../../kernel/i18n/format.js';
import { Form } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { CategoryTree } from '../../domain/categories.js';
import type { PublicReport } from '../../domain/public-queries.js';
import { reportWorkflow } from '../../workflow.js';
import { mapImageUrl } from './map.js';
import { ReportingAssets } from './report-form.js';

function stateLabel(ctx: ViewContext, state: string): string {
  return reportWorkflow.states[state]?.label[ctx.lang] ?? state;
}

/** The public page of a report: what, where, its public history and photos; follow or unfollow. */
export function ReportPage(props: {
  ctx: ViewContext;
  tree: CategoryTree;
  report: PublicReport;
  districtName: string;
  /** Null when anonymous (a link to log in instead of the button). */
  following: boolean | null;
  isReporter: boolean;
  notice?: 'sent' | 'followed' | 'unfollowed';
}) {
  const { ctx, report, tree } = props;
  const t = ctx.t;
  const category = tree.byCode.get(report.category);
  const title = category?.label[ctx.lang] ?? report.category;
  const family = category?.parents.map((p) => tree.byCode.get(p)?.label[ctx.lang] ?? p).join(' › ');
  return (
    <article class="report-page">
      {props.notice === 'sent' ? (
        <div class="confirmation-panel" role="status">
          <h2>{t('street-reports.public.report.sentTitle')}</h2>
          <p>
            {t('street-reports.public.report.sentReference')} <strong class="reference">{report.reference}</strong>
          </p>
          <p>{t(props.isReporter ? 'street-reports.public.report.sentSigned' : 'street-reports.public.report.sentAnonymous')}</p>
        </div>
      ) : props.notice ? (
        <div class="notice notice-success" role="status">
          {t(`street-reports.public.report.${props.notice}`)}
        </div>
      ) : null}
      <p class="hint">{family}</p>
      <h1>
        {title} <span class="hint">({report.reference})</span>
      </h1>
      <p>
        <span class={`status status-${report.status === 'closed' ? 'closed' : 'ongoing'}`}>{stateLabel(ctx, report.publicState)}</span>{' '}
        {t('street-reports.public.report.filedOn', { date: formatDate(ctx.lang, report.createdAt, ctx.city.timezone) })}
      </p>
      <h2>{t('street-reports.public.report.place')}</h2>
      <p>
        {report.address ? `${report.address} — ` : ''}
        {props.districtName}
      </p>
      <img
        class="report-place-map"
        src={mapImageUrl({ lat: report.lat, lng: report.lng, zoom: 16 }, report)}
        alt={t('street-reports.public.report.mapAlt', { district: props.districtName })}
        width={340}
      />
      {report.description ? (
        <>
          <h2>{t('street-reports.public.report.description')}</h2>
          <p class="report-description">{report.description}</p>
        </>
      ) : null}
      {report.photos.length ? (
        <>
          <h2>{t('street-reports.public.report.photos')}</h2>
          <ul class="photo-list">
            {report.photos.map((p, i) => (
              <li key={p.fileId}>
                <a href={`/files/${p.fileId}`}>
                  <img src={`/files/${p.fileId}/thumb`} alt={t('street-reports.public.report.photoAlt', { n: i + 1 })} width={160} />
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t('street-reports.public.report.history')}</h2>
      <ol class="report-history">
        {report.history.map((h) => (
          <li key={`${h.at}-${h.state}`}>
            <time dateTime={h.at}>{formatDateTime(ctx.lang, h.at, ctx.city.timezone)}</time> — <strong>{stateLabel(ctx, h.state)}</strong>
            {h.comment ? <p>{h.comment}</p> : null}
            {h.photo ? (
              <a href={`/files/${h.photo}`}>
                <img src={`/files/${h.photo}/thumb`} alt={t('street-reports.public.report.afterAlt')} width={160} />
              </a>
            ) : null}
          </li>
        ))}
      </ol>
      <h2>{t('street-reports.public.report.follow')}</h2>
      <p>{t('street-reports.public.report.followers', { count: report.followers })}</p>
      {props.isReporter ? (
        <p>{t('street-reports.public.report.yours')}</p>
      ) : props.following === null ? (
        <p>
          <a href={`/login?next=${encodeURIComponent(`/reports/${report.id}`)}`}>{t('street-reports.public.report.loginToFollow')}</a>
        </p>
      ) : (
        <Form ctx={ctx} action={`/reports/${report.id}/${props.following ? 'unfollow' : 'follow'}`}>
          <button type="submit" class={props.following ? 'button secondary' : 'button'}>
            {t(props.following ? 'street-reports.public.report.unfollowButton' : 'street-reports.public.report.followButton')}
          </button>
        </Form>
      )}
      <p>
        <a href="/reports">{t('street-reports.public.report.allReports')}</a> · <a href="/reports/new">{t('street-reports.nav')}</a>
      </p>
      <ReportingAssets />
    </article>
  );
}
