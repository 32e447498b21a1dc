import type { FormDefinition } from '../../kernel/forms/definition.js';
import type { FormData } from '../../kernel/forms/index.js';
import type { District } from '../../kernel/geo/districts.js';
import type { LocalText } from '../../kernel/workflow/definition.js';

/** A check an agent sees next to the answers ("Léa is 7 on 1 September": passed or not). */
export interface EligibilityNote {
  passed: boolean;
  text: LocalText;
}

/**
 * An online procedure: what a city publishes by configuration (its form, who handles it, the
 * checks its agents see) — no code of its own. Applications follow the module's workflow.
 */
export interface Procedure {
  /** Stable code, in the address: /procedures/<code>. */
  code: string;
  title: LocalText;
  /** One sentence for the list of procedures. */
  summary: LocalText;
  /** Paragraphs: who may apply, what to have at hand, what happens next. */
  description: LocalText[];
  /** The form, built for the city (its districts). */
  form(districts: readonly District[]): FormDefinition;
  /** The unit whose agents handle an application: from its answers (the applicant's district). */
  unitFor(data: FormData, cityUnit: string): string;
  /** The title of an application on the dashboard. */
  titleFor(data: FormData): LocalText;
  eligibility(data: FormData, today: string): EligibilityNote[];
}
