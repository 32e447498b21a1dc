import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePabulib } from '../../../src/modules/participatory-budget/pabulib/parse.js';
import { electionFromPabulib } from '../../../src/modules/participatory-budget/pabulib/to-election.js';
import { Fraction, plainDecimal } from '../../../src/modules/participatory-budget/rules/fraction.js';
import { greedy } from '../../../src/modules/participatory-budget/rules/greedy.js';
import { compareIds } from '../../../src/modules/participatory-budget/rules/tie-breaking.js';
import { fixtureText, REAL_FILES } from './support.js';

const small = fc.tuple(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: 1n, max: 1000n })).map(([n, d]) => Fraction.of(n, d));

describe('Fraction', () => {
  it('is exact where floats are not', () => {
    const tenth = Fraction.fromDecimal('0.1');
    expect(tenth.add(Fraction.fromDecimal('0.2')).eq(Fraction.fromDecimal('0.3'))).toBe(true);
    expect(Fraction.of(100000).div(Fraction.of(84)).toString()).toBe('25000/21');
    expect(Fraction.of(100000).div(Fraction.of(84)).toDecimal(2)).toBe('1190.48');
    expect(Fraction.of(-7, 2).floor()).toBe(-4n);
    expect(Fraction.of(7, 2).floor()).toBe(3n);
    expect(Fraction.fromNumber(1036794.8).toString()).toBe('5183974/5');
    expect(Fraction.fromNumber(1e21).toString()).toBe('1000000000000000000000');
  });

  it('field laws hold and values stay reduced (property)', () => {
    fc.assert(
      fc.property(small, small, small, (a, b, c) => {
        expect(a.add(b).sub(b).eq(a)).toBe(true);
        expect(a.mul(b.add(c)).eq(a.mul(b).add(a.mul(c)))).toBe(true);
        if (!b.isZero()) expect(a.div(b).mul(b).eq(a)).toBe(true);
        expect(Math.sign(a.cmp(b))).toBe(Math.sign(a.toNumber() - b.toNumber()));
        expect(Fraction.parse(a.toString()).eq(a)).toBe(true);
        expect(a.den > 0n).toBe(true);
      }),
    );
  });

  it('plainDecimal writes numbers without exponents, reading back the same value', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = plainDecimal(x);
        expect(text).not.toMatch(/e/i);
        expect(Number(text)).toBe(x === 0 ? 0 : x);
      }),
    );
  });
});

describe('compareIds (the default lot)', () => {
  it('orders numeric ids by value, before other ids, which order by code units', () => {
    expect(['10', 'b', '9', 'B', '010', 'W01', '2'].sort(compareIds)).toEqual(['2', '9', '010', '10', 'B', 'W01', 'b']);
  });
});

describe('electionFromPabulib', () => {
  it('keeps points for cumulative ballots, so the greedy rules rank by points', () => {
    const file = parsePabulib(fixtureText(REAL_FILES.warszawa));
    file.meta.vote_type = 'cumulative';
    file.votes = file.votes.map((v) => ({ ...v, points: v.vote.map((id) => (id === '547' ? 100 : 1)) }));
    const { election } = electionFromPabulib(file);
    const out = greedy(election);
    expect(out.rankedBy).toBe('points');
    expect(out.selected[0]).toBe('547');
  });
});
