import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageTemplates } from './page-template.js';

const draw = (filler: string) => (v: Record<'name' | 'token', string>) =>
  `<p title="${v.token}">${filler}Bonjour ${v.name} – ${v.token}</p>`;
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const expected = (filler: string, name: string, token: string) =>
  `<p title="${escapeHtml(token)}">${filler}Bonjour ${escapeHtml(name)} – ${escapeHtml(token)}</p>`;

describe('pageTemplates', () => {
  it('fills each mark with its escaped value, and every page filled keeps its own bytes', () => {
    const fill = pageTemplates(['name', 'token'] as const);
    const pages: [Buffer, string][] = [];
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.constantFrom('', 'x'.repeat(5000), 'é'.repeat(40_000)),
        (name, token, filler) => {
          const page = fill({ filler }, { name, token }, draw(filler));
          expect(page.toString()).toBe(expected(filler, name, token));
          pages.push([page, expected(filler, name, token)]);
        },
      ),
      { numRuns: 400 },
    );
    // Later pages are cut from the same slabs: none may have written over an earlier one.
    for (const [page, html] of pages) expect(page.toString()).toBe(html);
  });
});
