import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/kernel/config/load.js';

describe('the rate limit from the environment', () => {
  it('keeps the configured limit when the variables are unset', () => {
    expect(loadConfig({ env: {} }).config.rateLimit).toEqual({ max: 120, windowSeconds: 60, routes: true });
  });

  it('overrides the maximum alone, keeping the window', () => {
    expect(loadConfig({ env: { CIVITAS_RATE_LIMIT_MAX: '5000' } }).config.rateLimit).toEqual({
      max: 5000,
      windowSeconds: 60,
      routes: true,
    });
  });

  it('overrides the window alone, keeping the maximum', () => {
    expect(loadConfig({ env: { CIVITAS_RATE_LIMIT_WINDOW_SECONDS: '10' } }).config.rateLimit).toEqual({
      max: 120,
      windowSeconds: 10,
      routes: true,
    });
  });

  it('lets routes’ own limits give way to the general one for load tests', () => {
    expect(loadConfig({ env: { CIVITAS_RATE_LIMIT_ROUTES: 'off' } }).config.rateLimit).toEqual({
      max: 120,
      windowSeconds: 60,
      routes: false,
    });
  });

  it('refuses a value that is not a positive integer, naming the setting', () => {
    expect(() => loadConfig({ env: { CIVITAS_RATE_LIMIT_MAX: 'lots' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { CIVITAS_RATE_LIMIT_MAX: '0' } })).toThrow(/rateLimit\.max/);
  });
});
