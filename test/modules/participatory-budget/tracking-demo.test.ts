import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTrackingDemo } from '../../../src/modules/participatory-budget/tracking/demo.js';
import { milestonesOf } from '../../../src/modules/participatory-budget/tracking/milestones.js';
import { listTracked } from '../../../src/modules/participatory-budget/tracking/project.js';
import type { TestApp } from '../../support/app.js';
import { Visitor } from '../../support/visitor.js';
import { create, goodDefinition, startWithParticipatoryBudget } from './campaigns-support.js';
import { CAMPAIGN, insertProject } from './tracking-support.js';

let t: TestApp;
beforeAll(async () => {
  t = await startWithParticipatoryBudget();
});
afterAll(async () => t?.close());

describe('seedTrackingDemo', () => {
  it('tracks the winners at every stage, with dated milestones and photos, ready for the public pages', async () => {
    await create(t.kernel, { ...goodDefinition(), status: 'published' });
    const ids: string[] = [];
    for (let i = 1; i <= 7; i++) {
      ids.push(await insertProject(t.kernel, { envelope: i % 2 ? '75111' : '75118', code: `demo-${i}`, title: `Projet ${i}` }));
    }
    await seedTrackingDemo(t.kernel, ids);
    const tracked = await listTracked(t.kernel.db, CAMPAIGN);
    expect(new Set(tracked.map((p) => p.status))).toEqual(new Set(['delivered', 'works', 'procedures', 'studies', 'planned', 'abandoned']));
    expect(tracked.find((p) => p.status === 'delivered')?.progress).toBe(100);
    expect(tracked.find((p) => p.status === 'abandoned')?.abandonReason).toBeTruthy();
    const delivered = await milestonesOf(t.kernel.db, tracked.find((p) => p.status === 'delivered')!.id);
    expect(delivered.map((m) => m.title.en)).toEqual(['Open to the public', 'Works begin', 'Studies started with the city’s departments']);
    expect(delivered[0]!.photos).toHaveLength(1);
    expect((await t.kernel.files.get(delivered[0]!.photos[0]!.fileId))?.mime).toBe('image/jpeg');
    expect((await new Visitor(t.app).get(`/budget/${CAMPAIGN}/realisations`)).body).toContain('Réalisé à 60 %');
  });
});
