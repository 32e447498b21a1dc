import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { outboxMailer } from './outbox.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Sends one mail; throwing makes the 'kernel:send-mail' job retry it with backoff. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * SMTP through nodemailer when `smtp.host` is set; otherwise the local outbox folder
 * (`<dataDir>/outbox`), so a developer without a mail server still reads every mail.
 */
export function createMailer(config: Pick<Config, 'smtp' | 'dataDir'>, log: Logger): Mailer {
  const { smtp } = config;
  if (!smtp.host) return outboxMailer(join(config.dataDir, 'outbox'), smtp.from, log);
  // nodemailer is loaded with the first mail: a process that sends none does not pay for it at start.
  let transport: Promise<Transporter> | undefined;
  const transporter = () => {
    transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
      }),
    );
    return transport;
  };
  return {
    async send(message) {
      const info = await (await transporter()).sendMail({ from: smtp.from, ...message });
      log.info({ messageId: info.messageId, subject: message.subject }, 'mail sent');
    },
  };
}
