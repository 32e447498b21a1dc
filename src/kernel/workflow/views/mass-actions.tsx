import type { ViewContext } from '../../ui/context.js';

/** The bulk action under a list of ticked items: which action, and the button (inside the list's form). */
export function MassActions({ ctx, actions }: { ctx: ViewContext; actions: [code: string, label: string][] }) {
  const t = ctx.t;
  if (actions.length === 0) return null;
  return (
    <fieldset class="mass-actions">
      <legend>{t('workflow.mass.legend')}</legend>
      <div class="field">
        <label for="mass-action">{t('workflow.mass.action')}</label>
        <select id="mass-action" name="action">
          {actions.map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button">
        {t('workflow.mass.run')}
      </button>
    </fieldset>
  );
}
