import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeMail } from '../mail/compose.js';
import { MissingValuesError, placeholderProblems, placeholdersIn, renderText } from './render.js';

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,10}$/);
/** Values as residents type them: anything but the placeholder brackets themselves. */
const value = fc.string({ maxLength: 30 }).filter((s) => !s.includes('((') && !s.includes('))'));
const prose = fc.string({ maxLength: 20 }).map((s) => s.replace(/[()]/g, ''));

describe('placeholders', () => {
  it('rendering never leaves a ((placeholder)) when every value is given', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(prose, name), { minLength: 1, maxLength: 6 }), fc.dictionary(name, value), (parts, extra) => {
        const text = parts.map(([before, n]) => `${before}((${n}))`).join('');
        const data = { ...extra, ...Object.fromEntries(parts.map(([, n]) => [n, `v-${n}`])) };
        const out = renderText(text, data);
        expect(out).not.toMatch(/\(\([^()]*\)\)/);
        for (const [, n] of parts) expect(out).toContain(`v-${n}`);
      }),
    );
  });

  it('refuses to render with a missing value, naming it', () => {
    expect(() => renderText('Hello ((name)), ((reference))', { name: 'Ada' })).toThrow(MissingValuesError);
    expect(() => renderText('Hello ((name))', {})).toThrow('No value given for ((name)).');
  });

  it('inserts values once: a value that looks like a placeholder is not expanded again', () => {
    expect(renderText('Hello ((name))', { name: '((secret))', secret: 'x' })).toBe('Hello ((secret))');
    expect(renderText('(( name )) and ((name))', { name: 'Ada' })).toBe('Ada and Ada');
  });

  it('finds unknown and malformed placeholders', () => {
    expect(placeholdersIn('((a)) ((b)) ((a))')).toEqual(['a', 'b']);
    expect(placeholderProblems('Hi ((name)) ((nom))', ['name'])).toEqual({ unknown: ['nom'], malformed: [] });
    expect(placeholderProblems('Hi ((first name)) and ((name)', ['name']).malformed).toEqual(['((first name))', '((']);
    expect(placeholderProblems('Hi (name) ((name))', ['name'])).toEqual({ unknown: [], malformed: [] });
  });

  it('is escaped in the HTML part of a mail and plain in its text part', () => {
    const body = renderText('Dear ((name))', { name: '<script>alert("x")</script> & co' });
    const mail = composeMail({ to: 'a@b.example', lang: 'en', subject: 's', paragraphs: [body], signature: 'Paris' });
    expect(mail.text).toContain('Dear <script>alert("x")</script> & co');
    expect(mail.html).toContain('Dear &lt;script>alert(&quot;x&quot;)&lt;/script> &amp; co');
    expect(mail.html).not.toContain('<script>');
  });
});
