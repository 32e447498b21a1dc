import type { Kernel } from '../../../../kernel/kernel.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { SelectField, TextField } from '../../../../kernel/ui/fields.js';
import type { CategoryTree } from '../../domain/categories.js';
import type { QueueFilter } from '../../domain/queue.js';
import { categoryChoices, districtChoices, priorityChoices, stateChoices } from './labels.js';

/** The queue's filters as a GET form: the address of a filtered queue can be shared and bookmarked. */
export function QueueFilters(props: {
  ctx: ViewContext;
  kernel: Kernel;
  categories: CategoryTree;
  filter: QueueFilter;
  action: string;
  /** Kept across a new filter (list or map). */
  view?: string;
  withSort?: boolean;
}) {
  const { ctx, filter } = props;
  const t = ctx.t;
  return (
    <form method="get" action={props.action} class="filters report-filters" aria-label={t('street-reports.admin.filters.label')}>
      {props.view ? <input type="hidden" name="view" value={props.view} /> : null}
      <SelectField
        name="state"
        label={t('street-reports.admin.filters.state')}
        choices={stateChoices(props.kernel, ctx)}
        value={filter.state}
        empty={t('street-reports.admin.filters.any')}
      />
      <SelectField
        name="category"
        label={t('street-reports.admin.filters.category')}
        choices={categoryChoices(props.categories, ctx)}
        value={filter.category}
        empty={t('street-reports.admin.filters.any')}
      />
      <SelectField
        name="district"
        label={t('street-reports.admin.filters.district')}
        choices={districtChoices(props.kernel)}
        value={filter.district}
        empty={t('street-reports.admin.filters.any')}
      />
      <TextField name="from" type="date" label={t('street-reports.admin.filters.from')} value={filter.from} />
      <TextField name="to" type="date" label={t('street-reports.admin.filters.to')} value={filter.to} />
      <SelectField
        name="priority"
        label={t('street-reports.admin.filters.priority')}
        choices={priorityChoices(ctx)}
        value={filter.priority === undefined ? undefined : String(filter.priority)}
        empty={t('street-reports.admin.filters.any')}
      />
      {props.withSort ? (
        <SelectField
          name="sort"
          label={t('street-reports.admin.filters.sort')}
          choices={[
            { value: 'date', label: t('street-reports.admin.filters.sortDate') },
            { value: 'priority', label: t('street-reports.admin.filters.sortPriority') },
          ]}
          value={filter.sort}
        />
      ) : null}
      <div class="field">
        <button type="submit" class="button">
          {t('street-reports.admin.filters.apply')}
        </button>
      </div>
    </form>
  );
}
