import { describe, expect, it } from 'vitest';
import { PabulibParseError } from '../../../src/modules/participatory-budget/pabulib/errors.js';
import { parsePabulib } from '../../../src/modules/participatory-budget/pabulib/parse.js';
import { fixtureBytes, fixtureText, REAL_FILES } from './support.js';

const META = [
  'META',
  'key;value',
  'description;Test',
  'country;France',
  'unit;Paris',
  'instance;2026',
  'num_projects;2',
  'num_votes;2',
  'budget;1000',
  'vote_type;approval',
  'rule;greedy',
  'date_begin;01.01.2026',
  'date_end;31.01.2026',
];
const PROJECTS = ['PROJECTS', 'project_id;cost;votes;name', '1;600;2;Bancs', '2;500;1;Arbres'];
const VOTES = ['VOTES', 'voter_id;vote', 'a;1,2', 'b;1'];

/** A small valid file (lines 1–13 META, 14–17 PROJECTS, 18–21 VOTES) with some lines replaced. */
function file(edit: (lines: string[]) => string[] = (l) => l): string {
  return edit([...META, ...PROJECTS, ...VOTES]).join('\n');
}

function parseError(text: string | Uint8Array): PabulibParseError {
  try {
    parsePabulib(text);
  } catch (err) {
    if (err instanceof PabulibParseError) return err;
    throw err;
  }
  throw new Error('expected a PabulibParseError');
}

describe('parsePabulib', () => {
  it('reads the four real files: META typed, projects and votes as written', () => {
    const assen = parsePabulib(fixtureText(REAL_FILES.assen));
    expect(assen.meta).toMatchObject({ budget: 100000, num_votes: 84, rule: 'equalshares/add1', vote_type: 'approval', min_length: 2 });
    expect(assen.meta.comment).toBe('#1: Young people between the ages of 12 and 27 could vote');
    expect(assen.projects[0]).toMatchObject({ project_id: '3', cost: 7200, votes: 43, name: 'PopUp Podium', selected: 1 });
    expect(assen.votes[0]).toEqual({ voter_id: 'vote01006bcf-62b6-435d-a0de-2966c3e75249', vote: ['1', '2', '6', '9', '13'], other: {} });

    const warszawa = parsePabulib(fixtureText(REAL_FILES.warszawa));
    expect(warszawa.meta.other).toEqual({ edition: '3' });
    expect(warszawa.projects[0]!.category).toEqual(['public transit and roads']);
    expect(warszawa.projects[0]!.beneficiaries).toEqual(['adults', 'seniors', 'families with children']);
    expect(warszawa.votes[0]).toMatchObject({
      voter_id: '475',
      vote: ['558', '582', '547', '1408'],
      age: '48',
      sex: 'F',
      voting_method: 'internet',
    });

    const lodz = parsePabulib(fixtureText(REAL_FILES.lodz)); // LF line endings, the others CRLF
    expect(lodz.meta).toMatchObject({ unit: 'Łódź', min_project_score_threshold: 50, district: 'Widzew', subunit: 'Nr 33' });
    const gdynia = parsePabulib(fixtureBytes(REAL_FILES.gdynia)); // bytes are decoded as UTF-8
    expect(gdynia.meta.other).toEqual({ subdistricts: 'True', edition: '7' });
    expect(gdynia.projects.map((p) => p.selected)).toEqual([1, 1, 1, 2, 0]);
  });

  it('accepts a BOM, CRLF or LF, blank trailing lines, and quoted fields with ;, doubled quotes and line breaks', () => {
    const lf = parsePabulib(file());
    expect(parsePabulib(`\uFEFF${file().replaceAll('\n', '\r\n')}\r\n\r\n`)).toEqual(lf);
    const quoted = parsePabulib(file((l) => l.map((x) => (x === '2;500;1;Arbres' ? '2;500;1;"Arbres; ""fruitiers""\r\net haies"' : x))));
    expect(quoted.projects[1]!.name).toBe('Arbres; "fruitiers"\r\net haies');
  });

  it('keeps unknown META keys and columns verbatim', () => {
    const parsed = parsePabulib(
      file((l) =>
        [...l.slice(0, 13), 'edition;7', ...l.slice(13)].map((x) =>
          x.replace('project_id;cost;votes;name', 'project_id;cost;votes;name;proposer').replace(/^(\d;\d+;\d;\w+)$/, '$1;Ana'),
        ),
      ),
    );
    expect(parsed.meta.other).toEqual({ edition: '7' });
    expect(parsed.projects[0]!.other).toEqual({ proposer: 'Ana' });
  });

  const cases: [string, (lines: string[]) => string[], number, RegExp][] = [
    ['a missing required META key', (l) => l.filter((x) => !x.startsWith('budget;')), 1, /META is missing required key\(s\): budget/],
    ['an empty required META value', (l) => l.map((x) => (x.startsWith('rule;') ? 'rule;' : x)), 1, /missing required key\(s\): rule/],
    ['an unknown section', (l) => [...l.slice(0, 17), 'BALLOTS', ...l.slice(18)], 18, /unknown section "BALLOTS"/],
    [
      'sections out of order',
      (l) => [...l.slice(0, 13), ...l.slice(17), ...l.slice(13, 17)],
      14,
      /section VOTES found where PROJECTS was expected/,
    ],
    ['a missing section', (l) => l.slice(0, 17), 17, /section VOTES is missing/],
    [
      'a file not starting with META',
      (l) => l.slice(1),
      1,
      /META section must start with the header row|must start with a line reading META/,
    ],
    ['a bad META header', (l) => l.map((x) => (x === 'key;value' ? 'key;val' : x)), 2, /header row "key;value"/],
    ['a META row with 3 fields', (l) => l.map((x) => (x === 'country;France' ? 'country;France;FR' : x)), 4, /has 3/],
    ['a duplicate META key', (l) => [...l.slice(0, 4), 'country;Belgique', ...l.slice(4)], 5, /META key "country" appears twice/],
    ['a non-numeric budget', (l) => l.map((x) => (x === 'budget;1000' ? 'budget;1 000' : x)), 9, /budget must be a number/],
    ['a decimal comma', (l) => l.map((x) => (x === 'budget;1000' ? 'budget;1000,5' : x)), 9, /budget must be a number/],
    [
      'an unknown vote_type',
      (l) => l.map((x) => (x === 'vote_type;approval' ? 'vote_type;borda' : x)),
      10,
      /vote_type "borda" is not one of/,
    ],
    [
      'a PROJECTS header without cost',
      (l) => l.map((x) => (x === 'project_id;cost;votes;name' ? 'project_id;price;votes;name' : x)),
      15,
      /lacks required column\(s\): cost/,
    ],
    [
      'a PROJECTS row with a wrong column count',
      (l) => l.map((x) => (x === '1;600;2;Bancs' ? '1;600;2;Bancs;extra' : x)),
      16,
      /PROJECTS row has 5 fields but the header has 4/,
    ],
    [
      'a non-numeric cost',
      (l) => l.map((x) => (x === '2;500;1;Arbres' ? '2;cinq cents;1;Arbres' : x)),
      17,
      /cost must be a number.*"cinq cents"/,
    ],
    ['a negative cost', (l) => l.map((x) => (x === '2;500;1;Arbres' ? '2;-500;1;Arbres' : x)), 17, /project "2" has a negative cost/],
    ['an empty cost', (l) => l.map((x) => (x === '2;500;1;Arbres' ? '2;;1;Arbres' : x)), 17, /required field "cost" is empty/],
    ['a duplicate project id', (l) => l.map((x) => (x === '2;500;1;Arbres' ? '1;500;1;Arbres' : x)), 17, /project_id "1" appears twice/],
    [
      'selected out of range',
      (l) =>
        l.map((x) =>
          x
            .replace('project_id;cost;votes;name', 'project_id;cost;votes;name;selected')
            .replace('Bancs', 'Bancs;4')
            .replace('Arbres', 'Arbres;0'),
        ),
      16,
      /selected=4/,
    ],
    [
      'a vote naming an unknown project',
      (l) => l.map((x) => (x === 'b;1' ? 'b;1,7' : x)),
      21,
      /voter "b" names project "7", which is not in PROJECTS/,
    ],
    ['a vote naming a project twice', (l) => l.map((x) => (x === 'b;1' ? 'b;1,1' : x)), 21, /names project "1" twice/],
    ['an empty item in a vote', (l) => l.map((x) => (x === 'b;1' ? 'b;1,' : x)), 21, /empty project id/],
    ['a duplicate voter id', (l) => l.map((x) => (x === 'b;1' ? 'a;1' : x)), 21, /voter_id "a" appears twice/],
    [
      'points that do not match the vote',
      (l) => l.map((x) => (x === 'voter_id;vote' ? 'voter_id;vote;points' : x === 'a;1,2' ? 'a;1,2;3' : x === 'b;1' ? 'b;1;1' : x)),
      20,
      /gives 1 points value\(s\) for 2 project\(s\)/,
    ],
    [
      'num_votes that disagrees with VOTES',
      (l) => l.map((x) => (x === 'num_votes;2' ? 'num_votes;3' : x)),
      8,
      /num_votes=3 but the file has 2 VOTES rows/,
    ],
    [
      'num_projects that disagrees with PROJECTS',
      (l) => l.map((x) => (x === 'num_projects;2' ? 'num_projects;1' : x)),
      7,
      /num_projects=1 but the file has 2 PROJECTS rows/,
    ],
    ['an unclosed quote', (l) => l.map((x) => (x === '1;600;2;Bancs' ? '1;600;2;"Bancs' : x)), 16, /quoted field is never closed/],
    [
      'text after a closing quote',
      (l) => l.map((x) => (x === '1;600;2;Bancs' ? '1;600;2;"Bancs"x' : x)),
      16,
      /unexpected text after a closing quote/,
    ],
    [
      'a cost with too many digits to be exact',
      (l) => l.map((x) => (x === '1;600;2;Bancs' ? '1;12345678901234567891;2;Bancs' : x)),
      16,
      /too many digits/,
    ],
  ];
  for (const [what, edit, line, message] of cases) {
    it(`refuses ${what}, naming line ${line}`, () => {
      const err = parseError(file(edit));
      expect(err.line).toBe(line);
      expect(err.message).toMatch(message);
      expect(err.message.startsWith(`line ${line}: `)).toBe(true);
    });
  }

  it('counts lines inside multi-line quoted fields when naming a later line', () => {
    const text = file((l) => l.map((x) => (x === '1;600;2;Bancs' ? '1;600;2;"Bancs\nen bois"' : x === 'b;1' ? 'b;9' : x)));
    expect(parseError(text).line).toBe(22);
  });

  it('refuses bytes that are not UTF-8, naming the line', () => {
    const bytes = Buffer.from(file(), 'utf8');
    const at = bytes.indexOf('Arbres');
    bytes[at] = 0xff;
    const err = parseError(bytes);
    expect(err.line).toBe(17);
    expect(err.message).toMatch(/not valid UTF-8/);
  });
});
