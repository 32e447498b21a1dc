import { formatDate } from '../../../../kernel/i18n/format.js';
import type { Kernel } from '../../../../kernel/kernel.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { QueueRow } from '../../domain/queue.js';
import type { Names } from './labels.js';
import { DistrictMap, districtBox } from './map.js';
import { Stylesheet } from './queue.js';

const EXCERPT = 160;

/** A printable round for a field team: the stops in route order, numbered alike on the map and in the list. */
export function RouteSheetPage(props: {
  ctx: ViewContext;
  kernel: Kernel;
  names: Names;
  district: string | undefined;
  stops: (QueueRow & { legMetres: number })[];
  totalMetres: number;
  truncated: boolean;
  back: string;
}) {
  const { ctx, names, stops } = props;
  const t = ctx.t;
  const where = props.district ? names.district(props.district) : t('street-reports.admin.route.allDistricts');
  return (
    <div class="route-sheet">
      <Stylesheet />
      <p class="no-print">
        <a href={props.back}>{t('street-reports.admin.back')}</a>
      </p>
      <h1>{t('street-reports.admin.route.title', { where })}</h1>
      <p>
        {t('street-reports.admin.route.summary', {
          count: stops.length,
          km: (props.totalMetres / 1000).toLocaleString(ctx.lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }),
          date: formatDate(ctx.lang, new Date().toISOString(), ctx.city.timezone),
        })}
      </p>
      <p class="hint no-print">{t('street-reports.admin.route.printHint')}</p>
      {props.truncated ? <p class="hint">{t('street-reports.admin.route.truncated', { count: stops.length })}</p> : null}
      {stops.length === 0 ? (
        <p>{t('street-reports.admin.queue.none')}</p>
      ) : (
        <>
          <div class="map-frame">
            <DistrictMap
              kernel={props.kernel}
              id="route-map"
              box={props.district ? districtBox(props.kernel, props.district) : undefined}
              title={t('street-reports.admin.route.mapTitle', { count: stops.length, where })}
              points={stops.map((s, i) => ({ lat: s.lat, lng: s.lng, label: String(i + 1), priority: s.priority }))}
              route
            />
          </div>
          <table class="data-table route-table">
            <caption>{t('street-reports.admin.route.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('street-reports.admin.route.stop')}</th>
                <th scope="col">{t('street-reports.admin.field.reference')}</th>
                <th scope="col">{t('street-reports.admin.field.category')}</th>
                <th scope="col">{t('street-reports.admin.field.address')}</th>
                <th scope="col">{t('street-reports.admin.field.priority')}</th>
                <th scope="col">{t('street-reports.admin.field.description')}</th>
                <th scope="col">{t('street-reports.admin.route.leg')}</th>
                <th scope="col">{t('street-reports.admin.route.done')}</th>
              </tr>
            </thead>
            <tbody>
              {stops.map((s, i) => (
                <tr key={s.id}>
                  <td>{i + 1}</td>
                  <th scope="row">
                    <a href={`/admin/reports/${s.id}`}>{s.reference}</a>
                  </th>
                  <td>{names.category(s.category)}</td>
                  <td>
                    {s.address ?? `${s.lat.toFixed(5)}, ${s.lng.toFixed(5)}`}
                    <br />
                    <span class="hint">{names.district(s.district)}</span>
                  </td>
                  <td>{names.priority(s.priority)}</td>
                  <td>{s.description.length > EXCERPT ? `${s.description.slice(0, EXCERPT)}…` : s.description}</td>
                  <td>{i === 0 ? '—' : `${Math.round(s.legMetres)} m`}</td>
                  <td>
                    <span class="tick-box" role="img" aria-label={t('street-reports.admin.route.tick')} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
