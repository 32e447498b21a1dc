import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import type { Localized } from '../../i18n/types.js';
import { audit } from '../audit.js';
import { type Actor, can, scopesOf } from '../authorization.js';
import { createUnit, listUnits, renameUnit, unitPath } from '../units.js';
import { type Acting, forbidden, invalidForm, notFound } from './acting.js';

export interface Unit {
  code: string;
  parentCode: string | null;
  path: string;
  name: Localized;
}

async function allUnits(db: Db): Promise<Unit[]> {
  return (await listUnits(db)).map((u) => ({
    code: u.code,
    parentCode: u.parent_code,
    path: u.path,
    name: { fr: u.name_fr, en: u.name_en },
  }));
}

/** The units in which the actor holds a permission (each granted unit and everything below it), in tree order. */
export async function unitsWhere(db: Db, actor: Actor, permission: string): Promise<Unit[]> {
  const scopes = scopesOf(actor, permission);
  return (await allUnits(db)).filter((u) => scopes === 'all' || scopes.some((s) => u.path.startsWith(s)));
}

/** One unit the actor administers: unknown → 404, another unit's → 403. */
export async function unitFor(db: Db, actor: Actor, code: string): Promise<Unit> {
  const unit = (await allUnits(db)).find((u) => u.code === code);
  if (!unit) throw notFound(`No unit "${code}".`);
  if (!can(actor, 'admin.units', { unitPath: unit.path }))
    throw forbidden('admin.out-of-scope', 'This unit is outside the units you administer.');
  return unit;
}

/**
 * Creates a unit under a parent the actor administers (`admin.units` there or above); only
 * administrators create top-level units.
 */
export async function createUnitAs(
  db: Db,
  who: Acting,
  input: { code: string; parentCode: string | null; name: Localized },
): Promise<void> {
  const parentPath = input.parentCode ? await unitPath(db, input.parentCode) : null;
  if (input.parentCode && !parentPath) throw invalidForm([{ field: 'parent', message: 'admin.errors.unit-required' }]);
  const allowed = parentPath ? can(who.actor, 'admin.units', { unitPath: parentPath }) : who.actor.admin;
  if (!allowed) throw forbidden('admin.out-of-scope', 'You may only create units within the units you administer.');
  await inTransaction(db, async (trx) => {
    await createUnit(trx, input);
    await audit(trx, {
      actor: who.actor,
      action: 'unit.create',
      resourceType: 'unit',
      resourceId: input.code,
      unitCode: input.code,
      ip: who.ip,
      details: { parent: input.parentCode, name: input.name },
    });
  });
}

export async function renameUnitAs(db: Db, who: Acting, code: string, name: Localized): Promise<void> {
  const unit = await unitFor(db, who.actor, code);
  await inTransaction(db, async (trx) => {
    await renameUnit(trx, code, name);
    await audit(trx, {
      actor: who.actor,
      action: 'unit.rename',
      resourceType: 'unit',
      resourceId: code,
      unitCode: code,
      ip: who.ip,
      details: { from: unit.name, to: name },
    });
  });
}
