import { type ReceivedMail, startSmtp } from '../support/smtp.js';

export type GateMode = 'accept' | 'refuse-permanently' | 'refuse-temporarily';

/** A real SMTP server on loopback whose answer to each recipient the test chooses: 250, 550 or 451. */
export async function startSmtpGate() {
  const state = { mode: 'accept' as GateMode, mails: [] as ReceivedMail[] };
  const smtp = await startSmtp({
    onRcptTo(address, _session, callback) {
      if (state.mode === 'accept') return callback();
      const permanent = state.mode === 'refuse-permanently';
      const err = Object.assign(new Error(permanent ? `No such user ${address.address}` : 'Mailbox busy, try again later'), {
        responseCode: permanent ? 550 : 451,
      });
      return callback(err);
    },
  });
  state.mails = smtp.mails;
  return { state, config: smtp.config, close: smtp.close };
}
