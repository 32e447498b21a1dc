import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/kernel/db/transaction.js';
import { seedDemoOnce } from '../../src/kernel/demo.js';
import { DEMO_PASSWORD } from '../../src/kernel/identity/demo.js';
import { queueWebhooks } from '../../src/kernel/webhooks/queue.js';
import { expectNoAxeViolations, horizontalOverflow, overflowingElements, PHONE, withBrowser } from '../browser/support.js';
import { deliveryJobs, startReceiver } from './support.js';

/** The webhooks' back-office pages in a real browser: axe finds nothing, on a desktop and a phone, in both languages. */
const b = withBrowser();

async function signIn(page: Page): Promise<void> {
  await page.goto(`${b.app.url}/admin/login`);
  await page.locator('input[name="email"]').fill('admin@ville.example');
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').first().click()]);
}

async function check(page: Page, label: string): Promise<void> {
  await expectNoAxeViolations(page, label);
  expect(await horizontalOverflow(page), `${label}: ${(await overflowingElements(page)).join(', ')}`).toBeLessThanOrEqual(0);
}

describe('webhook pages', () => {
  it('are accessible through a whole visit: list, form with errors, secret, endpoint with its log, deletion', async () => {
    await seedDemoOnce(b.app.kernel);
    const receiver = await startReceiver((_req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance until 6 pm'));
    try {
      for (const [viewport, lang] of [
        [{}, 'fr'],
        [PHONE, 'en'],
      ] as const) {
        const page = await b.page(viewport);
        await signIn(page);
        await page.goto(`${b.app.url}/admin/webhooks?lang=${lang}`);
        await check(page, `list (${lang})`);

        await page.goto(`${b.app.url}/admin/webhooks/new`);
        await page.locator('input[name="url"]').fill('ftp://nowhere');
        await page.locator('textarea[name="events"]').fill('');
        await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').click()]);
        expect(await page.locator('.error-summary').count()).toBe(1);
        await check(page, `form with errors (${lang})`);

        await page.locator('input[name="url"]').fill(receiver.url);
        await page.locator('textarea[name="events"]').fill('*');
        await Promise.all([page.waitForLoadState('load'), page.locator('main form button[type="submit"]').click()]);
        const secret = (await page.locator('#webhook-secret').textContent()) ?? '';
        expect(secret).toMatch(/^whsec_/);
        await check(page, `secret (${lang})`);

        const endpoint = await b.app.kernel.db
          .selectFrom('webhook_endpoints')
          .select('id')
          .where('secret', '=', secret)
          .executeTakeFirstOrThrow();
        await inTransaction(b.app.kernel.db, (trx) =>
          queueWebhooks(trx, b.app.kernel, {
            module: 'pages',
            unitPath: null,
            event: 'page.updated',
            subject: 'pages:page:mentions-legales',
            payload: { slug: 'mentions-legales', title: 'Mentions légales', changes: ['body', 'title'] },
          }),
        );
        await deliveryJobs(b.app.kernel, { retryDelayMs: 3_600_000 }).runDue();
        await page.goto(`${b.app.url}/admin/webhooks/${endpoint.id}`);
        expect(await page.locator('main table').textContent()).toContain('HTTP 503');
        await check(page, `endpoint with its log (${lang})`);

        await page.goto(`${b.app.url}/admin/webhooks/${endpoint.id}/delete`);
        await check(page, `deletion (${lang})`);
      }
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
