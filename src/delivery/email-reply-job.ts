/**
 * `deliver.email_reply`: one message of an email conversation, sent to the customer over SMTP
 *. appendMessage enqueues it in the message's own transaction for every public
 * message the customer should read — an agent's reply, the AI agent's answer, the handoff's
 * message, a check-in — and never for internal notes (store/repositories/messages.ts).
 *
 * - Transport: the workspace's `notifications.email.smtpUrl`, the one SMTP relay Baton already
 *   has (and its pooled connections). A per-channel `smtpUrl` would let two brands use two relays,
 *   but would change the workspace document's contract for a need nobody has shown yet; a relay
 *   that accepts mail for several From domains covers several channels.
 * - From: the channel's address, named "<agent> (<workspace>)" for a person's reply and
 *   "<workspace>" for automated ones; Subject `Re: <the conversation's subject>`.
 * - Threading (RFC 5322 §3.6.4): the parent is the customer's latest email before this message;
 *   In-Reply-To is its Message-ID, References its References followed by its Message-ID. The
 *   Message-ID of this message is made once and stored on it before the first send, so a retry
 *   or a redelivery after a crash carries the same id (the customer's client shows one message),
 *   and the customer's answer, naming it, threads back into this conversation.
 * - Loops (RFC 3834): automated messages carry `Auto-Submitted: auto-replied`, and are not sent at
 *   all when the customer's email was itself automated (an out-of-office, a mailing list).
 */
import { z } from 'zod';
import { buildReferences, outgoingMessageId, parseMessageIds, replySubject } from '../core/email/threading.js';
import type { ServiceContext } from '../services/context.js';
import { getContact } from '../store/repositories/contacts.js';
import { getConversation } from '../store/repositories/conversations.js';
import { assignOutgoingMessageId, findLatestInboundEmail, getMessageBySeq } from '../store/repositories/email-messages.js';
import { EMAIL_REPLY_JOB, type MessageRecord } from '../store/repositories/messages.js';
import type { RetryPolicy } from '../store/repositories/outbox.js';
import { escapeHtml, sendEmail } from './channels/email.js';
import { PermanentDeliveryError, type ExternalJob } from './outbox-worker.js';

export const EmailReplyPayload = z.object({ conversationId: z.string().min(1), seq: z.number().int().min(1) });
export type EmailReplyPayload = z.infer<typeof EmailReplyPayload>;

/**
 * 12 attempts, 5 s doubling capped at 1 h (about 3 hours of trying): a customer's answer is worth
 * sending late rather than never while the relay restarts; after that it is in the failed
 * deliveries list for a person to retry.
 */
export const EMAIL_REPLY_RETRY: RetryPolicy = { attempts: 12, backoffMs: 5_000, maxBackoffMs: 3_600_000, jitter: 0.5 };

/** What receive-email.ts keeps of an inbound email (`data.email`). */
const StoredEmail = z.object({
  references: z.array(z.string()).default([]),
  automated: z.boolean().default(false),
});

/** A machine wrote it: the AI agent, or a system message Baton composed (handoff, check-in). */
function isAutomated(message: MessageRecord): boolean {
  return message.author === 'assistant' || (message.author === 'system' && typeof message.data.kind === 'string');
}

export function emailReplyJob(ctx: ServiceContext): ExternalJob<typeof EmailReplyPayload> {
  return {
    kind: EMAIL_REPLY_JOB,
    mode: 'external',
    payload: EmailReplyPayload,
    retry: EMAIL_REPLY_RETRY,
    async send(payload, item, now) {
      const { db } = ctx.database;
      const message = await getMessageBySeq(db, payload.conversationId, payload.seq);
      if (message === null || message.private) return;
      const conversation = await getConversation(db, payload.conversationId);
      if (conversation === null) return;
      const contact = await getContact(db, conversation.contactId);
      const { config } = await ctx.workspace.current();
      const channel = config.channels.find((c) => c.id === conversation.channelId);
      if (channel === undefined || channel.type !== 'email' || channel.address === undefined || channel.address === '') {
        throw new PermanentDeliveryError(`channel "${conversation.channelId}" is not an email channel with an address`);
      }
      if (contact?.email === null || contact?.email === undefined) throw new PermanentDeliveryError('the contact has no email address');
      const smtpUrl = config.notifications.email?.smtpUrl;
      if (smtpUrl === undefined || smtpUrl === '') throw new PermanentDeliveryError('email is not configured: set notifications.email.smtpUrl');

      const parent = await findLatestInboundEmail(db, conversation.id, message.seq);
      const parentEmail = parent === null ? null : StoredEmail.safeParse(parent.data.email);
      const parentId = parent === null ? null : (parseMessageIds(parent.externalId)[0] ?? null);
      const automated = isAutomated(message);
      if (automated && parentEmail?.success === true && parentEmail.data.automated) {
        ctx.logger.info({ conversationId: conversation.id, seq: message.seq, delivery: item.id }, 'automated reply to an automated email not sent (RFC 3834)');
        return;
      }

      const messageId = message.externalId ?? (await assignOutgoingMessageId(db, { message, candidate: outgoingMessageId(message.id, channel.address), now }));
      const references = parentId === null ? [] : buildReferences({ messageId: parentId, references: parentEmail?.success === true ? parentEmail.data.references : [] });
      const organisation = config.workspace.name;
      const author = message.author === 'user' && message.authorId !== null ? config.users.find((u) => u.id === message.authorId) : undefined;
      const subject = replySubject(conversation.subject, `Your message to ${organisation}`);
      await sendEmail({
        smtpUrl,
        from: { name: author === undefined ? organisation : `${author.name} (${organisation})`, address: channel.address },
        to: contact.email,
        messageId,
        ...(parentId === null ? {} : { inReplyTo: parentId }),
        references,
        rendered: {
          subject,
          text: `${message.body}\n`,
          // Agents' and customers' words are text: escaped, line breaks kept.
          html: `<!doctype html>\n<html><body><div style="white-space:pre-wrap;font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;line-height:1.45">${escapeHtml(message.body)}</div></body></html>`,
        },
        headers: { 'X-Baton-Conversation': conversation.id, ...(automated ? { 'Auto-Submitted': 'auto-replied' } : {}) },
      });
    },
  };
}
