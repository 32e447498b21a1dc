import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { create } from '../modules/participatory-budget/campaigns-support.js';
import { liveDefinition } from '../modules/participatory-budget/proposals-support.js';
import { accountOf } from '../modules/street-reports/back-office-support.js';
import { createCitizen, sessionCookie } from '../support/identity.js';
import { DESKTOP, expectNoAxeViolations, PHONE, withBrowser } from './support.js';

/**
 * A resident proposes a garden from a phone; the 11th's agent publishes it, merges it into a
 * project, studies it and puts it on the ballot; the public pages link the proposal and the project
 * both ways. Every page is checked with axe.
 */
const b = withBrowser({ app: { demo: true, overrides: { modules: ['pages', 'participatory-budget'] } } });
const BASE = '/budget/vivant-2027';
const ADMIN = '/admin/budget/vivant-2027';

async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState('load');
}

async function signedInPage(email: string, options: typeof PHONE | typeof DESKTOP): Promise<Page> {
  const [name, value] = (await sessionCookie(b.app.kernel, await accountOf(b.app.kernel, email))).split('=') as [string, string];
  const context = await b.context({ ...options, locale: 'fr-FR' });
  await context.addCookies([{ name, value, url: b.app.url }]);
  return context.newPage();
}

describe('a proposal from the form to the ballot', () => {
  it('is proposed, published, merged and studied, accessible at every step', { timeout: 90_000 }, async () => {
    await create(b.app.kernel, liveDefinition(), { now: new Date() });
    await createCitizen(b.app.kernel, { email: 'lea.petit@example.org', name: 'Léa Petit' });

    const resident = await signedInPage('lea.petit@example.org', PHONE);
    await resident.goto(`${b.app.url}${BASE}/propose`);
    await expectNoAxeViolations(resident, 'propose form');
    await submit(resident, 'Déposer ma proposition');
    await expect(resident.locator('.error-summary').isVisible()).resolves.toBe(true);
    await expectNoAxeViolations(resident, 'propose form with errors');
    await resident.getByLabel('Titre', { exact: true }).fill('Un jardin partagé square Maurice-Gardette');
    await resident.getByLabel('Description').fill('Des bacs de culture et un composteur pour le quartier.');
    await resident.getByLabel('Coût estimé (en euros)').fill('45000');
    await resident.getByLabel('Thématique').selectOption('environnement');
    await resident.getByLabel('Arrondissement ou toute la ville').selectOption('75111');
    await resident.getByLabel('Images (facultatif)').setInputFiles({
      name: 'jardin.jpg',
      mimeType: 'image/jpeg',
      buffer: await sharp({ create: { width: 320, height: 240, channels: 3, background: '#4a7' } })
        .jpeg()
        .toBuffer(),
    });
    await submit(resident, 'Déposer ma proposition');
    await expect(resident.locator('.notice-success').textContent()).resolves.toContain('votre proposition est déposée');
    await expectNoAxeViolations(resident, 'proposal page (author)');
    const proposalUrl = new URL(resident.url()).pathname;

    const agent = await signedInPage('agent.11@ville.example', DESKTOP);
    await agent.goto(`${b.app.url}${ADMIN}/proposals`);
    await expectNoAxeViolations(agent, 'moderation queue');
    await Promise.all([agent.waitForLoadState('load'), agent.getByRole('link', { name: /Un jardin partagé/ }).click()]);
    await expectNoAxeViolations(agent, 'proposal in the back office');
    await submit(agent, 'Publier');
    await expect(agent.locator('.notice-success').textContent()).resolves.toContain('Proposition publiée');

    await agent.goto(`${b.app.url}${ADMIN}/proposals?status=published`);
    await expectNoAxeViolations(agent, 'merge form');
    await agent.getByLabel(/Choisir la proposition BP-/).check();
    await agent.getByLabel('Titre (français)').fill('Jardins partagés du 11e');
    await agent.getByLabel('Description (français)').fill('Des jardins partagés dans les squares du 11e.');
    await submit(agent, 'Regrouper');
    await expect(agent.locator('h1').textContent()).resolves.toContain('75111-001');
    await expectNoAxeViolations(agent, 'project in the back office');

    await agent.getByLabel('Réalisable', { exact: true }).check();
    await agent.getByLabel('Coût étudié (en euros)').fill('52000');
    await agent.getByLabel('Durée de réalisation (mois)').fill('8');
    await submit(agent, 'Enregistrer l’avis');
    await expect(agent.locator('.notice-success').textContent()).resolves.toContain('Avis enregistré');

    await agent.goto(`${b.app.url}${ADMIN}/projects`);
    await expectNoAxeViolations(agent, 'projects list');
    await agent.getByLabel('Soumettre le projet 75111-001 au vote').check();
    await submit(agent, 'Soumettre au vote les projets cochés');
    await expect(agent.locator('.notice-success').textContent()).resolves.toContain('soumis au vote');

    const visitor = await (await b.context({ ...PHONE, locale: 'fr-FR' })).newPage();
    await visitor.goto(`${b.app.url}${proposalUrl}`);
    await expectNoAxeViolations(visitor, 'public proposal page');
    await Promise.all([
      visitor.waitForLoadState('load'),
      visitor.getByRole('link', { name: 'Regroupée dans le projet 75111-001' }).click(),
    ]);
    await expect(visitor.locator('h1').textContent()).resolves.toBe('Jardins partagés du 11e');
    await expect(visitor.getByText('Soumis au vote').count()).resolves.toBe(1);
    await expectNoAxeViolations(visitor, 'public project page');
    await expect(visitor.getByRole('link', { name: 'Un jardin partagé square Maurice-Gardette' }).getAttribute('href')).resolves.toBe(
      proposalUrl,
    );
    await visitor.goto(`${b.app.url}${BASE}/proposals`);
    await expectNoAxeViolations(visitor, 'public list and map');
    const width = await visitor.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
  });
});
