import type { NavigationEntry } from '../../../modules.js';
import type { ViewContext } from '../../../ui/context.js';

/** The back office's entrance: one card per section this agent may open. */
export function AdminHome({ ctx, name, sections }: { ctx: ViewContext; name: string; sections: NavigationEntry[] }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('admin.home.title')}</h1>
      <p class="lead">{t('admin.home.welcome', { name })}</p>
      {sections.length ? (
        <ul class="cards">
          {sections.map((s) => (
            <li class="card" key={s.href}>
              <h2>
                <a href={s.href}>{t(s.label)}</a>
              </h2>
              {s.description ? <p>{t(s.description)}</p> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('admin.home.nothing')}</p>
      )}
    </>
  );
}
