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

/** What XML 1.0 cannot carry at all, even escaped: control characters, lone surrogates, U+FFFE and U+FFFF. */
const CONTROL = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f';
const NOT_XML = new RegExp(`[${CONTROL}\\ufffe\\uffff]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`);
const NOT_XML_ALL = new RegExp(NOT_XML.source, 'g');
const SPECIAL = /[&<>"']/;
const SPECIAL_ALL = new RegExp(SPECIAL.source, 'g');
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML, leaving out what XML cannot carry. Most text needs neither and is returned as it is. */
export function escapeXml(text: string): string {
  const clean = NOT_XML.test(text) ? text.replace(NOT_XML_ALL, '') : text;
  return SPECIAL.test(clean) ? clean.replace(SPECIAL_ALL, (c) => ENTITY[c]!) : clean;
}

/** Appends the element to `out` (one string grown by concatenation: no intermediate arrays). */
function element(out: string, name: string, value: Value): string {
  if (value === null || value === undefined) return `${out}<${name}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_ELEMENT[name];
    if (!item) throw new Error(`No XML item element is known for the list "${name}"`);
    out += `<${name}>`;
    for (const v of value) out = element(out, item, v);
    return `${out}</${name}>`;
  }
  if (typeof value === 'object') {
    out += `<${name}>`;
    for (const key in value) out = element(out, key, value[key]);
    return `${out}</${name}>`;
  }
  return `${out}<${name}>${typeof value === 'string' ? escapeXml(value) : String(value)}</${name}>`;
}

/** The XML document of a value: `root` is the document element ("service_requests", "discovery"…). */
export function toXml(root: string, value: Value): string {
  return element('<?xml version="1.0" encoding="utf-8"?>\n', root, value);
}

/** Sends a value as JSON, or as the XML document named `root`. */
export function send(reply: FastifyReply, format: Format, root: string, value: Value, status = 200): FastifyReply {
  reply.status(status).header('cache-control', 'no-store');
  // Bytes: a string (a page of requests is ~650 kB) would be read once for its length, then again to encode it.
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(Buffer.from(toXml(root, value)));
  return reply.type('application/json; charset=utf-8').send(Buffer.from(JSON.stringify(value)));
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
