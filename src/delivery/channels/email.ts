/**
 * The email channel: a notification over SMTP to each recipient's address, through
 * nodemailer — SMTP, MIME and header encoding are a well-kept library's job.
 *
 * One pooled transport per SMTP URL, kept for the process: a burst of handoffs reuses a few
 * connections instead of a TCP + TLS + AUTH handshake per mail. Changing `smtpUrl` in baton.yaml
 * opens a new pool and closes the old one.
 */
import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { PermanentDeliveryError } from '../outbox-worker.js';

type Transport = ReturnType<typeof createPooledTransport>;

function createPooledTransport(smtpUrl: string) {
  return createTransport({
    pool: true,
    url: smtpUrl,
    maxConnections: 3,
    // Every step of a send is bounded: a black-holed server must not hold a worker slot forever (ms).
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Close idle connections well before servers do (RFC 5321 §4.5.3.2: at least 5 minutes).
    idleTimeout: 60_000,
  });
}

const transports = new Map<string, Transport>();

function transportFor(smtpUrl: string): Transport {
  let transport = transports.get(smtpUrl);
  if (transport === undefined) {
    // One SMTP URL is configured at a time: a pool for a replaced URL is closed, not leaked.
    for (const [url, old] of transports) {
      old.close();
      transports.delete(url);
    }
    transport = createPooledTransport(smtpUrl);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/** Close every pooled SMTP connection (shutdown, tests). Sending again opens new ones. */
export function closeMailTransports(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}

/** For HTML: every customer-provided string goes through this. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}
const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * `Message-ID` from the delivery's idempotency key and the recipient: a redelivery (the worker
 * crashed after the send, before "done") carries the same id, so a receiver can drop it
 * (RFC 5322 §3.6.4: globally unique, which a hash of a unique key is).
 */
export function messageIdFor(idempotencyKey: string, recipientId: string, domain: string): string {
  const hash = createHash('sha256').update(`${idempotencyKey}\n${recipientId}`).digest('hex').slice(0, 40);
  return `<${hash}@${domain}>`;
}

export interface NotificationEmail {
  readonly to: string;
  readonly recipientName: string;
  readonly title: string;
  readonly body: string;
  readonly link: string;
  /** What the link's button says (default "Open conversation"; an invitation's "Set your password"). */
  readonly linkLabel?: string;
  /** Label → value lines under the body (contact, trigger, rule …); values are escaped. */
  readonly facts: readonly (readonly [string, string])[];
}

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Subject, plain text and HTML. The text part is the one readers without HTML see; both carry the link. */
export function renderNotificationEmail(mail: NotificationEmail): RenderedEmail {
  // A header is one line: customer text with a newline must not start a new header.
  const subject = mail.title.replace(/\s+/g, ' ').trim().slice(0, 200);
  const factLines = mail.facts.map(([label, value]) => `${label}: ${value}`);
  const label = mail.linkLabel ?? 'Open conversation';
  const text = [`Hi ${mail.recipientName},`, '', mail.title, mail.body, '', ...factLines, '', `${mail.linkLabel ?? 'Open the conversation'}: ${mail.link}`, ''].join('\n');
  const factRows = mail.facts
    .map(([label, value]) => `<tr><td style="padding:2px 12px 2px 0;color:#555">${escapeHtml(label)}</td><td style="padding:2px 0">${escapeHtml(value)}</td></tr>`)
    .join('');
  const html = [
    '<!doctype html>',
    '<html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;color:#111;line-height:1.45">',
    `<p>Hi ${escapeHtml(mail.recipientName)},</p>`,
    `<h2 style="font-size:18px;margin:16px 0 4px">${escapeHtml(mail.title)}</h2>`,
    `<p style="margin:0 0 12px">${escapeHtml(mail.body)}</p>`,
    factRows === '' ? '' : `<table style="border-collapse:collapse;margin:0 0 16px">${factRows}</table>`,
    `<p><a href="${escapeHtml(mail.link)}" style="display:inline-block;padding:8px 14px;background:#1f5eff;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(label)}</a></p>`,
    `<p style="color:#777;font-size:12px">Or paste this address into your browser: ${escapeHtml(mail.link)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export interface SendEmailInput {
  readonly smtpUrl: string;
  /** `Name <address>` text, or the parts (nodemailer quotes and encodes the name). */
  readonly from: string | { readonly name: string; readonly address: string };
  readonly to: string;
  readonly messageId: string;
  /** Threading of a reply (RFC 5322 §3.6.4). */
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  readonly rendered: RenderedEmail;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Send one mail. A 5xx SMTP answer (no such mailbox, authentication refused, message refused)
 * is permanent (RFC 5321 §4.2.1); 4xx answers and connection failures are retried.
 */
export async function sendEmail(input: SendEmailInput): Promise<void> {
  try {
    await transportFor(input.smtpUrl).sendMail({
      from: typeof input.from === 'string' ? input.from : { name: input.from.name, address: input.from.address },
      to: input.to,
      ...(input.inReplyTo === undefined ? {} : { inReplyTo: input.inReplyTo }),
      ...(input.references === undefined || input.references.length === 0 ? {} : { references: [...input.references] }),
      subject: input.rendered.subject,
      text: input.rendered.text,
      html: input.rendered.html,
      messageId: input.messageId,
      headers: { ...input.headers },
    });
  } catch (error) {
    const responseCode = (error as { responseCode?: unknown }).responseCode;
    const message = `SMTP to ${input.to}: ${error instanceof Error ? error.message : String(error)}`;
    if (typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600) {
      throw new PermanentDeliveryError(message, { cause: error });
    }
    throw new Error(message, { cause: error });
  }
}
