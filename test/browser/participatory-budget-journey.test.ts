import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedIdentityDemo } from '../../src/kernel/identity/demo.js';
import { photo } from '../modules/participatory-budget/tracking-support.js';
import { createCitizen } from '../support/identity.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';
import { eventually } from '../webhooks/support.js';
import {
  CAMPAIGN,
  CAMPAIGN_TITLE,
  createJourneyCampaign,
  dashboardCard,
  evaluatorAgent,
  expectNotice,
  follow,
  moveCampaignTo,
  otherProjects,
  press,
  signIn,
  text,
} from './participatory-budget-journey-support.js';
import { DESKTOP, expectNoAxeViolations, PHONE, withBrowser } from './support.js';

/**
 * The participatory budget's "Done when", end to end in Chromium: a resident proposes a shared
 * garden from her phone and follows it on her dashboard; the 11th's agent publishes it and merges
 * it into a ballot project; an evaluator studies it; the resident votes online (district, ballot,
 * review, confirmation, receipt checked on the public page); the ballot box enters a neighbour's
 * paper ballot and refuses hers; the city computes and publishes the results; the winner's works
 * are tracked and the resident, who follows it, hears of each step on her dashboard and by mail
 * (real SMTP on loopback). Campaign configuration and the passing of time are set up through the
 * domain; every step a person takes goes through the pages, each checked with axe once.
 */
let smtp: TestSmtp;
// Registered before withBrowser's hooks, so the mail server listens when the app boots and reads its address.
beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp?.close());
const b = withBrowser({
  app: {
    overrides: {
      modules: ['pages', 'participatory-budget'],
      get smtp() {
        return smtp.config;
      },
    },
  },
});

const RESIDENT = 'lea.petit@example.org';
const PASSWORD = 'jardin-partage-2027';
const EVALUATOR = 'etudes.11@ville.example';
const GARDEN = 'Un jardin partagé square Maurice-Gardette';
const PROJECT = 'Jardins partagés du 11e';

describe('a participatory budget campaign, end to end', () => {
  it('goes from a resident’s proposal to the works on her project, every step in her dashboard', { timeout: 240_000 }, async () => {
    const { kernel, url } = b.app;
    await seedIdentityDemo(kernel);
    await createJourneyCampaign(kernel);
    await otherProjects(kernel);
    await evaluatorAgent(kernel, EVALUATOR);
    await createCitizen(kernel, { email: RESIDENT, name: 'Léa Petit', password: PASSWORD });

    /**
     * The subjects of the resident's mails from the `from`-th on (1-based), once the outbox has sent
     * `from + expected.length - 1` of them; sorted, since jobs send concurrently.
     */
    const mailsFrom = async (from: number, expected: number) => {
      const n = from + expected - 1;
      await eventually(async () => {
        await kernel.jobs.runDue();
        return smtp.to(RESIDENT).length >= n;
      }, 20_000).catch((err: Error) => {
        throw new Error(`Mail ${n} never came (received: ${JSON.stringify(smtp.to(RESIDENT).map((m) => m.subject))}): ${err.message}`);
      });
      return smtp
        .to(RESIDENT)
        .slice(from - 1)
        .sort((x, y) => x.subject.localeCompare(y.subject));
    };
    const subjects = async (from: number, expected: string[]) =>
      expect((await mailsFrom(from, expected.length)).map((m) => m.subject)).toEqual([...expected].sort((x, y) => x.localeCompare(y)));

    // 1. Léa signs in on her phone and proposes a shared garden from the budget's front page.
    const resident = await (await b.context({ ...PHONE, locale: 'fr-FR' })).newPage();
    await signIn(resident, url, '/login', RESIDENT, { password: PASSWORD, check: (page) => expectNoAxeViolations(page, 'resident login') });
    await resident.goto(`${url}/budget`);
    await expectNoAxeViolations(resident, 'budget front page, proposals open');
    await follow(resident, 'Proposer un projet');
    await expectNoAxeViolations(resident, 'proposal form');
    await resident.getByLabel('Titre', { exact: true }).fill(GARDEN);
    await resident.getByLabel('Description').fill('Des bacs de culture et un composteur ouverts aux habitants du quartier.');
    await resident.getByLabel('Coût estimé (en euros)').fill('45000');
    await resident.getByLabel('Thématique').selectOption({ label: 'Environnement' });
    await resident.getByLabel('Arrondissement ou toute la ville').selectOption({ label: '11e arrondissement' });
    await press(resident, 'Déposer ma proposition');
    await expectNotice(resident, 'votre proposition est déposée');
    await expectNoAxeViolations(resident, 'proposal page, author');
    const proposalPath = new URL(resident.url()).pathname;
    const reference = /BP-\d{4}-\d{6}/.exec(await text(resident.locator('main')))?.[0];
    expect(reference, 'the proposal’s reference on its page').toBeDefined();

    // Her dashboard lists it as a demand, waiting for moderation; a mail acknowledges it.
    let card = await dashboardCard(resident, url, reference!);
    expect(card).toContain('Déposée, en attente de modération');
    expect(card).toContain('Étape 1 sur 5');
    await expectNoAxeViolations(resident, 'dashboard');
    await subjects(1, [`Proposition ${reference} : Déposée, en attente de modération`]);

    // 2. The 11th's agent publishes it, then merges it into a ballot project.
    const agent = await (await b.context({ ...DESKTOP, locale: 'fr-FR' })).newPage();
    await signIn(agent, url, '/admin/login', 'agent.11@ville.example', { check: (page) => expectNoAxeViolations(page, 'agent login') });
    await agent.goto(`${url}/admin/budget/${CAMPAIGN}/proposals`);
    await expectNoAxeViolations(agent, 'moderation queue');
    await follow(agent, new RegExp(GARDEN));
    await expectNoAxeViolations(agent, 'proposal in the back office');
    await press(agent, 'Publier');
    await expectNotice(agent, 'Proposition publiée');

    await agent.goto(`${url}/admin/budget/${CAMPAIGN}/proposals?status=published`);
    await expectNoAxeViolations(agent, 'published proposals and the merge form');
    await agent.getByLabel(`Choisir la proposition ${reference}`).check();
    await agent.getByLabel('Arrondissement ou ville').selectOption({ label: '11e arrondissement' });
    await agent.getByLabel('Titre (français)').fill(PROJECT);
    await agent.getByLabel('Description (français)').fill('Des jardins partagés dans les squares du 11e, avec bacs et composteurs.');
    await press(agent, 'Regrouper');
    const code = /75111-\d{3}/.exec(await text(agent.locator('h1')))?.[0];
    expect(code, 'the new project’s code in its heading').toBeDefined();
    await expectNoAxeViolations(agent, 'project in the back office');

    // Léa is told: her dashboard and her messages say where the proposal went.
    card = await dashboardCard(resident, url, reference!);
    expect(card).toContain(`Regroupée dans le projet ${code}, à l’étude`);
    expect(card).toContain('Étape 3 sur 5');
    await subjects(2, [`Proposition ${reference} : Publiée`, `Proposition ${reference} : Regroupée dans le projet ${code}, à l’étude`]);
    const mergedMail = smtp.to(RESIDENT).find((m) => m.subject.includes('Regroupée'))!;
    expect(mergedMail.text).toContain(`est maintenant : Regroupée dans le projet ${code}, à l’étude.`);
    expect(mergedMail.text).toContain(proposalPath);
    await resident.goto(`${url}/account/notifications`);
    await expect(resident.locator('ul.notifications > li h2').allTextContents()).resolves.toContainEqual(
      expect.stringContaining(`Proposition ${reference} : Regroupée dans le projet ${code}, à l’étude`),
    );
    await expectNoAxeViolations(resident, 'notifications');

    // 3. The study phase: an evaluator of the town hall (a role with that one permission) records the study.
    await moveCampaignTo(kernel, 'study');
    const evaluator = await (await b.context({ ...DESKTOP, locale: 'fr-FR' })).newPage();
    await signIn(evaluator, url, '/admin/login', EVALUATOR);
    await evaluator.goto(`${url}/admin/budget/${CAMPAIGN}/projects`);
    await expectNoAxeViolations(evaluator, 'projects list (evaluator)');
    await follow(evaluator, `${code} — ${PROJECT}`);
    await evaluator.getByLabel('Réalisable', { exact: true }).check();
    await evaluator.getByLabel('Coût étudié (en euros)').fill('52000');
    await evaluator.getByLabel('Durée de réalisation (mois)').fill('8');
    await press(evaluator, 'Enregistrer l’avis');
    await expectNotice(evaluator, 'Avis enregistré');
    await expectNoAxeViolations(evaluator, 'project studied (evaluator)');

    // The agent puts it on the ballot.
    await agent.goto(`${url}/admin/budget/${CAMPAIGN}/projects`);
    await expectNoAxeViolations(agent, 'projects list');
    await agent.getByLabel(`Soumettre le projet ${code} au vote`).check();
    await press(agent, 'Soumettre au vote les projets cochés');
    await expectNotice(agent, 'soumis au vote');
    card = await dashboardCard(resident, url, reference!);
    expect(card).toContain(`Projet ${code} soumis au vote`);
    expect(card).toContain('Étape 5 sur 5');
    await subjects(4, [
      `Proposition ${reference} : Projet ${code} jugé réalisable`,
      `Proposition ${reference} : Projet ${code} soumis au vote`,
    ]);

    // 4. The vote opens. Léa votes online for her district's projects.
    await moveCampaignTo(kernel, 'vote');
    await resident.goto(`${url}/budget`);
    await expectNoAxeViolations(resident, 'budget front page, vote open');
    await follow(resident, 'Voter');
    await expectNoAxeViolations(resident, 'vote: district choice');
    await resident.getByLabel('Votre arrondissement de cœur').selectOption({ label: '11e arrondissement' });
    await press(resident, 'Choisir cet arrondissement');
    await expectNoAxeViolations(resident, 'vote: ballots');
    await follow(resident, '11e arrondissement');
    await expect(text(resident.getByRole('heading', { level: 1 }))).resolves.toBe('Votre bulletin : 11e arrondissement');
    await expectNoAxeViolations(resident, 'vote: district ballot');
    await resident.getByLabel(new RegExp(PROJECT)).check();
    await press(resident, 'Mettre à jour le total');
    await expect(text(resident.locator('#ballot-summary'))).resolves.toContain('Projets choisis : 1');
    await press(resident, 'Vérifier mon vote');
    await expectNoAxeViolations(resident, 'vote: review');
    await expect(text(resident.locator('main table'))).resolves.toContain(PROJECT);
    await press(resident, 'Confirmer mon vote');
    await expect(text(resident.locator('.confirmation-panel h1'))).resolves.toBe('Votre vote a été compté');
    const receipt = await text(resident.locator('.receipt-code'));
    expect(receipt).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
    await expectNoAxeViolations(resident, 'vote: receipt');

    // She checks the receipt on the public page, then sees on her dashboard that her vote counted.
    await resident.goto(`${url}/budget`);
    await follow(resident, 'Vérifier mon reçu de vote');
    await expectNoAxeViolations(resident, 'receipt check');
    await resident.getByLabel('Code de reçu').fill(receipt.toLowerCase());
    await press(resident, 'Vérifier');
    await expect(text(resident.locator('.confirmation-panel h2'))).resolves.toBe('Ce vote a été compté.');
    await expectNoAxeViolations(resident, 'receipt checked');
    card = await dashboardCard(resident, url, CAMPAIGN_TITLE);
    expect(card).toContain('Votre vote a été compté');

    // 5. At the town hall's ballot box, the agent enters a neighbour's paper ballot…
    await agent.goto(`${url}/admin/budget/${CAMPAIGN}/paper`);
    await expectNoAxeViolations(agent, 'paper ballots');
    await agent.getByLabel('Enveloppe').selectOption({ label: '11e arrondissement' });
    await press(agent, 'Ouvrir ce bulletin');
    await agent.getByLabel('Prénom').fill('Jeanne');
    await agent.getByLabel('Nom', { exact: true }).fill('Moreau');
    await agent.getByLabel('Date de naissance').fill('1956-03-14');
    await agent.getByLabel(new RegExp(PROJECT)).check();
    await agent.getByLabel(/Rénover le terrain multisport/).check();
    await press(agent, 'Enregistrer le bulletin');
    await expectNotice(agent, 'Bulletin enregistré');
    expect(await text(agent.locator('.notice-success .reference'))).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
    await expectNoAxeViolations(agent, 'paper ballot entered');

    // …and refuses a paper ballot for Léa, who voted online: nobody votes twice.
    await agent.getByLabel('Adresse e-mail du compte (facultatif)').fill(RESIDENT);
    await agent.getByLabel(/Rénover le terrain multisport/).check();
    await press(agent, 'Enregistrer le bulletin');
    await expect(text(agent.locator('.error-summary'))).resolves.toContain(
      'Un bulletin de cette personne est déjà compté pour cette enveloppe (en ligne ou sur papier).',
    );
    await expectNoAxeViolations(agent, 'paper ballot refused');
    const ballots = await kernel.db
      .selectFrom('pb_ballots')
      .innerJoin('pb_envelopes', 'pb_envelopes.id', 'pb_ballots.envelope_id')
      .select(['pb_ballots.channel', 'pb_ballots.status'])
      .where('pb_envelopes.code', '=', '75111')
      .orderBy('pb_ballots.channel')
      .execute();
    expect(ballots).toEqual([
      { channel: 'online', status: 'confirmed' },
      { channel: 'paper', status: 'confirmed' },
    ]);

    // 6. The vote closes; the administrator computes and publishes the results.
    await moveCampaignTo(kernel, 'results');
    const admin = await (await b.context({ ...DESKTOP, locale: 'fr-FR' })).newPage();
    await signIn(admin, url, '/admin/login', 'admin@ville.example');
    await admin.goto(`${url}/admin/budget/${CAMPAIGN}/results`);
    await expectNoAxeViolations(admin, 'results back office');
    await press(admin, 'Calculer les résultats');
    await expectNotice(admin, 'Résultats calculés.');
    await expectNoAxeViolations(admin, 'results computed');
    await press(admin, 'Publier les résultats');
    await expectNotice(admin, 'Résultats publiés.');

    // The public results: the garden is funded; the pitch, which no longer fits the envelope, is not.
    const visitor = await (await b.context({ ...PHONE, locale: 'fr-FR' })).newPage();
    await visitor.goto(`${url}/budget`);
    await follow(visitor, 'Voir les résultats');
    await expectNoAxeViolations(visitor, 'results');
    await follow(visitor, '11e arrondissement');
    await expectNoAxeViolations(visitor, 'results of the 11th');
    await expect(text(visitor.locator('main'))).resolves.toContain('Bulletins : 1 en ligne, 1 sur papier');
    const ranking = visitor.locator('table', { has: visitor.getByRole('columnheader', { name: 'Décision' }) });
    const row = (name: string) => text(ranking.getByRole('row', { name: new RegExp(name) }));
    await expect(row(PROJECT)).resolves.toMatch(/Lauréat$/);
    await expect(row('Rénover le terrain multisport')).resolves.toMatch(/Non retenu$/);

    // 7. Tracking: Léa follows her project's works; the agent records progress and a milestone.
    await resident.goto(`${url}/budget`);
    await follow(resident, 'Suivre la réalisation des projets');
    await expectNoAxeViolations(resident, 'realisations');
    await follow(resident, PROJECT);
    await press(resident, 'Suivre ce projet');
    await expect(text(resident.getByRole('status'))).resolves.toContain('Vous suivez ce projet');
    await expectNoAxeViolations(resident, 'realisation, followed');

    await agent.goto(`${url}/admin/budget/${CAMPAIGN}/realisations`);
    await expectNoAxeViolations(agent, 'tracking back office');
    await follow(agent, `${code} — ${PROJECT}`);
    await expectNoAxeViolations(agent, 'tracking a project');
    await agent.getByLabel('État', { exact: true }).selectOption({ label: 'Travaux' });
    await agent.getByLabel('Avancement (en %)').fill('40');
    await press(agent, 'Enregistrer');
    await expectNotice(agent, 'Le suivi est mis à jour');
    await agent.getByLabel('Date', { exact: true }).fill(new Date().toISOString().slice(0, 10));
    await agent.getByLabel('Titre (français)').fill('Installation des bacs de culture');
    await agent.getByLabel('Texte (français)').fill('Les premiers bacs sont posés square Maurice-Gardette.');
    await agent.getByLabel(/Photos/).setInputFiles({ name: 'bacs.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await press(agent, 'Ajouter l’étape');
    await expectNotice(agent, 'L’étape est publiée');
    await expectNoAxeViolations(agent, 'tracking, milestone added');

    // Léa hears of both: two mails and two messages on her dashboard, and the public page shows them.
    const news = `Budget participatif : du nouveau sur « ${PROJECT} »`;
    await subjects(6, [news, news]);
    const tracked = smtp.to(RESIDENT).slice(5);
    expect(
      tracked.every((m) => m.text.includes('Travaux, réalisé à 40 %')),
      'both mails say where the works stand',
    ).toBe(true);
    expect(
      tracked.some((m) => m.text.includes('Installation des bacs de culture')),
      'one mail tells the milestone',
    ).toBe(true);
    await resident.goto(`${url}/account/notifications`);
    const messages = await resident.locator('ul.notifications > li h2').allTextContents();
    expect(messages.slice(0, 2).map((m) => m.replace(/\s+/g, ' ').trim())).toEqual([`Nouveau : ${news}`, `Nouveau : ${news}`]);
    await expectNoAxeViolations(resident, 'notifications, tracking news');
    await resident.goto(`${url}/budget/${CAMPAIGN}/realisations/${code}`);
    await expect(text(resident.locator('main'))).resolves.toContain('Installation des bacs de culture');
    await expect(resident.getByRole('meter', { name: 'Réalisé à 40 %' }).count()).resolves.toBe(1);
  });
});
