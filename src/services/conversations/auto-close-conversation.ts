/**
 * `closed` is reached by time: a resolved conversation closes `workspace.autoCloseAfter` (default
 * 7d) after it was resolved. The timer is an outbox row written with the resolution (armAutoClose,
 * in the resolve's transaction) and run by the outbox worker in its own transaction
 * (autoCloseConversation), which re-reads the conversation under its row lock: a reopened
 * conversation, or one resolved again since, is left alone (decideAutoClose).
 */
import { decideAutoClose } from '../../core/decide-timer.js';
import { parseDurationSeconds } from '../../core/duration.js';
import type { Executor } from '../../store/database.js';
import { close } from '../../store/repositories/assignments.js';
import { getConversationForUpdate } from '../../store/repositories/conversations.js';
import { enqueue } from '../../store/repositories/outbox.js';
import type { ServiceContext } from '../context.js';

export const AUTO_CLOSE_TIMER = 'timer.conversation.auto_close';

export interface AutoClosePayload {
  readonly conversationId: string;
  /** The resolution this timer closes (a later one has its own timer). */
  readonly resolvedAt: number;
}

/** Arm the timer of a resolution, in its transaction; idempotent per resolution and instant. */
export async function armAutoClose(trx: Executor, input: AutoClosePayload & { readonly dueAt: number; readonly now: number }): Promise<void> {
  await enqueue(trx, {
    kind: AUTO_CLOSE_TIMER,
    idempotencyKey: `${input.conversationId}:${AUTO_CLOSE_TIMER}:${input.resolvedAt}:${input.dueAt}`,
    payload: { conversationId: input.conversationId, resolvedAt: input.resolvedAt },
    availableAt: input.dueAt,
    now: input.now,
  });
}

/** The delay of the current workspace, in seconds. */
export async function autoCloseAfterSeconds(trx: Executor, ctx: ServiceContext): Promise<number> {
  return parseDurationSeconds((await ctx.workspace.current(trx)).config.workspace.autoCloseAfter);
}

export type AutoCloseResult = { readonly outcome: 'closed' } | { readonly outcome: 'skipped'; readonly reason: 'not_found' | 'not_resolved' | 'superseded' | 'not_due' };

/** The timer fell due (inside the outbox job's transaction). */
export async function autoCloseConversation(trx: Executor, ctx: ServiceContext, payload: AutoClosePayload, now: number): Promise<AutoCloseResult> {
  const conversation = await getConversationForUpdate(trx, payload.conversationId);
  if (conversation === null) return { outcome: 'skipped', reason: 'not_found' };
  const decision = decideAutoClose({
    now,
    status: conversation.status,
    resolvedAt: conversation.resolvedAt,
    timerResolvedAt: payload.resolvedAt,
    autoCloseAfterSeconds: await autoCloseAfterSeconds(trx, ctx),
  });
  if (!decision.close) {
    if (decision.reason === 'not_due') await armAutoClose(trx, { ...payload, dueAt: decision.dueAt, now });
    return { outcome: 'skipped', reason: decision.reason };
  }
  const closed = await close(trx, { conversationId: conversation.id, actor: 'system', reason: 'auto_close', now });
  return closed.outcome === 'changed' ? { outcome: 'closed' } : { outcome: 'skipped', reason: 'not_resolved' };
}
