import { formatDate } from '../../../../kernel/i18n/format.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Campaign } from '../../campaigns/store.js';
import type { ProposalRow } from '../store.js';
import { envelopeLabel, euros, themeLabel } from './labels.js';

/**
 * What a proposal says, as the public, its author and agents read it: reference, status (a link to
 * the project it was merged into, on the reader's side of the site), the removal's reason, envelope,
 * theme, estimate, address, date, the text and its images.
 */
export function ProposalFacts(props: {
  ctx: ViewContext;
  campaign: Campaign;
  proposal: ProposalRow;
  project: { code: string; href: string } | null;
  images: { id: string; name: string }[];
}) {
  const { ctx, campaign, proposal: p, project } = props;
  const t = ctx.t;
  return (
    <>
      <dl class="summary-list">
        <dt>{t('participatory-budget.proposal.reference')}</dt>
        <dd>{p.reference}</dd>
        <dt>{t('participatory-budget.list.status')}</dt>
        <dd>
          {project ? (
            <a href={project.href}>{t('participatory-budget.proposal.mergedInto', { project: project.code })}</a>
          ) : (
            t(`participatory-budget.proposal.status.${p.status}`)
          )}
        </dd>
        {p.removal_reason ? (
          <>
            <dt>{t('participatory-budget.proposal.removalReason')}</dt>
            <dd>{p.removal_reason}</dd>
          </>
        ) : null}
        <dt>{t('participatory-budget.list.envelope')}</dt>
        <dd>{envelopeLabel(ctx, campaign, p.envelope_code)}</dd>
        <dt>{t('participatory-budget.list.theme')}</dt>
        <dd>{themeLabel(ctx, campaign, p.theme_code)}</dd>
        <dt>{t('participatory-budget.proposal.estimate')}</dt>
        <dd>{euros(ctx, p.cost)}</dd>
        {p.address ? (
          <>
            <dt>{t('participatory-budget.proposal.address')}</dt>
            <dd>{p.address}</dd>
          </>
        ) : null}
        <dt>{t('participatory-budget.proposal.submittedOn')}</dt>
        <dd>{formatDate(ctx.lang, p.created_at, ctx.city.timezone)}</dd>
      </dl>
      <h2>{t('participatory-budget.propose.field.description')}</h2>
      {p.description.split(/\n\s*\n/).map((paragraph) => (
        <p key={paragraph}>{paragraph}</p>
      ))}
      {props.images.length ? (
        <ul class="photo-list">
          {props.images.map((image, i) => (
            <li key={image.id}>
              <a href={`/files/${image.id}`}>
                <img src={`/files/${image.id}/thumb`} alt={t('participatory-budget.proposal.image', { n: i + 1 })} />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
