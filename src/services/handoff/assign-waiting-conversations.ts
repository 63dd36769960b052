/**
 * Offer queued conversations, urgent first then longest waiting, to whoever is eligible now
 * (CW #10583/#10376/#10685: queued conversations stayed unassigned when agents came online or
 * capacity freed). Each conversation is decided and written in its own short transaction under
 * its row lock, with the same routing code as a handoff (`decideHandoff` towards the place where
 * it waits) and through the one writer, whose capacity check makes a lost race a refusal, never
 * an over-assignment.
 */
import type { Destination } from '../../contract/config.js';
import { withTransaction } from '../../store/database.js';
import { latestHandoffTrace } from '../../store/repositories/events.js';
import { assign } from '../../store/repositories/assignments.js';
import { getContact } from '../../store/repositories/contacts.js';
import { getConversationForUpdate } from '../../store/repositories/conversations.js';
import { listWaiting } from '../../store/repositories/routing.js';
import { announceJoin } from '../conversations/announce-join.js';
import type { ServiceContext } from '../context.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';
import { contactFacts, conversationFacts, decideWithStats, loadAgents } from './decision-state.js';
import { notBackTo } from './gave-away.js';

/** Why the agent who let the first-response SLA lapse is not offered the conversation again. */
export const SLA_LAPSED = 'missed the first-response target';

/** Conversations looked at per pass; the sweep comes back for the rest. */
const BATCH = 200;

export async function assignWaitingConversations(ctx: ServiceContext): Promise<number> {
  const waiting = await listWaiting(ctx.database.db, { limit: BATCH });
  if (waiting.length === 0) return 0;
  let assigned = 0;
  // A place where nobody could take the oldest conversation cannot take younger ones either.
  const full = new Set<string>();
  for (const candidate of waiting) {
    // Capacity is per channel type, so a place full for chat may still take an email.
    const place = `${candidate.queueId !== null ? `queue:${candidate.queueId}` : `team:${candidate.teamId ?? ''}`}:${candidate.channelType}`;
    if (full.has(place)) continue;
    const result = await withTransaction(ctx.database, async (trx) => {
      const loaded = await ctx.workspace.current(trx);
      const conversation = await getConversationForUpdate(trx, candidate.id);
      // Claimed, released or resolved since the list was read.
      if (conversation === null || conversation.status !== 'queued' || conversation.ownerId !== null) return 'skipped' as const;
      const contact = await getContact(trx, conversation.contactId);
      if (contact === null) return 'skipped' as const;
      const destination: Destination | null =
        conversation.queueId !== null && loaded.model.queues.has(conversation.queueId)
          ? { queue: conversation.queueId }
          : conversation.teamId !== null && loaded.model.teams.has(conversation.teamId)
            ? { team: conversation.teamId }
            : null;
      if (destination === null) return 'skipped' as const;
      const ruleset = ctx.workspace.compile(
        {
          reviewEvery: loaded.config.handoff.reviewEvery,
          rules: [],
          fallback: { destination, assignment: 'queue' in destination ? 'unassign_to_queue' : 'reassign', message: false, notify: ['in_app'], tasks: [] },
        },
        null,
      );
      const now = ctx.clock.now();
      const agents = await loadAgents(trx, loaded);
      // Waiting because of an SLA re-route: not back to whoever let it lapse (CW #13515, RC
      // #12579) while that re-route stands. The next breach re-routes with nobody to exclude.
      const latest = await latestHandoffTrace(trx, conversation.id);
      const lapsedBy = latest?.trigger === 'sla_breach' ? (latest.previousOwner ?? null) : null;
      // Nor to whoever released or transferred it away during this handoff (gave-away.ts).
      const exclude = lapsedBy === null ? await notBackTo(trx, conversation.id) : { userIds: new Set([lapsedBy]), reason: SLA_LAPSED };
      const trace = await decideWithStats(trx, {
        loaded,
        ruleset,
        conversation: conversationFacts(conversation, contact),
        contact: contactFacts(contact),
        agents,
        trigger: 'workflow_flag',
        soft: false,
        messageText: '',
        note: null,
        now,
        ...(exclude === undefined ? {} : { exclude }),
      });
      // Only an assignment into the place it already waits in: never move it elsewhere here.
      if (trace === null || trace.outcome !== 'assigned' || trace.assignee === null || trace.queue !== conversation.queueId) {
        // Nobody for this one only, when people were excluded for it: a younger conversation in
        // the same place may still go to them.
        return exclude === undefined ? ('nobody' as const) : ('skipped' as const);
      }
      const owner = trace.assignee;
      const written = await assign(trx, {
        conversationId: conversation.id,
        expectedVersion: conversation.version,
        toUserId: owner,
        teamId: conversation.teamId ?? trace.team,
        queueId: conversation.queueId,
        capacity: loaded.model.users.get(owner)?.capacity[conversation.channelType] ?? null,
        enforceCapacity: true,
        requireAvailable: true,
        reason: 'queue',
        actor: 'system',
        now,
        eventData: { strategy: trace.strategy, sticky: trace.sticky },
      });
      if (written.outcome !== 'assigned') return 'nobody' as const;
      await announceJoin(trx, loaded, { conversationId: conversation.id, userId: owner, language: conversation.language, now });
      await enqueueNotification(trx, {
        channel: 'in_app',
        idempotencyKey: `${conversation.id}:notify.in_app:queue:${written.conversation.version}`,
        payload: {
          conversationId: conversation.id,
          recipients: [owner],
          type: 'handoff.assigned',
          title: `New conversation: ${contact.name ?? contact.email ?? 'a customer'}`,
          body: `Assigned to you from ${conversation.queueId ?? conversation.teamId ?? 'the queue'} (it was waiting).`,
          data: { queue: conversation.queueId, team: conversation.teamId },
        },
        now,
      });
      return 'assigned' as const;
    });
    if (result === 'assigned') assigned++;
    else if (result === 'nobody') full.add(place);
  }
  if (assigned > 0) ctx.afterCommit({ kind: 'outbox' });
  return assigned;
}
