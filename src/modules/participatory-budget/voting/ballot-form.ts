import { field, fieldList } from '../../../kernel/identity/agents/http.js';
import type { BallotRules } from '../ballots/rules.js';
import type { VoterBallot } from '../ballots/validate.js';

/** A posted form's values (one value or several under a name). */
export type Posted = Record<string, unknown>;

/** Field names of the ballot's form, one per project where the type needs one. */
export const PROJECT_FIELD = 'project';
export const pointsField = (code: string) => `points-${code}`;
export const gradeField = (code: string) => `grade-${code}`;

/**
 * The ballot a form describes, for the envelope's ballot type: ticked projects (approval, knapsack),
 * points typed per project (cumulative; blank or 0 is no point), a grade per project (majority
 * judgement). Nothing is checked here: validateBallot says what is wrong, with every problem.
 */
export function ballotFromForm(rules: BallotRules, projectCodes: readonly string[], body: Posted): VoterBallot {
  switch (rules.type) {
    case 'approval':
    case 'knapsack':
      return { type: rules.type, projects: fieldList(body, PROJECT_FIELD) };
    case 'cumulative':
      return {
        type: 'cumulative',
        points: projectCodes.flatMap((projectId) => {
          const typed = field(body, pointsField(projectId)).trim();
          return typed === '' || typed === '0' ? [] : [{ projectId, points: /^\d+$/.test(typed) ? Number(typed) : Number.NaN }];
        }),
      };
    case 'majority-judgement':
      return {
        type: 'majority-judgement',
        grades: projectCodes.flatMap((projectId) => {
          const grade = field(body, gradeField(projectId)).trim();
          return grade ? [{ projectId, grade }] : [];
        }),
      };
  }
}

/** A ballot's choices by project, to fill its form again: ticked, points or grade. */
export interface BallotValues {
  chosen: ReadonlySet<string>;
  points: ReadonlyMap<string, number>;
  grades: ReadonlyMap<string, string>;
}

export function valuesOf(ballot: VoterBallot | undefined): BallotValues {
  return {
    chosen: new Set(ballot && 'projects' in ballot ? ballot.projects : []),
    points: new Map(ballot && 'points' in ballot ? ballot.points.map((p) => [p.projectId, p.points]) : []),
    grades: new Map(ballot && 'grades' in ballot ? ballot.grades.map((g) => [g.projectId, g.grade]) : []),
  };
}
