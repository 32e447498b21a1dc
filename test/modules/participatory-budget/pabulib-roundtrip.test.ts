import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PabulibWriteError } from '../../../src/modules/participatory-budget/pabulib/errors.js';
import { META_FIELDS, PROJECT_FIELDS, VOTE_FIELDS } from '../../../src/modules/participatory-budget/pabulib/fields.js';
import { parsePabulib } from '../../../src/modules/participatory-budget/pabulib/parse.js';
import { type PabulibFile, VOTE_TYPES } from '../../../src/modules/participatory-budget/pabulib/types.js';
import { writePabulib } from '../../../src/modules/participatory-budget/pabulib/write.js';
import { fixtureText, REAL_FILES } from './support.js';

/** Text that stresses the format: separators, quotes, line breaks, commas, non-ASCII, emoji. */
const tricky = fc.string({
  unit: fc.constantFrom('a', 'Z', 'é', 'Ł', ' ', ';', '"', ',', '\n', '\r', '\r\n', '😀', '0', '-'),
  minLength: 1,
  maxLength: 12,
});
const text = fc.oneof(tricky, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }));
/** List items and ids: no comma (the list separator), not empty. */
const item = text.map((s) => s.replaceAll(',', '')).filter((s) => s !== '');
const amount = fc.oneof(
  fc.integer({ min: 0, max: 10 ** 12 }),
  fc.integer({ min: 0, max: 10 ** 9 }).map((c) => c / 100),
);
const signed = fc.integer({ min: -(10 ** 9), max: 10 ** 9 }).map((c) => c / 10 ** 6);
const count = fc.integer({ min: 0, max: 10 ** 6 });
const otherKey = (known: Readonly<Record<string, unknown>>) => text.filter((k) => !(k in known) && k !== 'other' && k !== '__proto__');

function others(known: Readonly<Record<string, unknown>>) {
  return fc.dictionary(otherKey(known), text, { maxKeys: 3 });
}

const projectsArb = fc.uniqueArray(item, { minLength: 0, maxLength: 6 }).chain((ids) =>
  fc.tuple(
    ...ids.map((project_id) =>
      fc.record(
        {
          project_id: fc.constant(project_id),
          cost: amount,
          votes: count,
          score: amount,
          name: text,
          category: fc.array(item, { minLength: 1, maxLength: 3 }),
          target: fc.array(item, { minLength: 1, maxLength: 3 }),
          selected: fc.integer({ min: 0, max: 3 }),
          district: text,
          description: text,
          latitude: signed,
          longitude: signed,
          other: others(PROJECT_FIELDS),
        },
        { requiredKeys: ['project_id', 'cost', 'other'] },
      ),
    ),
  ),
);

const fileArb: fc.Arbitrary<PabulibFile> = projectsArb.chain((projects) => {
  const ids = projects.map((p) => p.project_id);
  const voteArb = fc.record(
    {
      vote: fc.shuffledSubarray(ids, { minLength: Math.min(1, ids.length) }),
      age: text,
      sex: fc.constantFrom('M', 'F', 'O'),
      voting_method: fc.constantFrom('internet', 'paper'),
      neighborhood: text,
      other: others(VOTE_FIELDS),
    },
    { requiredKeys: ['vote', 'other'] },
  );
  const votesArb = fc.uniqueArray(fc.tuple(item, voteArb, fc.boolean()), { selector: ([id]) => id, maxLength: ids.length === 0 ? 0 : 6 });
  return fc
    .record({
      meta: fc.record(
        {
          description: text,
          country: text,
          unit: text,
          instance: text,
          budget: amount,
          vote_type: fc.constantFrom(...VOTE_TYPES),
          rule: text,
          date_begin: text,
          date_end: text,
          min_length: count,
          max_sum_cost: amount,
          min_project_score_threshold: amount,
          comment: text,
          currency: text,
          district: text,
          other: others(META_FIELDS),
        },
        { requiredKeys: ['description', 'country', 'unit', 'instance', 'budget', 'vote_type', 'rule', 'date_begin', 'date_end', 'other'] },
      ),
      votes: votesArb,
    })
    .chain(({ meta, votes }) =>
      // Points (when drawn) need one value per project named.
      fc
        .tuple(
          ...votes.map(([, v, withPoints]) =>
            withPoints ? fc.array(count, { minLength: v.vote.length, maxLength: v.vote.length }) : fc.constant(undefined),
          ),
        )
        .map((points) => ({
          meta: { ...meta, num_projects: projects.length, num_votes: votes.length },
          projects,
          votes: votes.map(([voter_id, v], i) => ({ voter_id, ...v, ...(points[i] ? { points: points[i] } : {}) })),
        })),
    );
});

describe('writePabulib', () => {
  it('parse(write(x)) equals x, whatever the text, numbers, lists and extra columns (property)', () => {
    fc.assert(
      fc.property(fileArb, fc.constantFrom('\r\n' as const, '\n' as const), (file, lineEnding) => {
        expect(parsePabulib(writePabulib(file, { lineEnding }))).toEqual(file);
      }),
      { numRuns: 300 },
    );
  });

  it('writes each real file back byte for byte (same keys, columns, order and line endings)', () => {
    for (const name of Object.values(REAL_FILES)) {
      const original = fixtureText(name);
      const parsed = parsePabulib(original);
      const lineEnding = original.includes('\r\n') ? '\r\n' : '\n';
      const written = writePabulib(parsed, { lineEnding });
      expect(parsePabulib(written)).toEqual(parsed);
      expect(written).toBe(original);
    }
  });

  it('quotes only fields that need it, doubling inner quotes', () => {
    const file = parsePabulib(fixtureText(REAL_FILES.warszawa));
    file.projects[0]!.name = 'Chodnik; "nowy"';
    const written = writePabulib(file);
    expect(written).toContain('558;30500;80;"Chodnik; ""nowy""";public transit and roads;');
  });

  it('refuses what the format cannot hold rather than writing a file that reads back differently', () => {
    const file = parsePabulib(fixtureText(REAL_FILES.warszawa));
    file.projects[0]!.category = ['roads, paths'];
    expect(() => writePabulib(file)).toThrow(PabulibWriteError);
    file.projects[0]!.category = [];
    expect(() => writePabulib(file)).toThrow(/empty list/);
    file.projects[0]!.category = undefined;
    file.projects[0]!.cost = Number.NaN;
    expect(() => writePabulib(file)).toThrow(/not a finite number/);
  });
});
