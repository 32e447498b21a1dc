import { formatDateTime } from '../../../../kernel/i18n/format.js';
import { Form } from '../../../../kernel/ui/components.js';
import type { ViewContext } from '../../../../kernel/ui/context.js';
import { TextField } from '../../../../kernel/ui/fields.js';
import type { ReceiptCheck } from '../receipt-check.js';

/** The public check of a receipt code: counted or not, never what the ballot says. */
export function ReceiptPage({ ctx, typed, result }: { ctx: ViewContext; typed: string; result: ReceiptCheck | null }) {
  const t = ctx.t;
  const error = result?.status === 'malformed' ? t('participatory-budget.receipt.malformed') : undefined;
  return (
    <div class="prose">
      <h1>{t('participatory-budget.receipt.title')}</h1>
      <p class="lead">{t('participatory-budget.receipt.intro')}</p>
      {result?.status === 'counted' ? (
        <div class="confirmation-panel" role="status">
          <h2>{t('participatory-budget.receipt.counted')}</h2>
          <p>
            {t('participatory-budget.receipt.countedDetail', {
              campaign: result.campaign[ctx.lang],
              date: formatDateTime(ctx.lang, result.confirmedAt, ctx.city.timezone),
            })}
          </p>
        </div>
      ) : result?.status === 'unknown' ? (
        <div class="notice" role="status">
          <p>{t('participatory-budget.receipt.unknown')}</p>
        </div>
      ) : null}
      <Form ctx={ctx} action="/budget/receipt">
        <TextField
          name="code"
          label={t('participatory-budget.receipt.code')}
          hint={t('participatory-budget.receipt.codeHint')}
          value={typed}
          error={error}
          autocomplete="off"
          maxLength={40}
        />
        <div class="form-actions">
          <button type="submit" class="button">
            {t('participatory-budget.receipt.check')}
          </button>
        </div>
      </Form>
      <p class="hint">{t('participatory-budget.receipt.privacy')}</p>
    </div>
  );
}
