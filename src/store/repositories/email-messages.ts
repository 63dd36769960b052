/**
 * E-mail Message-IDs of conversations (migration 2026-11-27-email-channel): what threads a
 * customer's reply into its conversation, and what makes a redelivered email a no-op.
 */
import type { Executor } from '../database.js';
import { withTransaction } from '../database.js';
import type { EmailMessageRow } from '../schema.js';
import { rowToMessage, type MessageRecord } from './messages.js';

export type EmailDirection = 'inbound' | 'outbound';

export interface EmailMessageRecord {
  readonly messageId: string;
  readonly conversationId: string;
  readonly messageRowId: string;
  readonly direction: EmailDirection;
  readonly createdAt: number;
}

function rowToEmailMessage(row: EmailMessageRow): EmailMessageRecord {
  return {
    messageId: row.message_id,
    conversationId: row.conversation_id,
    messageRowId: row.message_row_id,
    direction: row.direction as EmailDirection,
    createdAt: row.created_at,
  };
}

export async function getEmailMessage(ex: Executor, messageId: string): Promise<EmailMessageRecord | null> {
  const row = await ex.selectFrom('email_messages').selectAll().where('message_id', '=', messageId).executeTakeFirst();
  return row === undefined ? null : rowToEmailMessage(row);
}

/**
 * The known message among `ids` that comes first in `ids` (callers pass In-Reply-To first, then
 * References newest first), or null when none is known.
 */
export async function findFirstKnownEmail(ex: Executor, ids: readonly string[]): Promise<EmailMessageRecord | null> {
  if (ids.length === 0) return null;
  const rows = await ex.selectFrom('email_messages').selectAll().where('message_id', 'in', [...ids]).execute();
  const byId = new Map(rows.map((row) => [row.message_id, row]));
  for (const id of ids) {
    const row = byId.get(id);
    if (row !== undefined) return rowToEmailMessage(row);
  }
  return null;
}

/**
 * Record a Message-ID; false when it is already recorded. On PostgreSQL a concurrent insert of
 * the same id waits for the other transaction and then does nothing, so of two deliveries of one
 * email exactly one records it (the other rolls back).
 */
export async function recordEmailMessage(
  ex: Executor,
  input: { readonly messageId: string; readonly conversationId: string; readonly messageRowId: string; readonly direction: EmailDirection; readonly now: number },
): Promise<boolean> {
  const row = await ex
    .insertInto('email_messages')
    .values({
      message_id: input.messageId,
      conversation_id: input.conversationId,
      message_row_id: input.messageRowId,
      direction: input.direction,
      created_at: input.now,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .returning('message_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function getMessageBySeq(ex: Executor, conversationId: string, seq: number): Promise<MessageRecord | null> {
  const row = await ex.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('seq', '=', seq).executeTakeFirst();
  return row === undefined ? null : rowToMessage(row);
}

/** The customer's latest email before message `beforeSeq`: the parent a reply answers. */
export async function findLatestInboundEmail(ex: Executor, conversationId: string, beforeSeq: number): Promise<MessageRecord | null> {
  const row = await ex
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('author', '=', 'contact')
    .where('external_id', 'is not', null)
    .where('seq', '<', beforeSeq)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : rowToMessage(row);
}

/**
 * The Message-ID of an outgoing message, given once: the first attempt stores `candidate` on the
 * message (and records it for threading) and every later attempt — a retry, a redelivery after a
 * crash — reads the stored one, so the customer's client sees one message and its reply threads.
 */
export async function assignOutgoingMessageId(
  ex: Executor,
  input: { readonly message: MessageRecord; readonly candidate: string; readonly now: number },
): Promise<string> {
  return withTransaction(ex, async (trx) => {
    await trx
      .updateTable('messages')
      .set({ external_id: input.candidate })
      .where('id', '=', input.message.id)
      .where('external_id', 'is', null)
      .execute();
    const stored = await trx.selectFrom('messages').select('external_id').where('id', '=', input.message.id).executeTakeFirst();
    const messageId = stored?.external_id ?? input.candidate;
    await recordEmailMessage(trx, { messageId, conversationId: input.message.conversationId, messageRowId: input.message.id, direction: 'outbound', now: input.now });
    return messageId;
  });
}
