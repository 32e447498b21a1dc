import type { FieldError } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { BallotCheck, BallotProblem } from '../../ballots/validate.js';
import { type BallotValues, gradeField, PROJECT_FIELD, pointsField } from '../ballot-form.js';
import type { BallotProject, EnvelopeBallot } from '../envelope-ballot.js';
import { euros } from './money.js';

/** A grade's label: the city's message for its code, else the code itself. */
export function gradeLabel(ctx: ViewContext, grade: string): string {
  const key = `participatory-budget.grade.${grade}`;
  const label = ctx.t(key);
  return label === key ? grade : label;
}

/** The id of the control a problem is about, for the error summary's link. */
function anchor(envelope: EnvelopeBallot, problem: BallotProblem): string {
  if (problem.projectId === undefined || !envelope.projects.some((p) => p.code === problem.projectId)) return 'ballot';
  switch (envelope.rules.type) {
    case 'cumulative':
      return pointsField(problem.projectId);
    case 'majority-judgement':
      return gradeField(problem.projectId);
    default:
      return `${PROJECT_FIELD}-${problem.projectId}`;
  }
}

/** Every problem of a ballot as a sentence linked to its control. */
export function problemErrors(ctx: ViewContext, envelope: EnvelopeBallot, problems: readonly BallotProblem[]): FieldError[] {
  const title = (code: string | undefined) => envelope.projects.find((p) => p.code === code)?.title[ctx.lang] ?? code ?? '';
  return problems.map((p) => {
    const params: Record<string, string | number> = { ...p.params, project: title(p.projectId) };
    for (const money of ['budget', 'total', 'minimum'] as const) {
      if (p.params?.[money] !== undefined && p.code !== 'too-many-points' && p.code !== 'too-few-points')
        params[money] = euros(ctx.lang, p.params[money]);
    }
    return { field: anchor(envelope, p), message: ctx.t(`participatory-budget.ballot.${p.code}`, params) };
  });
}

/** What the rules ask, in one sentence above the ballot. */
export function RulesHint({ ctx, envelope }: { ctx: ViewContext; envelope: EnvelopeBallot }) {
  const r = envelope.rules;
  const amount = euros(ctx.lang, envelope.amount);
  switch (r.type) {
    case 'approval':
      return <p class="lead">{ctx.t('participatory-budget.vote.rules.approval', { max: r.maxProjects, min: r.minProjects })}</p>;
    case 'knapsack':
      return (
        <p class="lead">
          {ctx.t('participatory-budget.vote.rules.knapsack', { amount })}{' '}
          {r.minSpendPercent ? ctx.t('participatory-budget.vote.rules.knapsackMinimum', { percent: r.minSpendPercent }) : null}
        </p>
      );
    case 'cumulative':
      return (
        <p class="lead">
          {ctx.t('participatory-budget.vote.rules.cumulative', { points: r.points, min: r.minProjects, max: r.maxPointsPerProject })}
        </p>
      );
    case 'majority-judgement':
      return <p class="lead">{ctx.t('participatory-budget.vote.rules.majority-judgement')}</p>;
  }
}

/** The running totals, computed by the server from what was sent (the "update" button): no script needed. */
export function BallotSummary({ ctx, envelope, check }: { ctx: ViewContext; envelope: EnvelopeBallot; check: BallotCheck }) {
  const r = envelope.rules;
  const lines: string[] = [];
  if (r.type === 'approval' || r.type === 'knapsack') {
    lines.push(ctx.t('participatory-budget.vote.summary.chosen', { count: check.projects }));
    lines.push(
      ctx.t('participatory-budget.vote.summary.cost', {
        total: euros(ctx.lang, check.totalCost?.toString() ?? 0),
        amount: euros(ctx.lang, envelope.amount),
      }),
    );
  } else if (r.type === 'cumulative') {
    lines.push(ctx.t('participatory-budget.vote.summary.points', { total: check.totalPoints ?? 0, points: r.points }));
  } else {
    lines.push(ctx.t('participatory-budget.vote.summary.graded', { count: check.projects, total: envelope.projects.length }));
  }
  return (
    <div class="notice" role="status" aria-live="polite" id="ballot-summary">
      {lines.map((l) => (
        <p key={l}>{l}</p>
      ))}
    </div>
  );
}

function ProjectText({ ctx, project }: { ctx: ViewContext; project: BallotProject }) {
  return (
    <>
      <strong>{project.title[ctx.lang]}</strong> — {euros(ctx.lang, project.cost)}
      <span class="hint">{project.description[ctx.lang]}</span>
    </>
  );
}

/**
 * The ballot's controls for the envelope's type: checkboxes (approval, knapsack), a number of
 * points per project (cumulative), a group of grades per project (majority judgement).
 */
export function BallotFields({ ctx, envelope, values }: { ctx: ViewContext; envelope: EnvelopeBallot; values: BallotValues }) {
  const r = envelope.rules;
  if (r.type === 'approval' || r.type === 'knapsack') {
    return (
      <fieldset class="field" id="ballot">
        <legend>{ctx.t('participatory-budget.vote.projects')}</legend>
        <div class="choices">
          {envelope.projects.map((p) => (
            <label key={p.code} class="checkbox">
              <input
                type="checkbox"
                id={`${PROJECT_FIELD}-${p.code}`}
                name={PROJECT_FIELD}
                value={p.code}
                checked={values.chosen.has(p.code)}
              />
              <ProjectText ctx={ctx} project={p} />
            </label>
          ))}
        </div>
      </fieldset>
    );
  }
  if (r.type === 'cumulative') {
    return (
      <fieldset class="field" id="ballot">
        <legend>{ctx.t('participatory-budget.vote.projects')}</legend>
        {envelope.projects.map((p) => (
          <div class="field" key={p.code}>
            <label for={pointsField(p.code)}>
              <ProjectText ctx={ctx} project={p} />
            </label>
            <input
              type="number"
              id={pointsField(p.code)}
              name={pointsField(p.code)}
              min={0}
              max={r.maxPointsPerProject}
              inputMode="numeric"
              value={values.points.get(p.code) ?? ''}
              aria-describedby="ballot-points-hint"
            />
          </div>
        ))}
        <p class="hint" id="ballot-points-hint">
          {ctx.t('participatory-budget.vote.pointsHint', { max: r.maxPointsPerProject })}
        </p>
      </fieldset>
    );
  }
  return (
    <div id="ballot">
      {envelope.projects.map((p) => (
        <fieldset class="field" key={p.code}>
          <legend>
            <ProjectText ctx={ctx} project={p} />
          </legend>
          <div class="choices">
            {r.grades.map((g, i) => (
              <label key={g}>
                <input
                  type="radio"
                  id={i === 0 ? gradeField(p.code) : `${gradeField(p.code)}-${g}`}
                  name={gradeField(p.code)}
                  value={g}
                  checked={values.grades.get(p.code) === g}
                />
                {gradeLabel(ctx, g)}
              </label>
            ))}
          </div>
        </fieldset>
      ))}
    </div>
  );
}

/** A ballot's choices in words, for the review and the agent's confirmation. */
export function BallotChoices({ ctx, envelope, values }: { ctx: ViewContext; envelope: EnvelopeBallot; values: BallotValues }) {
  const r = envelope.rules;
  const rows = envelope.projects.flatMap((p) => {
    if (r.type === 'approval' || r.type === 'knapsack') return values.chosen.has(p.code) ? [[p, euros(ctx.lang, p.cost)] as const] : [];
    if (r.type === 'cumulative') {
      const points = values.points.get(p.code);
      return points ? [[p, ctx.t('participatory-budget.vote.pointsGiven', { points })] as const] : [];
    }
    const grade = values.grades.get(p.code);
    return grade ? [[p, gradeLabel(ctx, grade)] as const] : [];
  });
  return (
    <table class="data-table">
      <caption>{ctx.t('participatory-budget.vote.review.caption', { envelope: envelope.label[ctx.lang] })}</caption>
      <thead>
        <tr>
          <th scope="col">{ctx.t('participatory-budget.vote.review.project')}</th>
          <th scope="col">
            {ctx.t(
              r.type === 'majority-judgement'
                ? 'participatory-budget.vote.review.grade'
                : r.type === 'cumulative'
                  ? 'participatory-budget.vote.review.points'
                  : 'participatory-budget.vote.review.cost',
            )}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([p, value]) => (
          <tr key={p.code}>
            <th scope="row">{p.title[ctx.lang]}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
