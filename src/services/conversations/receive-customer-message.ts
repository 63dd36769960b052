/**
 * The customer writes (widget, in-app API, email through receive-email.ts). In one transaction: store the message,
 * reopen a resolved conversation (or, on a closed one, start a new conversation that names it), and — while the
 * conversation is with the AI agent — decide the turn (`decideTurn`, the simulator's code):
 * the AI answers, or the conversation is handed off through `decideAndRecordHandoff`.
 */
import type { HandoffTrace } from '../../contract/trace.js';
import { decideTurn } from '../../core/decide-turn.js';
import type { TranscriptLine } from '../../core/assistant/assistant.js';
import type { Executor } from '../../store/database.js';
import { withTransaction } from '../../store/database.js';
import { setWaiting } from '../../store/repositories/assignments.js';
import { reopenToAvailableOwner } from './change-conversation-status.js';
import type { ContactRecord } from '../../store/repositories/contacts.js';
import { getContact } from '../../store/repositories/contacts.js';
import { getConversationForUpdate, updateConversation, type ConversationRecord } from '../../store/repositories/conversations.js';
import { appendMessage, listRecentMessages, type MessageRecord } from '../../store/repositories/messages.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { appendEvent } from '../../store/repositories/events.js';
import { startConversationIn } from './start-conversation.js';
import { decideAndRecordHandoff } from '../handoff/decide-and-record-handoff.js';
import { deferToAssistant } from '../bots/defer-to-assistant.js';
import type { ServiceContext } from '../context.js';
import { contactFacts, conversationFacts, loadAgents } from '../handoff/decision-state.js';
import type { LoadedWorkspace } from '../workspace/workspace-cache.js';

export interface TurnOutcome {
  readonly conversation: ConversationRecord;
  readonly contact: ContactRecord;
  /** Messages written by this request, in order (the customer's, then replies). */
  readonly messages: readonly MessageRecord[];
  readonly handoff: HandoffTrace | null;
  /** The workspace the turn was decided with, for presenting it (no second read after commit). */
  readonly workspace?: LoadedWorkspace;
}

export interface ReceiveCustomerMessageInput {
  readonly conversationId: string;
  readonly body: string;
  /** A customer token reaches only its own conversations. */
  readonly contactId?: string;
  readonly externalId?: string | null;
}

/** How many earlier messages the assistant sees (language detection, repetition). */
const HISTORY = 20;

export async function receiveCustomerMessage(ctx: ServiceContext, input: ReceiveCustomerMessageInput): Promise<TurnOutcome> {
  const outcome = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    const conversation = await getConversationForUpdate(trx, input.conversationId);
    if (conversation === null || (input.contactId !== undefined && conversation.contactId !== input.contactId)) {
      throw notFound('conversation', input.conversationId);
    }
    return { ...(await customerTurn(trx, ctx, loaded, conversation, input.body, input.externalId ?? null)), workspace: loaded };
  });
  ctx.afterCommit({ kind: 'outbox' });
  return outcome;
}

/** The customer's message and what follows from it, inside the caller's transaction (row locked). */
export async function customerTurn(
  trx: Executor,
  ctx: ServiceContext,
  loaded: LoadedWorkspace,
  locked: ConversationRecord,
  body: string,
  externalId: string | null,
  /** Channel details kept with the customer's message (an email's headers). */
  data?: Readonly<Record<string, unknown>>,
  /** What the caller read or wrote in this transaction already: the contact; a conversation it just created (no messages yet). */
  known: { readonly contact?: ContactRecord; readonly created?: boolean } = {},
): Promise<TurnOutcome> {
  if (locked.status === 'closed') return continueClosed(trx, ctx, loaded, locked, body, externalId, data);
  const channel = loaded.model.channels.get(locked.channelId);
  if (channel !== undefined && channel.type !== 'email' && body.length > channel.maxMessageLength) {
    // Refused before anything is written; the caller's transaction (a new conversation) rolls back.
    throw new BatonError('too_large', `the message is longer than this channel takes (${channel.maxMessageLength} characters)`, {
      details: [{ path: 'body', message: `at most ${channel.maxMessageLength} characters` }],
    });
  }
  const now = ctx.clock.now();
  const contact = known.contact?.id === locked.contactId ? known.contact : await getContact(trx, locked.contactId);
  if (contact === null) throw new Error(`conversation ${locked.id} has no contact`);
  const actor = `contact:${contact.id}`;
  const history = known.created === true ? [] : await listRecentMessages(trx, locked.id, { limit: HISTORY });
  const customerMessage = await appendMessage(trx, { conversationId: locked.id, author: 'contact', authorId: contact.id, body, externalId, ...(data === undefined ? {} : { data }), now });
  if (customerMessage === null) throw notFound('conversation', locked.id);
  const messages: MessageRecord[] = [customerMessage];

  let conversation = locked;
  if (conversation.status === 'resolved') {
    const reopened = await reopenToAvailableOwner(trx, ctx, { conversationId: conversation.id, reason: 'customer_reply', actor, now });
    if (reopened.outcome === 'changed') conversation = reopened.conversation;
  } else if (conversation.status === 'waiting_on_customer') {
    const resumed = await setWaiting(trx, { conversationId: conversation.id, waiting: false, reason: 'customer_reply', actor, now });
    if (resumed.outcome === 'changed') conversation = resumed.conversation;
  }
  if (conversation.status !== 'bot') {
    return { conversation, contact, messages, handoff: null };
  }

  const agents = await loadAgents(trx, loaded);
  const decision = decideTurn({
    now,
    workspace: loaded.model,
    ruleset: loaded.ruleset,
    assistant: loaded.assistant,
    conversation: conversationFacts(conversation, contact),
    contact: contactFacts(contact),
    agents,
    // Only the expected wait depends on statistics; decideAndRecordHandoff decides again with live ones.
    queueStats: () => ({ waiting: 0, recentFirstResponseSeconds: null }),
    text: body,
    history: history.map((m): TranscriptLine => ({ author: m.author, body: m.body })),
    turnsWithoutProgress: conversation.turnsWithoutProgress,
  });

  switch (decision.kind) {
    case 'human':
      return { conversation, contact, messages, handoff: null };
    case 'reply': {
      const reply = await appendMessage(trx, {
        conversationId: conversation.id,
        author: 'assistant',
        body: decision.reply,
        data: decision.turn.answer === null ? {} : { article: decision.turn.answer.articleId, confidence: decision.turn.answer.confidence },
        now,
      });
      if (reply !== null) messages.push(reply);
      const updated = await updateConversation(
        trx,
        conversation.id,
        {
          language: conversation.language ?? decision.turn.language,
          intent: decision.turn.intent ?? conversation.intent,
          turnsWithoutProgress: decision.turn.turnsWithoutProgress,
          lastArticleId: decision.turn.answer?.articleId ?? conversation.lastArticleId,
        },
        now,
      );
      return { conversation: updated ?? conversation, contact, messages, handoff: null };
    }
    case 'defer': {
      // The external assistant answers after commit; what the detectors saw sticks now.
      await deferToAssistant(trx, { to: decision.to, conversationId: conversation.id, messageSeq: customerMessage.seq, now });
      const updated = await updateConversation(
        trx,
        conversation.id,
        { language: conversation.language ?? decision.turn.language, intent: decision.turn.intent ?? conversation.intent },
        now,
      );
      return { conversation: updated ?? conversation, contact, messages, handoff: null };
    }
    case 'handoff': {
      const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
        conversationId: conversation.id,
        trigger: decision.trace.trigger,
        // The turn chose this trigger because an explicit rule matched it, or because it is hard.
        soft: decision.trace.rule !== 'fallback',
        note: decision.reason,
        messageText: body,
        actor: decision.turn === null ? 'system' : 'assistant',
        language: decision.turn?.language ?? null,
        intent: decision.turn?.intent ?? null,
        agents,
        contact,
        // Still the record read under the lock: only the customer's message was written since.
        locked: conversation,
        // Fewer than HISTORY public messages before this one: that is all of them.
        ...(history.length < HISTORY ? { transcript: [...history, customerMessage] } : {}),
      });
      if (handed.outcome !== 'handed_off') throw new Error(`the turn's handoff could not be applied: ${handed.outcome}`);
      return { conversation: handed.conversation, contact: handed.contact, messages: [...messages, ...handed.messages], handoff: handed.trace };
    }
  }
}

/**
 * A message to a closed conversation starts a new one on the same channel for the same contact,
 * naming the closed one (`previousConversationId`); the closed one records where the customer
 * went (`conversation.continued`). A resolved conversation, by contrast, is reopened by a reply.
 */
async function continueClosed(
  trx: Executor,
  ctx: ServiceContext,
  loaded: LoadedWorkspace,
  closed: ConversationRecord,
  body: string,
  externalId: string | null,
  data: Readonly<Record<string, unknown>> | undefined,
): Promise<TurnOutcome> {
  const actor = `contact:${closed.contactId}`;
  const next = await startConversationIn(trx, ctx, loaded, {
    channelId: closed.channelId,
    contact: { id: closed.contactId },
    message: body,
    actor,
    subject: closed.subject,
    externalId,
    ...(data === undefined ? {} : { messageData: data }),
    previousConversationId: closed.id,
  });
  await appendEvent(trx, { conversationId: closed.id, type: 'conversation.continued', actor, data: { conversationId: next.conversation.id }, now: ctx.clock.now() });
  return next;
}
