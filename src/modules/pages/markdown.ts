import { Marked } from 'marked';

/**
 * Markdown → HTML for content pages. Raw HTML in the source is shown as text, never interpreted,
 * so that editors cannot inject scripts or markup that breaks accessibility. The page title is the
 * only h1: a `#` heading in the body becomes an h2.
 */
const marked = new Marked({
  gfm: true,
  renderer: {
    html({ text }) {
      return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    },
  },
  walkTokens(token) {
    if (token.type === 'heading') token.depth = Math.max(2, token.depth);
  },
});

export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false }) as string;
}
