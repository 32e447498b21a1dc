import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * Browser tests drive the distribution's Chromium through playwright-core (no bundled browser is
 * downloaded). Each test file boots its own platform on its own database (see test/support/app.ts)
 * and launches one browser, reused by all its tests; each test gets fresh browser contexts (no
 * cookies shared between tests), closed after it.
 */
export const CHROMIUM = process.env.CIVITAS_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP = { viewport: { width: 1280, height: 800 } } satisfies BrowserContextOptions;
export const PHONE = {
  viewport: { width: 375, height: 740 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
} satisfies BrowserContextOptions;
export const VIEWPORTS = { desktop: DESKTOP, phone: PHONE } as const;

/** The WCAG 2.0 and 2.1 levels A and AA rules: what the accessibility statement promises. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * `chromium.launch` gives the browser a fresh profile: Playwright creates a new temporary
 * `--user-data-dir` (playwright_chromiumdev_profile-*) for each launch and deletes it on close
 * (it refuses a `--user-data-dir` in `args`). So no state leaks from one run to the next.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface BrowserFixture {
  /** The running platform: `url` to browse, `kernel.db` to check what was stored. */
  readonly app: TestApp & { url: string };
  readonly browser: Browser;
  /** A new browser context (fresh cookies), closed after the current test. */
  context(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a new context. */
  page(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * Registers the file's hooks: boots the platform (listening on a free port) and launches one
 * browser before the tests, closes the contexts after each test, and everything after the file.
 */
export function withBrowser(options: { app?: Omit<Parameters<typeof createTestApp>[0] & object, 'listen'> } = {}): BrowserFixture {
  let app: (TestApp & { url: string }) | undefined;
  let browser: Browser | undefined;
  const open: BrowserContext[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([createTestApp({ ...options.app, listen: true }), launchBrowser()]);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close().catch(() => undefined)));
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await app?.close();
  });

  const fixture: BrowserFixture = {
    get app() {
      if (!app) throw new Error('The test app is not running (withBrowser hooks not run yet).');
      return app;
    },
    get browser() {
      if (!browser) throw new Error('The browser is not running (withBrowser hooks not run yet).');
      return browser;
    },
    async context(contextOptions = {}) {
      const context = await fixture.browser.newContext({ ...DESKTOP, ...contextOptions });
      context.setDefaultTimeout(10_000);
      context.setDefaultNavigationTimeout(15_000);
      open.push(context);
      return context;
    },
    async page(contextOptions = {}) {
      return (await fixture.context(contextOptions)).newPage();
    },
  };
  return fixture;
}

function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map(
          (n) =>
            `    - ${n.target.join(' ')}\n      ${n.html.replace(/\s+/g, ' ').slice(0, 300)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
        )
        .join('\n');
      return `  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Fails with a readable list (rule, impact, help link, offending elements and why) if axe finds
 * any WCAG 2.1 A/AA violation on the page. Needs JavaScript: axe never finishes in a context
 * with JavaScript disabled (use `expectNoAxeViolationsInHtml` for those pages).
 */
export async function expectNoAxeViolations(page: Page, label = page.url()): Promise<void> {
  // Without iframes, axe's "legacy" mode gives the same results about four times faster (the
  // default mode opens an extra blank page to merge the results of every frame).
  const results = await new AxeBuilder({ page })
    .withTags(AXE_TAGS)
    .setLegacyMode(page.frames().length === 1)
    .analyze();
  if (results.violations.length > 0) {
    throw new Error(
      `axe found ${results.violations.length} accessibility violation(s) on ${label}:\n${describeViolations(results.violations)}`,
    );
  }
}

/**
 * Checks the accessibility of a document captured elsewhere (for instance in a context without
 * JavaScript, where axe cannot run): it is served again at the same address, with the app's
 * styles, in a context with JavaScript, and analysed there.
 */
export async function expectNoAxeViolationsInHtml(
  fixture: BrowserFixture,
  url: string,
  html: string,
  options: BrowserContextOptions = {},
): Promise<void> {
  const context = await fixture.context(options);
  const page = await context.newPage();
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(url);
  await expectNoAxeViolations(page, `${url} (as rendered without JavaScript)`);
}

/**
 * Starts recording the page's sub-resources (styles, scripts, images, fonts) that fail to load:
 * a page without its stylesheet may still pass axe, but it is not the page visitors should see.
 */
export function watchSubresources(page: Page): { broken: string[] } {
  const watched = new Set(['stylesheet', 'script', 'image', 'font']);
  const broken: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400 && watched.has(response.request().resourceType())) broken.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    if (watched.has(request.resourceType())) broken.push(`failed (${request.failure()?.errorText ?? '?'}) ${request.url()}`);
  });
  return { broken };
}

/** `<html lang>` of the current document. */
export function htmlLang(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('lang');
}

/** Width of the document beyond the viewport, in CSS pixels (0 when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('(document.scrollingElement ?? document.documentElement).scrollWidth - window.innerWidth');
}

/** The elements wider than the viewport, to explain an overflow. */
export async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 10)
    .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right))`);
}

/** `id` (or tag name) and text of the focused element. */
export async function focused(page: Page): Promise<{ id: string; tag: string; text: string; className: string }> {
  return page.evaluate<{ id: string; tag: string; text: string; className: string }>(
    `(() => { const e = document.activeElement; return { id: e?.id ?? '', tag: e?.tagName.toLowerCase() ?? '', text: (e?.textContent ?? '').trim().slice(0, 80), className: typeof e?.className === 'string' ? e.className : '' }; })()`,
  );
}

export interface FeedbackRow {
  id: string;
  slug: string;
  useful: number | boolean;
  comment: string | null;
  lang: string;
  created_at: string;
}

/** Every stored feedback row (what the visitor's form submissions left in the database). */
export async function feedbackRows(app: TestApp): Promise<FeedbackRow[]> {
  return (await app.kernel.db.selectFrom('page_feedback').selectAll().execute()) as FeedbackRow[];
}
