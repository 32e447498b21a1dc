import type { FastifyReply } from 'fastify';

/** Open311 answers in the format named by the URL's suffix: XML (the standard's own) or JSON. */
export type Format = 'json' | 'xml';
export const FORMATS: readonly Format[] = ['json', 'xml'];

export type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

/** The element of each item of a list, by the list's element (the standard's names). */
const ITEM_ELEMENT: Record<string, string> = {
  service_requests: 'request',
  services: 'service',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
};

/** Leaves out what XML 1.0 cannot carry at all, even escaped: control characters, lone surrogates. */
function xmlChars(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) continue;
    out += ch;
  }
  return out;
}

export function escapeXml(text: string): string {
  return xmlChars(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function element(name: string, value: Value): string {
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_ELEMENT[name];
    if (!item) throw new Error(`No XML item element is known for the list "${name}"`);
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** The XML document of a value: `root` is the document element ("service_requests", "discovery"…). */
export function toXml(root: string, value: Value): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}`;
}

/** Sends a value as JSON, or as the XML document named `root`. */
export function send(reply: FastifyReply, format: Format, root: string, value: Value, status = 200): FastifyReply {
  reply.status(status).header('cache-control', 'no-store');
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, value));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

/** `name.json` / `name.xml` → its parts; anything else is not an Open311 resource. */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const dot = file.lastIndexOf('.');
  const format = file.slice(dot + 1);
  if (dot <= 0 || !(FORMATS as readonly string[]).includes(format)) return null;
  return { name: file.slice(0, dot), format: format as Format };
}

/** The format of any Open311 URL (errors are answered in it); JSON when it names none. */
export function formatOfUrl(url: string): Format {
  return /\.xml$/i.test(url.split('?')[0] ?? '') ? 'xml' : 'json';
}
