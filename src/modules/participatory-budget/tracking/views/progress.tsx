import type { ViewContext } from '../../../../kernel/ui/context.js';
import type { TrackingStatus } from '../statuses.js';

/**
 * Where a project stands: its status, then its progress as text and as a meter labelled by that
 * text (screen readers read the words; the bar is for the eye). `id` makes the label unique on a list.
 */
export function ProgressOf(props: { ctx: ViewContext; id: string; status: TrackingStatus; progress: number }) {
  const { ctx } = props;
  const label = `progress-${props.id}`;
  return (
    <p class="tracking-progress">
      <span class={`status tracking-status-${props.status}`}>{ctx.t(`participatory-budget.tracking.status.${props.status}`)}</span>{' '}
      <span id={label}>{ctx.t('participatory-budget.tracking.progress', { progress: props.progress })}</span>
      <meter min={0} max={100} low={34} high={99} optimum={100} value={props.progress} aria-labelledby={label}>
        {props.progress} %
      </meter>
    </p>
  );
}
