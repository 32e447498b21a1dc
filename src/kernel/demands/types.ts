import type { Lang } from '../i18n/types.js';
import type { LocalText } from '../workflow/definition.js';

/** A kind of demand a module registers in its manifest (`demandTypes`). */
export interface DemandTypeDefinition {
  /** Stable code within the module ("report"); the demand's type is "<module>:<code>". */
  code: string;
  label: LocalText;
  /** Agents see and answer these demands when they hold this permission in the demand's unit. */
  permission: string;
  /** Prefix of the human references ("DMR" → "DMR-2026-000123"): uppercase letters. */
  referencePrefix: string;
  /** The module's back-office page of the item behind a demand (its answers, its documents), from its subject. */
  agentLink?: (subject: string) => string;
  /**
   * The title in a language, from the one stored when the demand was made (a module storing a
   * category's French label gives its English label), so each person reads their own language.
   */
  title?: (stored: string, lang: Lang) => string;
}

/** A demand's title in `lang`: its type's translation of the stored one, or the stored one. */
export function demandTitle(demand: { title: string }, type: DemandTypeDefinition | undefined, lang: Lang): string {
  return type?.title?.(demand.title, lang) ?? demand.title;
}

/** A registered type with its module and full code. */
export interface DemandType extends DemandTypeDefinition {
  module: string;
  type: string;
}
