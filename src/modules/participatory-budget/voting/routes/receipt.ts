import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { Kernel } from '../../../../kernel/kernel.js';
import { checkReceipt } from '../receipt-check.js';
import { ReceiptPage } from '../views/receipt-page.js';

/**
 * The public check of a receipt code. The code is posted (a form with its CSRF token), so that
 * guessing codes counts against the rate limit of state-changing requests, and its own stricter one.
 */
export async function receiptRoutes(app: FastifyInstance, kernel: Kernel): Promise<void> {
  app.get('/budget/receipt', { config: { public: true } }, async (_request, reply) => {
    const ctx = reply.view();
    return reply.page(ctx.t('participatory-budget.receipt.title'), h(ReceiptPage, { ctx, typed: '', result: null }));
  });
  app.post<{ Body: { code?: string } }>(
    '/budget/receipt',
    {
      config: { public: true, rateLimit: { max: 30, windowSeconds: 600 } },
      schema: { body: { type: 'object', properties: { code: { type: 'string', maxLength: 40 } } } },
    },
    async (request, reply) => {
      const ctx = reply.view();
      const typed = request.body?.code ?? '';
      const result = await checkReceipt(kernel.db, kernel, typed);
      return reply.page(ctx.t('participatory-budget.receipt.title'), h(ReceiptPage, { ctx, typed, result }), {
        status: result.status === 'malformed' ? 400 : 200,
      });
    },
  );
}
