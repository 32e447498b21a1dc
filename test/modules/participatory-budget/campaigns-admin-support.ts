/**
 * What a browser would post for the first POST form of a page's main content, as it stands: text and hidden inputs,
 * checked boxes and radios, each select's selected option. Enough for the campaign form, whose tests
 * post it back with a few changes, as an agent would.
 */
export function formValues(html: string): Record<string, string> {
  const start = html.indexOf('<form method="post"', html.indexOf('<main'));
  const form = html.slice(start, html.indexOf('</form>', start));
  const values: Record<string, string> = {};
  const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const decodeEntities = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') ?? 'text';
    if (!name || type === 'submit' || type === 'file') continue;
    if ((type === 'checkbox' || type === 'radio') && !/\schecked(?=[\s/>])/.test(tag)) continue;
    values[name] = decodeEntities(attr(tag, 'value') ?? '');
  }
  for (const [, tag, options] of form.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/g)) {
    const name = attr(tag!, 'name');
    const chosen = /<option[^>]*\sselected[^>]*>/.exec(options!)?.[0] ?? /<option[^>]*>/.exec(options!)?.[0] ?? '';
    if (name) values[name] = decodeEntities(attr(chosen, 'value') ?? '');
  }
  return values;
}

/** The ids the error summary links to, in its order. */
export function summaryLinks(html: string): string[] {
  const start = html.indexOf('class="error-summary"');
  if (start < 0) return [];
  const summary = html.slice(start, html.indexOf('</ul>', start));
  return [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
}
