import { ErrorSummary, type FieldError, Form, Notice } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { TextArea } from '../../../../kernel/ui/fields.js';
import type { Campaign } from '../../campaigns/store.js';
import type { ProposalRow } from '../store.js';
import { ProposalFacts } from './proposal-facts.js';

/** One proposal in the back office: what the resident wrote, and the moderation forms while it awaits them. */
export function AdminProposalPage(props: {
  ctx: ViewContext;
  campaign: Campaign;
  proposal: ProposalRow;
  projectCode: string | null;
  images: { id: string; name: string }[];
  mayModerate: boolean;
  errors: FieldError[];
  notice?: string;
}) {
  const { ctx, campaign, proposal: p } = props;
  const t = ctx.t;
  const base = `/admin/budget/${campaign.code}`;
  const action = `${base}/proposals/${p.id}/moderate`;
  return (
    <>
      <p>
        <a href={`${base}/proposals?status=${p.status}`}>{t('participatory-budget.admin.proposals.back')}</a>
      </p>
      <h1>
        {p.reference} — {p.title}
      </h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <p>{t('participatory-budget.proposal.supports', { count: p.supports })}</p>
      <ProposalFacts
        ctx={ctx}
        campaign={campaign}
        proposal={p}
        project={props.projectCode ? { code: props.projectCode, href: `${base}/projects/${props.projectCode}` } : null}
        images={props.images}
      />
      {props.mayModerate && p.status === 'submitted' ? (
        <Form ctx={ctx} action={action}>
          <input type="hidden" name="decision" value="publish" />
          <button type="submit" class="button">
            {t('participatory-budget.admin.moderate.publish')}
          </button>
        </Form>
      ) : null}
      {props.mayModerate && (p.status === 'submitted' || p.status === 'published') ? (
        <Form ctx={ctx} action={action}>
          <h2>{t('participatory-budget.admin.moderate.removeTitle')}</h2>
          <input type="hidden" name="decision" value="remove" />
          <TextArea
            name="reason"
            label={t('participatory-budget.admin.moderate.reason')}
            hint={t('participatory-budget.admin.moderate.reasonHint')}
            maxLength={2000}
            errors={props.errors}
          />
          <button type="submit" class="button secondary">
            {t('participatory-budget.admin.moderate.remove')}
          </button>
        </Form>
      ) : null}
    </>
  );
}
