import { type FieldProblem, HttpError } from '../../http/errors.js';
import type { Actor } from '../authorization.js';

export type AgentActor = Extract<Actor, { kind: 'agent' }>;

/** Who performs a back-office action, and from where: what every audit entry records. */
export interface Acting {
  actor: AgentActor;
  ip: string;
}

/** A form the page shows again: each problem's `message` is a message key. */
export function invalidForm(problems: FieldProblem[]): HttpError {
  return new HttpError(400, 'validation', `Invalid form: ${problems.map((p) => p.field).join(', ')}.`, problems);
}

/**
 * A refusal by the back office's own rules, once the route's permission was granted: the resource
 * lies outside the actor's units (`admin.out-of-scope`), the change would give rights the actor
 * does not hold (`admin.escalation`), or it concerns the actor's own account (`admin.own-account`).
 */
export function forbidden(code: 'admin.out-of-scope' | 'admin.escalation' | 'admin.own-account', message: string): HttpError {
  return new HttpError(403, code, message);
}

export function notFound(message: string): HttpError {
  return new HttpError(404, 'not-found', message);
}
