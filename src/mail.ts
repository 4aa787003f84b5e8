import nodemailer from 'nodemailer';
import type { Database } from './db/database.ts';

export interface Message {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: Message): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every message is written to the outbox table first (so nothing is lost and admins can see what was sent);
 * with SMTP configured it is then delivered and marked sent, otherwise it stays in the outbox for development.
 */
export function createMailer(opts: {
  db: Database;
  logger: { warn(o: object, m: string): void };
  smtpUrl?: string;
  from: string;
}): Mailer {
  const transport = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : undefined;
  return {
    async send(message) {
      const row = await opts.db
        .insertInto('mail_outbox')
        .values({ to_address: message.to, subject: message.subject, body_text: message.text })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (!transport) return;
      try {
        await transport.sendMail({ from: opts.from, to: message.to, subject: message.subject, text: message.text });
        await opts.db.updateTable('mail_outbox').set({ sent_at: new Date() }).where('id', '=', row.id).execute();
      } catch (err) {
        opts.logger.warn({ err: (err as Error).message, outboxId: row.id }, 'mail delivery failed');
        await opts.db
          .updateTable('mail_outbox')
          .set({ error: (err as Error).message })
          .where('id', '=', row.id)
          .execute();
      }
    },
    async close() {
      transport?.close();
    },
  };
}
