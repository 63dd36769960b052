/**
 * Lifecycle actions through the one writer: resolve, reopen, hand back to the AI
 * agent, wait on the customer. Each frees or takes capacity, so waiting conversations are offered
 * again after commit (CW #10583: capacity freed but nobody was assigned).
 */
import type { OwnershipAction, OwnershipViewer } from '../../core/ownership.js';
import { BatonError } from '../../platform/errors.js';
import { newToken } from '../../platform/secrets.js';
import { withTransaction, type Executor } from '../../store/database.js';
import { handBack, reopen, resolve, setWaiting, type OverCapacity, type StatusOutcome } from '../../store/repositories/assignments.js';
import { getConversation, updateConversation, type ConversationRecord } from '../../store/repositories/conversations.js';
import { appendMessage } from '../../store/repositories/messages.js';
import { scheduleCheckIns } from '../../store/repositories/tasks.js';
import type { ServiceContext } from '../context.js';
import { loadAgentStates } from '../../store/repositories/routing.js';
import { armAutoClose, autoCloseAfterSeconds } from './auto-close-conversation.js';
import { lockConversation } from './lock-conversation.js';
import { requestRating } from './request-rating.js';
import { requireOwnership } from './require-ownership.js';

export type StatusAction = 'resolve' | 'reopen' | 'handback' | 'wait' | 'resume';

const BACK_TO_AI: Readonly<Record<string, string>> = {
  en: "You're chatting with our AI assistant again. Ask for a person at any time.",
  es: 'Vuelves a hablar con nuestro asistente de IA. Puedes pedir una persona cuando quieras.',
  fr: 'Vous discutez à nouveau avec notre assistant IA. Demandez un conseiller à tout moment.',
  de: 'Sie chatten wieder mit unserem KI-Assistenten. Sie können jederzeit nach einer Person fragen.',
  pt: 'Você está conversando novamente com nosso assistente de IA. Peça um atendente quando quiser.',
};

/**
 * Reopen a resolved conversation: back to its owner only when the owner could take it now — not
 * when they are unavailable (CW #9587: a reopened conversation went to its offline previous
 * owner), and not past their cap for the channel (counted under their lock by the one writer).
 * Otherwise it waits in its queue and the backlog assigner is kicked. Used by an agent's reopen
 * and by a customer's reply alike (the caller holds the conversation's row lock).
 */
export async function reopenToAvailableOwner(
  trx: Executor,
  ctx: ServiceContext,
  input: { readonly conversationId: string; readonly actor: string; readonly now: number; readonly reason: string },
): Promise<StatusOutcome> {
  const current = await getConversation(trx, input.conversationId);
  const ownerId = current?.status === 'resolved' ? current.ownerId : null;
  if (current === null || ownerId === null) return settled(await reopen(trx, input));
  const loaded = await ctx.workspace.current(trx);
  const owner = loaded.model.users.get(ownerId);
  const initial = loaded.config.users.find((u) => u.id === ownerId)?.status ?? 'offline';
  const status = (await loadAgentStates(trx, [ownerId], { initialStatus: () => initial })).get(ownerId)?.status;
  const toQueue = (reason: string): Promise<StatusOutcome> =>
    reopen(trx, { ...input, reason, toQueue: true }).then((outcome) => {
      const result = settled(outcome);
      if (result.outcome === 'changed' && result.conversation.status === 'queued') ctx.afterCommit({ kind: 'assign_waiting' });
      return result;
    });
  if (owner === undefined || status !== 'available') return toQueue('owner_unavailable');
  const outcome = await reopen(trx, { ...input, guard: { capacity: owner.capacity[current.channelType] ?? null, enforceCapacity: true } });
  return outcome.outcome === 'over_capacity' ? toQueue('owner_at_capacity') : outcome;
}

/** `reopen` without a guard is never refused for capacity. */
function settled(outcome: StatusOutcome | OverCapacity): StatusOutcome {
  if (outcome.outcome === 'over_capacity') throw new Error('unreachable: over_capacity without a capacity guard');
  return outcome;
}

/**
 * A resolution is named by its event's seq (core/csat.ts: each is rated once); an email
 * conversation's customer is sent the rating link in the same transaction.
 */
async function recordResolution(
  trx: Executor,
  ctx: ServiceContext,
  outcome: Extract<StatusOutcome, { outcome: 'changed' }>,
  ratingToken: string | null,
  now: number,
): Promise<ConversationRecord> {
  const resolved = outcome.events.find((event) => event.type === 'conversation.status_changed' && event.data.to === 'resolved');
  if (resolved === undefined) return outcome.conversation;
  const updated = (await updateConversation(trx, outcome.conversation.id, { resolutionSeq: resolved.seq }, now)) ?? outcome.conversation;
  if (ratingToken !== null) await requestRating(trx, ctx, { conversation: updated, resolutionSeq: resolved.seq, token: ratingToken, now });
  return updated;
}

/** The action in words, for refusals a person reads. */
const IN_WORDS: Readonly<Record<StatusAction, string>> = { resolve: 'resolve', reopen: 'reopen', handback: 'hand back', wait: 'set waiting on the customer', resume: 'resume' };

/** Actions only the holder (or a lead or admin) takes on a held conversation (core/ownership.ts). */
const HOLDERS_ACTION: Partial<Record<StatusAction, OwnershipAction>> = { resolve: 'resolve', handback: 'handback', wait: 'resolve', resume: 'resolve' };

export async function changeConversationStatus(
  ctx: ServiceContext,
  input: { readonly conversationId: string; readonly action: StatusAction; readonly actor: string; readonly viewer: OwnershipViewer | null },
): Promise<ConversationRecord> {
  // Made before the transaction, whose body may run twice: an email conversation's rating link.
  const ratingToken = input.action === 'resolve' ? newToken('br') : null;
  const conversation = await withTransaction(ctx.database, async (trx) => {
    const current = await lockConversation(trx, input.conversationId);
    const policed = HOLDERS_ACTION[input.action];
    if (policed !== undefined && input.viewer !== null) requireOwnership((await ctx.workspace.current(trx)).model, current, input.viewer, policed);
    const now = ctx.clock.now();
    const common = { conversationId: current.id, actor: input.actor, now };
    let outcome: StatusOutcome;
    switch (input.action) {
      case 'resolve':
        outcome = await resolve(trx, { ...common, reason: 'resolve' });
        if (outcome.outcome === 'changed') {
          await scheduleCheckIns(trx, current.id, now);
          // `closed` comes by time: armed with the resolution, so a crash cannot lose it.
          await armAutoClose(trx, { conversationId: current.id, resolvedAt: now, dueAt: now + (await autoCloseAfterSeconds(trx, ctx)) * 1000, now });
          return recordResolution(trx, ctx, outcome, ratingToken, now);
        }
        break;
      case 'reopen':
        outcome = await reopenToAvailableOwner(trx, ctx, { ...common, reason: 'reopen' });
        break;
      case 'handback':
        outcome = await handBack(trx, { ...common, reason: 'handback' });
        if (outcome.outcome === 'changed') {
          const language = (current.language ?? 'en').split('-')[0] ?? 'en';
          await appendMessage(trx, { conversationId: current.id, author: 'system', body: BACK_TO_AI[language] ?? BACK_TO_AI.en ?? '', data: { kind: 'handback' }, now });
        }
        break;
      case 'wait':
        outcome = await setWaiting(trx, { ...common, reason: 'waiting_on_customer', waiting: true });
        break;
      case 'resume':
        outcome = await setWaiting(trx, { ...common, reason: 'resumed', waiting: false });
        break;
    }
    switch (outcome.outcome) {
      case 'changed':
        return outcome.conversation;
      case 'conflict':
        throw new BatonError('conflict', `Cannot ${IN_WORDS[input.action]} a conversation that is ${outcome.conversation.status.replaceAll('_', ' ')}.`);
      case 'not_found':
        throw new BatonError('not_found', `conversation "${current.id}" not found`);
    }
  });
  ctx.afterCommit({ kind: 'outbox' });
  ctx.afterCommit({ kind: 'assign_waiting' });
  return conversation;
}
