import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src/kernel/db/transaction.js';
import type { AgentActor } from '../../../src/kernel/identity/agents/acting.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import type { VoterBallot } from '../../../src/modules/participatory-budget/ballots/validate.js';
import { enterPaperBallot, type PaperVoterId } from '../../../src/modules/participatory-budget/voting/paper-ballots.js';
import { type InvalidCounts, importPaperCounts } from '../../../src/modules/participatory-budget/voting/paper-counts.js';
import { checkReceipt } from '../../../src/modules/participatory-budget/voting/receipt-check.js';
import { agentActor, createTestAdmin } from '../../identity/agents-fixtures.js';
import type { TestApp } from '../../support/app.js';
import { refusal, startWithParticipatoryBudget } from './campaigns-support.js';
import { approve, CAMPAIGN, choose, confirm, resident, save, VOTE_DAY, voteTables, votingCampaign } from './voting-support.js';

let t: TestApp;
let kernel: Kernel;
let agent: AgentActor;
beforeAll(async () => {
  t = await startWithParticipatoryBudget();
  kernel = t.kernel;
  await votingCampaign(kernel, { rules: { '75118': { type: 'majority-judgement', grades: ['good', 'fair', 'reject'] } } });
  agent = await agentActor(kernel, await createTestAdmin(kernel));
});
afterAll(async () => t.close());

const paper = (voter: PaperVoterId, envelopeCode: string, ballot: VoterBallot) =>
  inTransaction(kernel.db, (trx) =>
    enterPaperBallot(trx, kernel, { actor: agent, campaignCode: CAMPAIGN, envelopeCode, voter, ballot, now: VOTE_DAY }),
  );

const IDENTITY = { given_name: 'Anaïs', family_name: 'Lefèvre-Dubois', birthdate: '1984-03-02' };

describe('paper ballots entered at a ballot box', () => {
  it('are counted with a receipt, and refused for a person who already voted online or on paper', async () => {
    // Someone who voted online, found by their account's e-mail or by names and birth date typed differently.
    const online = await resident(kernel, 'anais@example.org', IDENTITY);
    await choose(kernel, online, '75111');
    await save(kernel, online, 'city', approve('city-001'));
    await confirm(kernel, online, 'city');
    await refusal(paper({ email: 'ANAIS@example.org' }, 'city', approve('city-002')), 'participatory-budget.already-voted');
    await refusal(
      paper({ givenName: 'anais', familyName: 'LEFEVRE DUBOIS', birthdate: '1984-03-02' }, 'city', approve('city-002')),
      'participatory-budget.already-voted',
    );

    // Someone without an account: counted once, then refused.
    const someone = { givenName: 'Jean', familyName: 'Martin', birthdate: '1950-12-24' };
    const receipt = await paper(someone, '75111', approve('11-001', '11-003'));
    expect((await checkReceipt(kernel.db, kernel, receipt.code)).status).toBe('counted');
    await refusal(paper(someone, '75111', approve('11-002')), 'participatory-budget.already-voted');
    const ballots = await kernel.db.selectFrom('pb_ballots').selectAll().where('channel', '=', 'paper').execute();
    expect(ballots).toHaveLength(1);
    expect(ballots[0]).toMatchObject({ status: 'confirmed', channel: 'paper' });
    const history = await kernel.db.selectFrom('pb_ballot_history').selectAll().where('ballot_id', '=', ballots[0]!.id).execute();
    expect(history.map((h) => [h.action, h.actor_kind, h.actor_id])).toEqual([['paper', 'agent', agent.account.id]]);
    const audit = await kernel.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'participatory-budget.paper-ballot.enter')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('replace an online draft, and then the online confirmation is refused', async () => {
    const id = await resident(kernel, 'undecided@example.org', { given_name: 'Paul', family_name: 'Simon', birthdate: '1970-01-01' });
    await choose(kernel, id, '75111');
    await save(kernel, id, 'city', approve('city-004'));
    await paper({ email: 'undecided@example.org' }, 'city', approve('city-005'));
    await refusal(confirm(kernel, id, 'city'), 'participatory-budget.ballot-confirmed');
    const dashboard = await kernel.db.selectFrom('demands').select('status').where('account_id', '=', id).execute();
    expect(dashboard).toEqual([{ status: 'closed' }]);
  });

  it('a paper vote first, then the same person online: refused at confirmation', async () => {
    await paper({ givenName: 'Zoé', familyName: 'Bernard', birthdate: '2001-05-05' }, 'city', approve('city-003'));
    const id = await resident(kernel, 'zoe@example.org', { given_name: 'Zoe', family_name: 'Bernard', birthdate: '2001-05-05' });
    await choose(kernel, id, '75111');
    await save(kernel, id, 'city', approve('city-001'));
    await refusal(confirm(kernel, id, 'city'), 'participatory-budget.already-voted');
  });

  it('are checked like any ballot, and the voter identified', async () => {
    const before = await voteTables(kernel);
    await refusal(
      paper({ givenName: 'A', familyName: 'B', birthdate: '1990-01-01' }, 'city', approve()),
      'participatory-budget.invalid-ballot',
    );
    await refusal(paper({ email: 'nobody@example.org' }, 'city', approve('city-001')), 'participatory-budget.voter-unknown');
    const error = await refusal(
      paper({ givenName: ' ', familyName: 'B', birthdate: '01/01/1990' }, 'city', approve('city-001')),
      'participatory-budget.invalid-voter',
    );
    expect(error.fields.map((f) => f.field)).toEqual(['givenName', 'birthdate']);
    expect(await voteTables(kernel)).toEqual(before);
  });
});

describe('per-project counts imported from CSV', () => {
  const importCsv = (text: string) =>
    inTransaction(kernel.db, (trx) => importPaperCounts(trx, kernel, { actor: agent, campaignCode: CAMPAIGN, text, now: VOTE_DAY }));

  it('are stored per ballot box, and a ballot box imported again replaces its counts', async () => {
    const result = await importCsv(
      'ballot_box;project;count;grade\nmairie-11;11-001;120;\nmairie-11;11-002;80;\nmairie-18;18-001;30;good\nmairie-18;18-001;5;reject\n',
    );
    expect(result).toEqual({ rows: 4, ballotBoxes: ['mairie-11', 'mairie-18'] });
    await importCsv('ballot_box;project;count\nmairie-11;11-001;125\n');
    const counts = await kernel.db
      .selectFrom('pb_paper_counts')
      .select(['ballot_box', 'grade', 'count'])
      .orderBy('ballot_box')
      .orderBy('count')
      .execute();
    expect(counts).toEqual([
      { ballot_box: 'mairie-11', grade: '', count: 125 },
      { ballot_box: 'mairie-18', grade: 'reject', count: 5 },
      { ballot_box: 'mairie-18', grade: 'good', count: 30 },
    ]);
  });

  it('refuse the whole file with every problem and its line, changing nothing', async () => {
    const before = await voteTables(kernel);
    const error = (await refusal(
      importCsv(
        [
          'ballot_box;project;count;grade',
          'mairie-11;11-001;10;',
          'mairie-11;99-999;10;',
          'mairie-11;11-002;-3;',
          'mairie-11;11-001;4;',
          'mairie-11;11-003;beaucoup;',
          'mairie-18;18-001;3;',
          'mairie-18;18-002;3;superb',
          'mairie-11;11-004;3;good',
          'mairie-11;11-005',
        ].join('\n'),
      ),
      'participatory-budget.invalid-counts',
    )) as InvalidCounts;
    expect(error.problems).toEqual([
      { line: 3, code: 'unknown-project', value: '99-999' },
      { line: 4, code: 'negative-count', value: '-3' },
      { line: 5, code: 'duplicate', value: '11-001' },
      { line: 6, code: 'invalid-count', value: 'beaucoup' },
      { line: 7, code: 'grade-missing' },
      { line: 8, code: 'grade-unknown', value: 'superb' },
      { line: 9, code: 'grade-not-expected', value: 'good' },
      { line: 10, code: 'columns', value: '2' },
    ]);
    await refusal(importCsv('box;project;votes\nx;11-001;1\n'), 'participatory-budget.invalid-counts');
    expect(await voteTables(kernel)).toEqual(before);
  });
});
