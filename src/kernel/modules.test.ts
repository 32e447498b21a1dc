import { describe, expect, it } from 'vitest';
import { defineModule, resolveModules } from './modules.js';

const mod = (code: string, dependsOn: string[] = []) => defineModule({ code, dependsOn });

describe('resolveModules', () => {
  it('orders enabled modules after their dependencies', () => {
    const catalogue = [mod('c', ['b']), mod('b', ['a']), mod('a'), mod('unused')];
    expect(resolveModules(catalogue, ['c', 'b', 'a']).map((m) => m.code)).toEqual(['a', 'b', 'c']);
  });

  it('leaves disabled modules out', () => {
    expect(resolveModules([mod('a'), mod('b')], ['b']).map((m) => m.code)).toEqual(['b']);
  });

  it('names an unknown module and lists the available ones', () => {
    expect(() => resolveModules([mod('a'), mod('b')], ['zz'])).toThrow(
      'Unknown module "zz" in configuration "modules". Available modules: a, b.',
    );
  });

  it('refuses a module whose dependency is not enabled, saying how to fix it', () => {
    expect(() => resolveModules([mod('a'), mod('b', ['a'])], ['b'])).toThrow(
      'Module "b" depends on "a", which is not enabled: add "a" to "modules" or remove "b".',
    );
  });

  it('refuses a dependency that does not exist', () => {
    expect(() => resolveModules([mod('b', ['ghost'])], ['b'])).toThrow('Module "b" depends on "ghost", which does not exist.');
  });

  it('detects cycles', () => {
    expect(() => resolveModules([mod('a', ['b']), mod('b', ['a'])], ['a', 'b'])).toThrow(/cycle: a → b → a/);
  });
});
