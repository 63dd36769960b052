/**
 * A customer's email arrives — over SMTP (inbound/smtp-listener.ts) or the inbound
 * HTTP hook (`POST /api/channels/{id}/inbound`); both call this. One transaction:
 *
 * 1. A Message-ID already stored is a redelivery (an MX retrying after a lost "250 OK", a relay
 *    sending twice): nothing changes and the stored message is named.
 * 2. In-Reply-To, then References newest first, are looked up among the Message-IDs Baton received
 *    or sent: a reply lands in THAT conversation through the customer path (customerTurn), so it
 *    reopens a resolved conversation, resumes one waiting on the customer, reaches the AI agent
 *    while it is with the bot — exactly like a chat message. A closed conversation is final: the
 *    reply starts a new one. A reply from another address (the customer's second mailbox, a
 *    colleague in the thread) is still the conversation contact's turn; its From is kept on the
 *    message (`data.email.from`).
 * 3. Otherwise a new conversation on the channel, with the email's subject, for the contact with
 *    the sender's address (created, named after the From display name, when there is none).
 *
 * Quoted history is trimmed from the body (core/email/quoted-reply.ts); the headers that thread
 * the outgoing reply are kept on the message (`data.email`, Message-ID as `externalId`).
 */
import type { ChannelConfig, WorkspaceConfig } from '../../contract/config.js';
import { trimQuotedReply } from '../../core/email/quoted-reply.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { createContact, findContactByEmail, updateContact } from '../../store/repositories/contacts.js';
import { getConversation, getConversationForUpdate, type ConversationRecord } from '../../store/repositories/conversations.js';
import { findFirstKnownEmail, getEmailMessage, recordEmailMessage } from '../../store/repositories/email-messages.js';
import type { ServiceContext } from '../context.js';
import { customerTurn, type TurnOutcome } from '../conversations/receive-customer-message.js';
import { startConversationIn } from '../conversations/start-conversation.js';

/** An email as the channel adapters hand it over (parsed MIME, or the hook's JSON). */
export interface InboundEmail {
  readonly from: string;
  readonly fromName: string | null;
  readonly subject: string;
  readonly text: string;
  /** `<id@host>`; null when the mail has none (then it cannot be de-duplicated). */
  readonly messageId: string | null;
  readonly inReplyTo: readonly string[];
  readonly references: readonly string[];
  /** Sent by a machine (RFC 3834 `Auto-Submitted`, `Precedence: bulk`): never auto-answered. */
  readonly automated: boolean;
  readonly attachments: number;
}

export interface ReceiveEmailResult {
  readonly outcome: 'created' | 'appended' | 'duplicate';
  readonly conversation: ConversationRecord;
  /** messages.id of the customer's message. */
  readonly messageId: string;
}

/** The email channel whose address is `address` (case-insensitive, RFC 5321 §2.4 in practice). */
export function findEmailChannel(config: WorkspaceConfig, address: string): ChannelConfig | undefined {
  const wanted = address.trim().toLowerCase();
  return config.channels.find((channel) => channel.type === 'email' && channel.address !== undefined && channel.address.trim().toLowerCase() === wanted);
}

/** The channel `id`, which must be an email channel: 404 when unknown, 422 when of another type. */
export function requireEmailChannel(config: WorkspaceConfig, id: string): ChannelConfig {
  const channel = config.channels.find((c) => c.id === id);
  if (channel === undefined) throw notFound('channel', id);
  if (channel.type !== 'email') {
    throw new BatonError('invalid', `channel "${channel.id}" is a ${channel.type} channel, not email`, { details: [{ path: 'id', message: 'must be an email channel' }] });
  }
  return channel;
}

/** Thrown inside the transaction when a concurrent delivery stored the same Message-ID first. */
class AlreadyStored extends Error {}

export async function receiveEmail(ctx: ServiceContext, input: { readonly channelId: string; readonly email: InboundEmail }): Promise<ReceiveEmailResult> {
  const { email } = input;
  let result: ReceiveEmailResult;
  try {
    result = await withTransaction(ctx.database, async (trx) => {
      const loaded = await ctx.workspace.current(trx);
      const channel = requireEmailChannel(loaded.config, input.channelId);
      // Mail from one of our own addresses is a loop (a bounce of our reply, a forward rule).
      if (findEmailChannel(loaded.config, email.from) !== undefined) {
        throw new BatonError('invalid', `mail from a Baton channel address (${email.from}) is refused to avoid a loop`, { details: [{ path: 'from', message: 'is a channel address' }] });
      }
      if (email.messageId !== null) {
        const seen = await getEmailMessage(trx, email.messageId);
        if (seen !== null) return duplicateOf(trx, seen.conversationId, seen.messageRowId);
      }

      const now = ctx.clock.now();
      const trimmed = trimQuotedReply(email.text);
      const body = trimmed !== '' ? trimmed : email.attachments > 0 ? `(${email.attachments} attachment${email.attachments === 1 ? '' : 's'}, no text)` : '(no text)';
      const data = {
        email: {
          messageId: email.messageId,
          from: email.from,
          subject: email.subject,
          inReplyTo: email.inReplyTo,
          references: email.references,
          automated: email.automated,
          attachments: email.attachments,
        },
      };

      const known = await findFirstKnownEmail(trx, [...email.inReplyTo, ...[...email.references].reverse()]);
      const thread = known === null ? null : await getConversationForUpdate(trx, known.conversationId);
      let turn: TurnOutcome;
      let outcome: 'created' | 'appended';
      // A reply to a closed conversation's mail starts a new conversation that names it (customerTurn).
      if (thread !== null) {
        turn = await customerTurn(trx, ctx, loaded, thread, body, email.messageId, data);
        outcome = turn.conversation.id === thread.id ? 'appended' : 'created';
      } else {
        let contact = await findContactByEmail(trx, email.from);
        if (contact === null) {
          contact = await createContact(trx, { name: email.fromName, email: email.from, now });
        } else if (contact.name === null && email.fromName !== null) {
          contact = (await updateContact(trx, contact.id, { name: email.fromName }, now)) ?? contact;
        }
        turn = await startConversationIn(trx, ctx, loaded, {
          channelId: channel.id,
          contact: { id: contact.id },
          message: body,
          actor: `contact:${contact.id}`,
          subject: email.subject.replace(/\s+/g, ' ').trim().slice(0, 500) || null,
          externalId: email.messageId,
          messageData: data,
        });
        outcome = 'created';
      }
      const stored = turn.messages[0];
      if (stored === undefined) throw new Error('the customer turn stored no message');
      if (email.messageId !== null) {
        const recorded = await recordEmailMessage(trx, { messageId: email.messageId, conversationId: turn.conversation.id, messageRowId: stored.id, direction: 'inbound', now });
        if (!recorded) throw new AlreadyStored();
      }
      return { outcome, conversation: turn.conversation, messageId: stored.id };
    });
  } catch (error) {
    if (!(error instanceof AlreadyStored) || email.messageId === null) throw error;
    const seen = await getEmailMessage(ctx.database.db, email.messageId);
    if (seen === null) throw new Error(`email ${email.messageId} was stored by another delivery and then vanished`, { cause: error });
    return duplicateOf(ctx.database.db, seen.conversationId, seen.messageRowId);
  }
  if (result.outcome !== 'duplicate') ctx.afterCommit({ kind: 'outbox' });
  return result;
}

async function duplicateOf(ex: Parameters<typeof getConversation>[0], conversationId: string, messageRowId: string): Promise<ReceiveEmailResult> {
  const conversation = await getConversation(ex, conversationId);
  if (conversation === null) throw new Error(`email thread names a missing conversation ${conversationId}`);
  return { outcome: 'duplicate', conversation, messageId: messageRowId };
}
