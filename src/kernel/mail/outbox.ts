import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Mailer } from './mailer.js';

/**
 * Writes each mail as an .eml file (any mail client opens it). The file is written under a
 * temporary name then renamed, so a reader never sees half a mail.
 */
export function outboxMailer(dir: string, from: string, log: Logger): Mailer {
  // nodemailer is loaded with the first mail: a process that sends none does not pay for it at start.
  let composer: Promise<Transporter> | undefined;
  return {
    async send(message) {
      composer ??= import('nodemailer').then(({ default: nodemailer }) =>
        nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
      );
      const info = await (await composer).sendMail({ from, ...message });
      await mkdir(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      const file = join(dir, name);
      await writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
      log.info({ file, to: message.to, subject: message.subject }, 'mail written to the outbox (no SMTP configured)');
    },
  };
}
