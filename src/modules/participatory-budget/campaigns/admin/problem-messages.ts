import type { Translate } from '../../../../kernel/i18n/i18n.js';

/**
 * The campaigns layer reports problems in English sentences written for whoever sends a definition
 * (a file, the API); the back office shows them in the agent's language. Each known sentence maps to
 * a message; one not listed here is shown as the domain wrote it rather than hidden.
 */
const PATTERNS: [RegExp, string, string[]][] = [
  [/^is required \(only the last phase/, 'openPhase', []],
  [/^(is required|must not be empty|must give "fr" and "en")$/, 'required', []],
  [/^must be at most (\d+) characters$/, 'tooLong', ['max']],
  [/^must be a whole number of currency units/, 'amount', []],
  [/^must be a code of lowercase letters/, 'code', []],
  [/^must be a date and time/, 'dateTime', []],
  [/^must be after startsAt/, 'endBeforeStart', []],
  [/^overlaps "([^"]+)"/, 'overlaps', ['phase']],
  [/^"([^"]+)" must come before "([^"]+)"/, 'phaseOrder', ['phase', 'other']],
  [/^must include the "vote" phase$/, 'voteMissing', []],
  [/^\d+ is more than the envelope’s amount/, 'reservedTooBig', []],
  [/^the reserved amounts add up to (\d+)/, 'reservedTotal', ['total']],
  [/^(?:theme|reserved amount|envelope) "[^"]+" is already at/, 'duplicateCode', []],
  [/^"[^"]+" is already used$/, 'campaignExists', []],
  [/^must list at least one theme$/, 'themeMissing', []],
  [/^theme "([^"]+)" is used by proposals/, 'themeInUse', ['theme']],
  [/^envelope "([^"]+)" has proposals or projects/, 'envelopeInUse', ['envelope']],
  [/^\d+ is more than (maxProjects|points)/, 'moreThan', ['other']],
  [/^must be between 0 and 100$/, 'percent', []],
  [/^must be at least (\d+)$/, 'atLeast', ['min']],
  [/^must be at most (\d+)$/, 'atMost', ['max']],
  [/^(must be a whole number|must be a number|Invalid input: expected number)/, 'number', []],
  [/^must be one of/, 'oneOf', []],
  [/^must list at least 2 grades|^a grade must be|^names "[^"]+" twice/, 'grades', []],
  [/^(must be 0 \(none\)|Invalid input)/, 'oneOf', []],
  [/^frozen since the vote opened$/, 'frozen', []],
  [/^changed meanwhile$/, 'changed', []],
];

export function problemMessage(t: Translate, message: string): string {
  for (const [pattern, key, params] of PATTERNS) {
    const match = pattern.exec(message);
    if (!match) continue;
    // Phases and settings are named by code in the domain's sentence, by their label on the page.
    const label = (name: string, value: string) =>
      name === 'phase' || (name === 'other' && key === 'phaseOrder')
        ? t(`participatory-budget.phase.${value}`)
        : name === 'other'
          ? t(`participatory-budget.campaigns.rule.${value}`)
          : value;
    return t(
      `participatory-budget.campaigns.problem.${key}`,
      Object.fromEntries(params.map((name, i) => [name, label(name, match[i + 1] ?? '')])),
    );
  }
  return message;
}
