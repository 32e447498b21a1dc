import { inTransaction } from '../../kernel/db/transaction.js';
import { sendDemandMessage } from '../../kernel/demands/messaging.js';
import { findDemand } from '../../kernel/demands/queries.js';
import type { FormSubmission } from '../../kernel/forms/index.js';
import { actorByEmail } from '../../kernel/identity/seeding-actor.js';
import type { Kernel } from '../../kernel/kernel.js';
import { runAction } from '../../kernel/workflow/transition.js';
import { childrenTransport } from './catalogue/children-transport.js';
import { findApplication } from './store.js';
import { submitApplication } from './submit.js';

const child = (name: string, birth: string, contract: string) => ({ name, birth_date: birth, pass: 'imagine-r-junior', contract });

/**
 * The demo resident's applications, through the real domain functions: one refunded, one waiting
 * for corrections with a message from the town hall, one just sent — so the dashboard, the
 * notifications and the back office show a procedure at every stage.
 */
export async function seedProcedureDemo(kernel: Kernel): Promise<void> {
  const resident = await actorByEmail(kernel.db, 'camille.martin@example.org');
  const agent = await actorByEmail(kernel.db, 'agent.11@ville.example');
  if (resident?.kind !== 'citizen' || agent?.kind !== 'agent' || !kernel.districts.all[10]) return;
  const district = kernel.districts.all[10].code;
  const apply = async (children: ReturnType<typeof child>[]) => {
    const submission: FormSubmission = {
      data: {
        given_name: 'Camille',
        family_name: 'Martin',
        address: { text: '12 rue Oberkampf, 75011 Paris', point: null },
        district,
        shared_custody: false,
        children,
        amount: '24.00',
        iban: 'FR1420041010050500013M02606',
        proof_of_address: [],
      },
      fileIds: [],
      actor: resident,
      subject: null,
      formVersion: 1,
    };
    const id = await inTransaction(kernel.db, (trx) => submitApplication(trx, kernel, childrenTransport, submission));
    return (await findApplication(kernel.db, id))!;
  };

  const refunded = await apply([child('Léa Martin', '2017-03-14', '12345678')]);
  await runAction(kernel, agent, refunded.itemId, 'start-review');
  await runAction(kernel, agent, refunded.itemId, 'accept', { fields: { comment: 'Tout est en ordre.' } });
  await runAction(kernel, agent, refunded.itemId, 'refund');

  const corrections = await apply([child('Léa Martin', '2017-03-14', '12345678'), child('Noé Martin', '2020-11-02', '87654321')]);
  await runAction(kernel, agent, corrections.itemId, 'start-review');
  await runAction(kernel, agent, corrections.itemId, 'ask-corrections', {
    fields: { reason: 'outdated', comment: 'Le justificatif de domicile a plus de trois mois : merci d’en joindre un plus récent.' },
  });
  const demand = await findDemand(kernel.db, corrections.demandId);
  if (demand) {
    await sendDemandMessage(kernel, demand, {
      authorId: resident.account.id,
      authorKind: 'citizen',
      body: 'Bonjour, je n’ai que la facture d’électricité de juin : est-ce suffisant ?',
    });
    await sendDemandMessage(kernel, demand, {
      authorId: agent.account.id,
      authorKind: 'agent',
      body: 'Bonjour, il faut un justificatif de moins de trois mois : une facture de téléphone ou d’internet convient aussi.',
    });
  }

  await apply([child('Léa Martin', '2017-03-14', '12345678')]);
}
