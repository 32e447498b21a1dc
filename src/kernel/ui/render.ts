import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { ViewContext } from './context.js';
import { Layout } from './layout.js';

/** A whole HTML document: the layout around the page's body. Text is escaped by Preact. */
export function renderPage(ctx: ViewContext, title: string, body: VNode<any>): string {
  return `<!doctype html>${renderToString(h(Layout, { ctx, title, children: body }))}`;
}
