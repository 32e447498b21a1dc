import type { Executor } from '../db/transaction.js';
import { nowIso } from '../db/values.js';
import { HttpError } from '../http/errors.js';

export interface UnitInput {
  code: string;
  parentCode: string | null;
  name: { fr: string; en: string };
  districtCode?: string | null;
}

const CODE = /^[a-z0-9][a-z0-9-]{0,62}$/;

const NAME_MAX = 200;

function checkName(name: { fr: string; en: string }): void {
  if (!name.fr.trim() || !name.en.trim()) {
    throw new HttpError(400, 'unit.name-required', 'A unit needs a French and an English name.', [{ field: 'name', message: 'required' }]);
  }
  if (name.fr.trim().length > NAME_MAX || name.en.trim().length > NAME_MAX) {
    throw new HttpError(400, 'unit.name-too-long', `A unit name is at most ${NAME_MAX} characters.`, [
      { field: 'name', message: 'too long' },
    ]);
  }
}

/** Adds a unit under its parent; its path makes "this unit and everything below" one prefix test. */
export async function createUnit(db: Executor, input: UnitInput): Promise<{ path: string }> {
  if (!CODE.test(input.code)) {
    throw new HttpError(400, 'unit.code-invalid', 'A unit code is lowercase letters, digits and dashes (at most 63).', [
      { field: 'code', message: 'invalid' },
    ]);
  }
  checkName(input.name);
  const exists = await db.selectFrom('units').select('code').where('code', '=', input.code).executeTakeFirst();
  if (exists)
    throw new HttpError(409, 'unit.exists', `A unit with code "${input.code}" already exists.`, [{ field: 'code', message: 'taken' }]);
  let path = `/${input.code}/`;
  if (input.parentCode) {
    const parent = await db.selectFrom('units').select('path').where('code', '=', input.parentCode).executeTakeFirst();
    if (!parent)
      throw new HttpError(400, 'unit.parent-unknown', `No parent unit "${input.parentCode}".`, [
        { field: 'parentCode', message: 'unknown' },
      ]);
    path = `${parent.path}${input.code}/`;
  }
  await db
    .insertInto('units')
    .values({
      code: input.code,
      parent_code: input.parentCode,
      path,
      name_fr: input.name.fr.trim(),
      name_en: input.name.en.trim(),
      district_code: input.districtCode ?? null,
      created_at: nowIso(),
    })
    .execute();
  return { path };
}

/** Renames a unit; its code and path, which grants and resources refer to, never change. */
export async function renameUnit(db: Executor, code: string, name: { fr: string; en: string }): Promise<void> {
  checkName(name);
  const result = await db
    .updateTable('units')
    .set({ name_fr: name.fr.trim(), name_en: name.en.trim() })
    .where('code', '=', code)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new HttpError(404, 'unit.unknown', `No unit "${code}".`);
}

export async function unitPath(db: Executor, code: string): Promise<string | undefined> {
  return (await db.selectFrom('units').select('path').where('code', '=', code).executeTakeFirst())?.path;
}

/** The unit covering a district (the arrondissement's town hall), if the city defined one. */
export async function unitOfDistrict(db: Executor, districtCode: string): Promise<{ code: string; path: string } | undefined> {
  return db
    .selectFrom('units')
    .select(['code', 'path'])
    .where('district_code', '=', districtCode)
    .orderBy('path', 'desc')
    .executeTakeFirst();
}

export async function listUnits(db: Executor) {
  return db.selectFrom('units').selectAll().orderBy('path').execute();
}
