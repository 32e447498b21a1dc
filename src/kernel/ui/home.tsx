import type { Kernel } from '../kernel.js';
import type { ViewContext } from './context.js';

/** The one-stop portal: every enabled service, then the city's districts. */
export function HomePage({ ctx, kernel }: { ctx: ViewContext; kernel: Kernel }) {
  const services = kernel.modules
    .flatMap((m) => m.navigation?.public ?? [])
    .filter((e) => e.description)
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
  const districtLabel = kernel.config.city.districts?.label[ctx.lang];
  return (
    <>
      <h1>{ctx.city.name[ctx.lang]}</h1>
      <p class="lead">{ctx.t('ui.home.lead')}</p>
      <h2>{ctx.t('ui.home.services')}</h2>
      {services.length ? (
        <ul class="cards">
          {services.map((s) => (
            <li class="card" key={s.href}>
              <h3>
                <a href={s.href}>{ctx.t(s.label)}</a>
              </h3>
              <p>{ctx.t(s.description as string)}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{ctx.t('ui.home.noServices')}</p>
      )}
      {districtLabel && kernel.districts.all.length ? (
        <>
          <h2>{ctx.t('ui.home.districts', { label: districtLabel })}</h2>
          <ul class="districts">
            {kernel.districts.all.map((d) => (
              <li key={d.code}>{d.name}</li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
