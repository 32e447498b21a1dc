import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertCan } from '../http/access.js';
import { HttpError } from '../http/errors.js';
import { type Actor, can, type Grant, scopesOf } from './authorization.js';
import type { SessionAccount, SessionRow } from './sessions.js';

const account = {
  id: 'a1',
  kind: 'agent',
  email: 'agent@city.example',
  display_name: 'Agent',
  is_admin: 0,
  status: 'active',
} as SessionAccount;
const session = { id: 's', accountId: 'a1', lastSeenAt: '', expiresAt: '', mfaPassed: true, method: 'password', acr: null } as SessionRow;
const grant = (unitPath: string, ...permissions: string[]): Grant => ({
  role: 'r',
  unit: unitPath,
  unitPath,
  permissions: new Set(permissions),
});
const agent = (grants: Grant[], admin = false): Actor => ({ kind: 'agent', account, session, grants, admin });

describe('can', () => {
  const inEleventh = agent([grant('/paris/mairie-75111/', 'reports.triage')]);

  it('allows a permission in the granted unit and every unit below it, nowhere else', () => {
    expect(can(inEleventh, 'reports.triage', { unitPath: '/paris/mairie-75111/' })).toBe(true);
    expect(can(inEleventh, 'reports.triage', { unitPath: '/paris/mairie-75111/voirie/' })).toBe(true);
    expect(can(inEleventh, 'reports.triage', { unitPath: '/paris/mairie-75118/' })).toBe(false);
    expect(can(inEleventh, 'reports.triage', { unitPath: '/paris/' })).toBe(false);
    expect(can(inEleventh, 'reports.dispatch', { unitPath: '/paris/mairie-75111/' })).toBe(false);
  });

  it('without a resource, asks whether the permission is held anywhere; a resource without unit is refused', () => {
    expect(can(inEleventh, 'reports.triage')).toBe(true);
    expect(can(inEleventh, 'reports.triage', { unitPath: null })).toBe(false);
  });

  it('gives nothing to residents and anonymous visitors, and everything to administrators', () => {
    expect(can({ kind: 'anonymous' }, 'reports.triage')).toBe(false);
    expect(can({ kind: 'citizen', account: { ...account, kind: 'citizen' }, session }, 'reports.triage')).toBe(false);
    expect(can(agent([], true), 'anything', { unitPath: '/anywhere/' })).toBe(true);
    expect(scopesOf(agent([], true), 'anything')).toBe('all');
    expect(scopesOf(inEleventh, 'reports.triage')).toEqual(['/paris/mairie-75111/']);
  });

  it('never lets a grant reach a sibling whose code starts like its own (paths end with a slash)', () => {
    const code = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
    fc.assert(
      fc.property(code, code, (mine, other) => {
        fc.pre(mine !== other);
        const actor = agent([grant(`/city/${mine}/`, 'p')]);
        expect(can(actor, 'p', { unitPath: `/city/${other}/` })).toBe(false);
        expect(can(actor, 'p', { unitPath: `/city/${mine}/${other}/` })).toBe(true);
      }),
    );
  });
});

describe('assertCan', () => {
  it('refuses a resource of another unit with a code distinct from the route-level refusals', () => {
    const actor = agent([grant('/paris/mairie-75111/', 'reports.triage')]);
    expect(() => assertCan(actor, 'reports.triage', '/paris/mairie-75111/')).not.toThrow();
    let error: unknown;
    try {
      assertCan(actor, 'reports.triage', '/paris/mairie-75118/');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ statusCode: 403, code: 'auth.out-of-unit' });
  });
});
