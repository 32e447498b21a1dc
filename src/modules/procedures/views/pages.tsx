import type { ComponentChildren } from 'preact';
import type { FormDefinition } from '../../../kernel/forms/definition.js';
import { FormAnswers } from '../../../kernel/forms/index.js';
import { Notice } from '../../../kernel/ui/components.js';
import type { ViewContext } from '../../../kernel/ui/context.js';
import type { EligibilityNote, Procedure } from '../procedure.js';
import type { Application } from '../store.js';

export function ProcedureListPage({ ctx, procedures }: { ctx: ViewContext; procedures: readonly Procedure[] }) {
  const t = ctx.t;
  return (
    <>
      <h1>{t('procedures.list.title')}</h1>
      <p class="lead">{t('procedures.list.lead')}</p>
      {procedures.length ? (
        <ul class="cards">
          {procedures.map((p) => (
            <li key={p.code} class="card">
              <h2>
                <a href={`/procedures/${p.code}`}>{p.title[ctx.lang]}</a>
              </h2>
              <p>{p.summary[ctx.lang]}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('procedures.list.none')}</p>
      )}
    </>
  );
}

export function ProcedurePage({ ctx, procedure }: { ctx: ViewContext; procedure: Procedure }) {
  const t = ctx.t;
  return (
    <div class="prose">
      <h1>{procedure.title[ctx.lang]}</h1>
      {procedure.description.map((p) => (
        <p key={p.fr}>{p[ctx.lang]}</p>
      ))}
      <p>
        <a class="button" href={`/procedures/${procedure.code}/apply`}>
          {ctx.user ? t('procedures.start') : t('procedures.startSignedOut')}
        </a>
      </p>
    </div>
  );
}

/** The applicant's view of what they sent; the demand page holds the history and the messages. */
export function ApplicationPage(props: {
  ctx: ViewContext;
  procedure: Procedure;
  form: FormDefinition;
  application: Application;
  reference: string;
  sent: boolean;
}) {
  const { ctx, application } = props;
  const t = ctx.t;
  return (
    <>
      <h1>
        {props.procedure.title[ctx.lang]} <span class="hint">({props.reference})</span>
      </h1>
      {props.sent ? <Notice kind="success">{t('procedures.application.sent')}</Notice> : null}
      <p>
        <a class="button" href={`/account/demands/${application.demandId}`}>
          {t('procedures.application.follow')}
        </a>
      </p>
      <h2>{t('procedures.application.answers')}</h2>
      <FormAnswers ctx={ctx} definition={props.form} data={application.data} />
    </>
  );
}

function Checks({ ctx, notes }: { ctx: ViewContext; notes: EligibilityNote[] }) {
  const t = ctx.t;
  return (
    <section aria-labelledby="checks-title">
      <h2 id="checks-title">{t('procedures.admin.checks')}</h2>
      <ul class="checks">
        {notes.map((n) => (
          <li key={n.text.fr} class={n.passed ? 'check-passed' : 'check-failed'}>
            <strong>{n.passed ? t('procedures.admin.passed') : t('procedures.admin.failed')}</strong> — {n.text[ctx.lang]}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The agents' file: checks, answers, attachments, and the workflow panel with its actions. */
export function AgentApplicationPage(props: {
  ctx: ViewContext;
  procedure: Procedure;
  form: FormDefinition;
  application: Application;
  reference: string;
  notes: EligibilityNote[];
  workflow: ComponentChildren;
  notice?: string;
}) {
  const { ctx, application } = props;
  const t = ctx.t;
  return (
    <>
      <h1>
        {props.procedure.title[ctx.lang]} <span class="hint">({props.reference})</span>
      </h1>
      {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
      <p>
        <a href={`/admin/demands/${application.demandId}`}>{t('procedures.admin.demand')}</a>
      </p>
      <Checks ctx={ctx} notes={props.notes} />
      {props.workflow}
      <h2>{t('procedures.admin.answers')}</h2>
      <FormAnswers ctx={ctx} definition={props.form} data={application.data} />
    </>
  );
}
