import { formatMoney } from '../../../../kernel/i18n/format.js';
import type { Lang } from '../../../../kernel/i18n/types.js';

/** Whole euros as the city writes them ("2 000 000 €"); exact amounts "n/d" (a minimum spend) rounded up to the euro. */
export function euros(lang: Lang, amount: number | string): string {
  const [n, d = '1'] = String(amount).split('/');
  return formatMoney(lang, Math.ceil(Number(n) / Number(d)) * 100).replace(/[.,]00(?=\D*$)/, '');
}
