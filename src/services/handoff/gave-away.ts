/**
 * Who gave a conversation away during its current handoff. The current handoff
 * starts at the latest `handoff.completed`: a transfer to a team or queue, or a release without a
 * queue, is itself such a handoff, and its previous owner gave it away; after it, each
 * `conversation.assigned` by transfer or release names who gave it away in its `from`, until the
 * conversation is resolved (a reopened one starts afresh).
 *
 * Excluded `unlessNobodyElse` (core/handoff.ts): when only they could ever take it, it goes back
 * rather than waiting for nobody; otherwise it waits, and the trace's candidate line says why.
 */
import type { Exclusion } from '../../core/handoff.js';
import type { WorkspaceModel } from '../../core/model.js';
import { explainNotBackTo } from '../../core/routing/not-back-to.js';
import type { ConversationRecord } from '../../store/repositories/conversations.js';
import type { HandoffTrace } from '../../contract/trace.js';
import type { Executor } from '../../store/database.js';
import { listEvents } from '../../store/repositories/events.js';
import { latestEventOfType } from '../../store/repositories/latest-event.js';

/** The reason a candidate line shows for them. */
export const GAVE_IT_AWAY = 'released or transferred it away';

const GIVING_AWAY: ReadonlySet<string> = new Set(['transfer', 'release']);

export async function gaveAway(ex: Executor, conversationId: string): Promise<Set<string>> {
  const givers = new Set<string>();
  const handoff = await latestEventOfType(ex, conversationId, 'handoff.completed');
  if (handoff !== null && GIVING_AWAY.has(String(handoff.data.reason))) {
    const previous = (handoff.data.trace as HandoffTrace | undefined)?.previousOwner ?? null;
    if (previous !== null) givers.add(previous);
  }
  const since = await listEvents(ex, conversationId, { afterSeq: handoff?.seq ?? 0, types: ['conversation.assigned', 'conversation.status_changed'], limit: 5_000 });
  for (const event of since) {
    // Resolved (or closed) ends the episode: a reopened conversation starts with nobody excluded.
    if (event.type === 'conversation.status_changed') {
      if (event.data.to === 'resolved' || event.data.to === 'closed') givers.clear();
      continue;
    }
    const from = event.data.from;
    if (GIVING_AWAY.has(String(event.data.reason)) && typeof from === 'string' && from !== event.data.to) givers.add(from);
  }
  return givers;
}

/** The exclusion for a decision about to be made, with `also` (the owner giving it away right now). */
export async function notBackTo(ex: Executor, conversationId: string, also: string | null = null): Promise<Exclusion | undefined> {
  const givers = await gaveAway(ex, conversationId);
  if (also !== null) givers.add(also);
  return givers.size === 0 ? undefined : { userIds: givers, reason: GAVE_IT_AWAY, unlessNobodyElse: true };
}

/** Why a queued conversation waits for someone other than those who gave it away; null when it does not. */
export async function waitingReasonOf(
  ex: Executor,
  model: WorkspaceModel,
  conversation: Pick<ConversationRecord, 'id' | 'status' | 'queueId' | 'teamId'>,
): Promise<string | null> {
  if (conversation.status !== 'queued') return null;
  return explainNotBackTo(model, conversation, await gaveAway(ex, conversation.id));
}
