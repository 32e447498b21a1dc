const mark = (index: number) => `\uE000${index}\uE001`;
const MARKS = /\uE000(\d+)\uE001/;

const ESCAPED = /["&<]/;

/** What Preact's renderer does to text and attribute values (preact-render-to-string's encodeEntities). */
function escapeLikePreact(value: string): string {
  if (!ESCAPED.test(value)) return value;
  return value.replace(/["&<]/g, (c) => (c === '"' ? '&quot;' : c === '&' ? '&amp;' : '&lt;'));
}

/** The markup cut at each mark: static text, already in UTF-8, at even indexes; the number of a value at odd ones. */
function compile(html: string): (Buffer | number)[] {
  return html.split(MARKS).map((part, i) => (i % 2 ? Number(part) : Buffer.from(part)));
}

/**
 * A page is bigger than what Node's own buffer pool serves (under 4 KiB), so each would get an
 * ArrayBuffer of its own, about a third of the cost of filling it: pages are cut from a shared slab
 * instead, as that pool does. A slab is never written twice; it is freed with its last page. As with
 * Node's pool, a page's `.buffer` holds other visitors' pages: send the page, never its `.buffer`.
 */
const SLAB_BYTES = 256 * 1024;
let slab = Buffer.allocUnsafeSlow(0);
let slabAt = 0;
function bytesFor(length: number): Buffer {
  if (length > SLAB_BYTES / 8) return Buffer.allocUnsafe(length);
  if (slabAt + length > slab.length) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabAt = 0;
  }
  const bytes = slab.subarray(slabAt, slabAt + length);
  slabAt += (length + 7) & ~7; // aligned, as Node's pool does
  return bytes;
}

export type PageTemplates<Name extends string> = (
  shape: unknown,
  values: Record<Name, string>,
  draw: (values: Record<Name, string>) => string,
) => Buffer;

/**
 * For pages that differ between visitors only by a few strings (a name, an e-mail, the CSRF token):
 * `draw` renders the page once per shape, with a mark in place of each value, and each request then
 * fills the marks with its own values, escaped as Preact escapes them, into the bytes of the
 * response (the static parts are encoded once). Rendering the account page costs about 70 µs;
 * filling its template, about 3.
 *
 * `shape` is everything else the markup depends on (language, flags, choices), compared as JSON.
 * Which values are empty is part of the shape too, since a component may print something else for
 * an empty value. `draw` may only print the values it receives: comparing, measuring or changing
 * one would hold for the mark, not the value (each page's tests compare its filled template with a
 * direct rendering). Templates are derived from code and configuration only: every process builds
 * the same. At most `max` shapes are kept, the oldest dropped first.
 */
export function pageTemplates<Name extends string>(names: readonly Name[], max = 200): PageTemplates<Name> {
  const cache = new Map<string, (Buffer | number)[]>();
  return (shape, values, draw) => {
    const empty = names.map((name) => (values[name] === '' ? '1' : '0')).join('');
    const key = `${empty}${JSON.stringify(shape)}`;
    let parts = cache.get(key);
    if (!parts) {
      const marked = Object.fromEntries(names.map((name, i) => [name, values[name] === '' ? '' : mark(i)])) as Record<Name, string>;
      parts = compile(draw(marked));
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(key, parts);
    }
    const escaped = names.map((name) => escapeLikePreact(values[name]));
    let length = 0;
    for (const part of parts) length += typeof part === 'number' ? Buffer.byteLength(escaped[part] as string) : part.length;
    const html = bytesFor(length);
    let at = 0;
    for (const part of parts) {
      if (typeof part === 'number') at += html.write(escaped[part] as string, at);
      else {
        html.set(part, at);
        at += part.length;
      }
    }
    return html;
  };
}
