/**
 * The AI agent speaks — a webhook bot's answer through the API, or the language model's reply
 * (delivery/bot-jobs.ts). Only while the conversation is with the AI agent (`bot`), checked under
 * the conversation's row lock: once a person has it, an automated answer is dropped (CW
 * rasa-agent-bot-demo #12, CW #5077: the bot kept replying after the handoff).
 */
import { BatonError } from '../../platform/errors.js';
import type { ConversationStatus } from '../../contract/common.js';
import type { Executor } from '../../store/database.js';
import { withTransaction } from '../../store/database.js';
import { appendMessage, type MessageRecord } from '../../store/repositories/messages.js';
import type { ServiceContext } from '../context.js';
import { lockConversation } from './lock-conversation.js';

export type AssistantMessageOutcome =
  | { readonly outcome: 'posted'; readonly message: MessageRecord }
  | { readonly outcome: 'not_bot'; readonly status: ConversationStatus };

export interface AssistantMessageInput {
  readonly conversationId: string;
  readonly body: string;
  readonly private?: boolean;
  /** Stored with the message: where the answer came from (`{source: 'llm'}` …). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Inside the caller's transaction. */
export async function appendAssistantMessage(trx: Executor, ctx: ServiceContext, input: AssistantMessageInput): Promise<AssistantMessageOutcome> {
  const conversation = await lockConversation(trx, input.conversationId);
  if (conversation.status !== 'bot') return { outcome: 'not_bot', status: conversation.status };
  const message = await appendMessage(trx, {
    conversationId: conversation.id,
    author: 'assistant',
    body: input.body,
    private: input.private ?? false,
    data: input.data ?? {},
    now: ctx.clock.now(),
  });
  if (message === null) throw new BatonError('not_found', `conversation "${conversation.id}" not found`);
  return { outcome: 'posted', message };
}

/** A bot's answer through the API: 409 once the conversation is no longer with the AI agent. */
export async function postAssistantMessage(ctx: ServiceContext, input: AssistantMessageInput): Promise<MessageRecord> {
  const outcome = await withTransaction(ctx.database, (trx) => appendAssistantMessage(trx, ctx, input));
  if (outcome.outcome === 'not_bot') {
    throw new BatonError('conflict', `the conversation is ${outcome.status}, no longer with the AI agent: the bot may not answer`);
  }
  ctx.afterCommit({ kind: 'outbox' });
  return outcome.message;
}
