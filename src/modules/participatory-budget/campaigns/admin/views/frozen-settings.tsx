import type { ComponentChildren } from 'preact';
import type { ViewContext } from '../../../../../kernel/ui/context.js';
import { euros } from '../../../results/views/labels.js';
import type { Eligibility } from '../../../voting/eligibility.js';
import type { Envelope } from '../../store.js';
import { RULE_NUMBERS } from '../form-names.js';

function Row(props: { term: string; children: ComponentChildren }) {
  return (
    <div class="summary-row">
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

/** The envelopes of a campaign whose vote has opened, as text: nothing of them may change any more. */
export function FrozenEnvelopes(props: { ctx: ViewContext; envelopes: Envelope[] }) {
  const t = props.ctx.t;
  return (
    <>
      {props.envelopes.map((e) => {
        const rules = e.ballotRules as Record<string, unknown>;
        return (
          <section key={e.code}>
            <h3>{e.label[props.ctx.lang]}</h3>
            <dl class="summary-list">
              <Row term={t('participatory-budget.campaigns.field.amount')}>{euros(props.ctx, e.amount)}</Row>
              {e.reserved.map((r) => (
                <Row key={r.code} term={r.label[props.ctx.lang]}>
                  {euros(props.ctx, r.amount)}
                </Row>
              ))}
              <Row term={t('participatory-budget.campaigns.field.ballot')}>{t(`participatory-budget.campaigns.ballot.${rules.type}`)}</Row>
              {RULE_NUMBERS.filter((k) => typeof rules[k] === 'number').map((k) => (
                <Row key={k} term={t(`participatory-budget.campaigns.rule.${k}`)}>
                  {String(rules[k])}
                </Row>
              ))}
              {Array.isArray(rules.grades) ? (
                <Row term={t('participatory-budget.campaigns.rule.grades')}>{rules.grades.join(', ')}</Row>
              ) : null}
              <Row term={t('participatory-budget.campaigns.field.winner')}>
                {t(`participatory-budget.campaigns.winner.${e.winnerRule}`)}
              </Row>
            </dl>
          </section>
        );
      })}
    </>
  );
}

export function FrozenEligibility(props: { ctx: ViewContext; eligibility: Eligibility }) {
  const t = props.ctx.t;
  const e = props.eligibility;
  return (
    <dl class="summary-list">
      <Row term={t('participatory-budget.campaigns.field.minimumAge')}>
        {e.minimumAge === null ? t('participatory-budget.campaigns.eligibility.noMinimumAge') : String(e.minimumAge)}
      </Row>
      <Row term={t('participatory-budget.campaigns.field.residenceRequired')}>
        {t(e.residenceRequired ? 'participatory-budget.campaigns.yes' : 'participatory-budget.campaigns.no')}
      </Row>
      <Row term={t('participatory-budget.campaigns.field.assuranceLevel')}>
        {t(`participatory-budget.campaigns.assurance.${e.assuranceLevel}`)}
      </Row>
    </dl>
  );
}
