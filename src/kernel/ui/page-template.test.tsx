import fc from 'fast-check';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { pageTemplates } from './page-template.js';

function Card({ name, email, admin }: { name: string; email: string; admin: boolean }) {
  return (
    <section>
      <h2 title={name}>{name}</h2>
      {email ? <a href={`mailto:${email}`}>{email}</a> : <p>no e-mail</p>}
      {admin ? <p>admin</p> : null}
      <input name="name" value={name} />
    </section>
  );
}

const direct = (props: { name: string; email: string; admin: boolean }) => renderToString(<Card {...props} />);

describe('pageTemplates', () => {
  it('gives what a direct rendering gives, for any values, empty ones and any markup characters included', () => {
    const card = pageTemplates(['name', 'email']);
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.constant(''), fc.string()), fc.boolean(), (name, email, admin) => {
        const html = card({ admin }, { name, email }, (v) => direct({ ...v, admin }));
        expect(html.toString()).toBe(direct({ name, email, admin }));
      }),
    );
  });

  it('draws once per shape and emptiness, then fills the template', () => {
    const card = pageTemplates(['name', 'email']);
    let draws = 0;
    const render = (admin: boolean, name: string, email: string) =>
      card({ admin }, { name, email }, (v) => {
        draws++;
        return direct({ ...v, admin });
      }).toString();
    expect(render(false, 'Ana', 'ana@example.org')).toContain('mailto:ana@example.org');
    expect(render(false, 'Ben <b>', 'ben@example.org')).toContain('Ben &lt;b>');
    expect(draws).toBe(1);
    expect(render(true, 'Ana', 'ana@example.org')).toContain('<p>admin</p>');
    expect(render(false, 'Ana', '')).toContain('no e-mail');
    expect(draws).toBe(3);
  });

  it('keeps at most `max` shapes, dropping the oldest', () => {
    const card = pageTemplates(['name', 'email'], 2);
    let draws = 0;
    const render = (shape: number) =>
      card({ shape }, { name: 'n', email: 'e' }, (v) => {
        draws++;
        return direct({ ...v, admin: false });
      });
    render(1);
    render(2);
    render(3);
    render(3);
    render(2);
    expect(draws).toBe(3);
    render(1);
    expect(draws).toBe(4);
  });
});
