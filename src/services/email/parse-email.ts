/**
 * Raw MIME (RFC 5322 + MIME) → what services/email/receive-email.ts takes. mailparser does the
 * parsing — header decoding, charsets, multipart, text from HTML when there is no text part —
 * which is a well-kept library's job, not ours.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import type { InboundEmailJson } from '../../contract/email-api.js';
import { normalizeMessageId, parseMessageIds } from '../../core/email/threading.js';
import { BatonError } from '../../platform/errors.js';
import { keepableText } from '../../platform/text.js';
import type { InboundEmail } from './receive-email.js';

/** Longest HTML part converted to text (characters): a hostile 50 MB table must not pin the CPU. */
const MAX_HTML_TO_TEXT = 2_000_000;

function firstAddress(from: AddressObject | AddressObject[] | undefined): { address: string; name: string | null } | null {
  const list = from === undefined ? [] : Array.isArray(from) ? from : [from];
  for (const group of list) {
    for (const entry of group.value) {
      if (entry.address !== undefined && entry.address !== '') return { address: entry.address, name: entry.name === '' ? null : entry.name };
    }
  }
  return null;
}

/** RFC 3834 §2: `Auto-Submitted` other than `no`, and the older `Precedence: bulk|junk|list`. */
function isAutomated(autoSubmitted: unknown, precedence: unknown): boolean {
  const auto = typeof autoSubmitted === 'string' ? autoSubmitted.trim().toLowerCase() : '';
  const bulk = typeof precedence === 'string' ? precedence.trim().toLowerCase() : '';
  return (auto !== '' && auto !== 'no') || ['bulk', 'junk', 'list'].includes(bulk);
}

export async function parseMimeEmail(raw: Buffer | string): Promise<InboundEmail> {
  const mail = await simpleParser(raw, { maxHtmlLengthToParse: MAX_HTML_TO_TEXT, skipTextToHtml: true, skipImageLinks: true });
  const from = firstAddress(mail.from);
  if (from === null) throw new BatonError('invalid', 'the email has no From address', { details: [{ path: 'from', message: 'required' }] });
  // Relayed by another server: a NUL or a lone surrogate is mended, not refused (platform/text.ts).
  const keep = (text: string | undefined): string | undefined => (text === undefined ? undefined : keepableText(text));
  const keepAll = (ids: string | string[] | undefined): string | string[] | undefined => (Array.isArray(ids) ? ids.map(keepableText) : keep(ids));
  return {
    from: keepableText(from.address),
    fromName: from.name === null ? null : keepableText(from.name),
    subject: keep(mail.subject) ?? '',
    text: keep(mail.text) ?? '',
    messageId: normalizeMessageId(keep(mail.messageId)),
    inReplyTo: parseMessageIds(keepAll(mail.inReplyTo)),
    references: parseMessageIds(keepAll(mail.references)),
    automated: isAutomated(mail.headers.get('auto-submitted'), mail.headers.get('precedence')),
    attachments: mail.attachments.length,
  };
}

/** The hook's JSON form, already validated by its schema. */
export function jsonEmail(body: InboundEmailJson): InboundEmail {
  return {
    from: body.from,
    fromName: body.fromName ?? null,
    subject: body.subject,
    text: body.text,
    messageId: normalizeMessageId(body.messageId),
    inReplyTo: parseMessageIds(body.inReplyTo),
    references: parseMessageIds(body.references),
    automated: false,
    attachments: 0,
  };
}
