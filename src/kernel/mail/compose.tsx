import { renderToString } from 'preact-render-to-string';
import type { Lang } from '../i18n/types.js';
import type { MailMessage } from './mailer.js';

export interface MailContent {
  to: string;
  lang: Lang;
  subject: string;
  /** Paragraphs of plain text, in the recipient's language. */
  paragraphs: string[];
  /** The one thing to do, as a link; shown in full in the text part (no hidden targets). */
  action?: { label: string; url: string };
  /** Paragraphs after the action (expiry, "ignore this mail if…"). */
  after?: string[];
  signature: string;
}

function MailBody({ content }: { content: MailContent }) {
  return (
    <body>
      {content.paragraphs.map((p) => (
        <p key={p}>{p}</p>
      ))}
      {content.action ? (
        <p>
          <a href={content.action.url}>{content.action.label}</a>
          <br />
          {content.action.url}
        </p>
      ) : null}
      {(content.after ?? []).map((p) => (
        <p key={p}>{p}</p>
      ))}
      <p>{content.signature}</p>
    </body>
  );
}

/** The text and HTML parts of a mail from the same content; Preact escapes the HTML part. */
export function composeMail(content: MailContent): MailMessage {
  const text = [
    ...content.paragraphs,
    ...(content.action ? [`${content.action.label}\n${content.action.url}`] : []),
    ...(content.after ?? []),
    content.signature,
  ].join('\n\n');
  const html = `<!doctype html><html lang="${content.lang}">${renderToString(<MailBody content={content} />)}</html>`;
  return { to: content.to, subject: content.subject, text, html };
}
