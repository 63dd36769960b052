/**
 * A customer message for an external assistant (`llm`, `webhook`) becomes an outbox row in the
 * customer turn's own transaction, so the
 * customer's request never waits on the bot and a crash cannot lose the message: the jobs in
 * delivery/bot-jobs.ts call the bot or the language model after commit.
 */
import { z } from 'zod';
import type { ExternalAssistant } from '../../core/decide-turn.js';
import type { Executor } from '../../store/database.js';
import { enqueue } from '../../store/repositories/outbox.js';

export const BOT_JOB_KINDS = {
  webhook: 'bot.webhook.message',
  llm: 'bot.llm.turn',
} as const satisfies Record<ExternalAssistant, string>;

/** The customer message (by its per-conversation seq) the assistant is to answer. */
export const BotJobPayload = z.object({
  conversationId: z.string().min(1),
  messageSeq: z.number().int().min(1),
});
export type BotJobPayload = z.infer<typeof BotJobPayload>;

export async function deferToAssistant(
  trx: Executor,
  input: { readonly to: ExternalAssistant; readonly conversationId: string; readonly messageSeq: number; readonly now: number },
): Promise<void> {
  const kind = BOT_JOB_KINDS[input.to];
  const payload: BotJobPayload = { conversationId: input.conversationId, messageSeq: input.messageSeq };
  // One row per customer message: `conversationId:kind:seq`.
  await enqueue(trx, { kind, idempotencyKey: `${input.conversationId}:${kind}:${input.messageSeq}`, payload, now: input.now });
}
