import type { Districts } from '../../../../kernel/geo/districts.js';
import type { Projection } from '../../../../kernel/geo/map.js';
import { Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { Campaign } from '../../campaigns/store.js';
import type { ProposalRow } from '../store.js';
import { PointsMap } from './points-map.js';
import { ProposalFacts } from './proposal-facts.js';

/** What the visitor may do with the "+1": give it, withdraw it, sign in first, or nothing (closed, own, not published). */
export type SupportState = 'give' | 'withdraw' | 'sign-in' | 'none';

/** A proposal as the public (and its author) sees it: its text, place, images, supports, and the project it went into. */
export function ProposalPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  proposal: ProposalRow;
  projectCode: string | null;
  images: { id: string; name: string }[];
  districts: Districts;
  proj: Projection;
  support: SupportState;
  notice?: string;
}) {
  const { ctx, campaign, proposal: p } = props;
  const t = ctx.t;
  const base = `/budget/${campaign.code}`;
  const action = `${base}/proposals/${p.id}/support`;
  return (
    <>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <p>
        <a href={`${base}/proposals`}>{t('participatory-budget.proposal.back')}</a>
      </p>
      <h1 id="proposal-title">{p.title}</h1>
      <ProposalFacts
        ctx={ctx}
        campaign={campaign}
        proposal={p}
        project={props.projectCode ? { code: props.projectCode, href: `${base}/projects/${props.projectCode}` } : null}
        images={props.images}
      />
      {p.lat !== null && p.lng !== null ? (
        <PointsMap
          title={t('participatory-budget.proposal.mapTitle')}
          districts={props.districts}
          proj={props.proj}
          points={[{ lat: p.lat, lng: p.lng, href: '#proposal-title', label: p.title }]}
        />
      ) : null}
      <section aria-labelledby="supports-heading">
        <h2 id="supports-heading">{t('participatory-budget.proposal.supports', { count: p.supports })}</h2>
        {props.support === 'give' ? (
          <Form ctx={ctx} action={action}>
            <input type="hidden" name="do" value="give" />
            <button type="submit" class="button">
              {t('participatory-budget.proposal.give')}
            </button>
          </Form>
        ) : props.support === 'withdraw' ? (
          <Form ctx={ctx} action={action}>
            <p>{t('participatory-budget.proposal.youSupport')}</p>
            <input type="hidden" name="do" value="withdraw" />
            <button type="submit" class="button secondary">
              {t('participatory-budget.proposal.withdraw')}
            </button>
          </Form>
        ) : props.support === 'sign-in' ? (
          <p>
            <a href={`/login?next=${encodeURIComponent(`${base}/proposals/${p.id}`)}`}>
              {t('participatory-budget.proposal.signInToSupport')}
            </a>
          </p>
        ) : null}
      </section>
    </>
  );
}
