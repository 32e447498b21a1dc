import { defineConfig } from 'vitest/config';

/**
 * `npm test` (scripts/test.mjs) runs this suite once per engine, choosing with CIVITAS_TEST_DB.
 * Every test file gets its own database (test/support/database.ts), so files run in parallel.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
