/**
 * The SLA first-response timer fell due. Runs inside the outbox
 * job's transaction, so the breach, its alerts, the customer's message, the re-route and the
 * timer row's "done" commit together or not at all.
 *
 * Peers: CW #13515/#13516/#14508 and RC #12579 — nobody reassigned a conversation whose agent
 * did not reply. Here the breach re-routes through the rules (trigger `sla_breach`, else the
 * fallback), which sets the next SLA timer itself; after MAX_SLA_REROUTES breaches in a row it
 * only alerts.
 */
import type { NotifyChannel } from '../../contract/common.js';
import { decideSlaBreach, followUpOfferText, textLanguage, type SlaBreachDecision } from '../../core/decide-timer.js';
import type { WorkspaceModel } from '../../core/model.js';
import type { Executor } from '../../store/database.js';
import { getContact } from '../../store/repositories/contacts.js';
import { getConversationForUpdate, updateConversation } from '../../store/repositories/conversations.js';
import type { HandoffTrace } from '../../contract/trace.js';
import { appendEvent } from '../../store/repositories/events.js';
import { latestEventOfType } from '../../store/repositories/latest-event.js';
import { appendMessage } from '../../store/repositories/messages.js';
import { enqueue } from '../../store/repositories/outbox.js';
import { decideAndRecordHandoff } from './decide-and-record-handoff.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';
import { SLA_LAPSED } from './assign-waiting-conversations.js';
import type { ServiceContext } from '../context.js';

/** The payload decide-and-record-handoff.ts writes on `timer.sla.first_response` rows. */
export interface HandoffTimer {
  readonly conversationId: string;
  readonly queue: string;
  /** Seq of the `handoff.completed` event of the handoff that set the timer. */
  readonly handoffSeq: number;
}

export type BreachSlaResult =
  | { readonly outcome: 'not_found' }
  | { readonly outcome: 'skipped'; readonly decision: Extract<SlaBreachDecision, { breached: false }> }
  | { readonly outcome: 'breached'; readonly breaches: number; readonly streak: number; readonly rerouted: boolean };

export async function breachSla(trx: Executor, ctx: ServiceContext, timer: HandoffTimer, now: number): Promise<BreachSlaResult> {
  const loaded = await ctx.workspace.current(trx);
  const conversation = await getConversationForUpdate(trx, timer.conversationId);
  if (conversation === null) return { outcome: 'not_found' };
  const latestHandoff = await latestEventOfType(trx, conversation.id, 'handoff.completed');
  const lastBreach = await latestEventOfType(trx, conversation.id, 'sla.breached');
  const latestTrace = (latestHandoff?.data.trace as HandoffTrace | undefined) ?? null;
  const decision = decideSlaBreach({
    now,
    status: conversation.status,
    firstHumanResponseAt: conversation.firstHumanResponseAt,
    firstResponseDueAt: conversation.firstResponseDueAt,
    breaches: conversation.slaBreaches,
    timerHandoffSeq: timer.handoffSeq,
    latestHandoffSeq: latestHandoff?.seq ?? null,
    latestTrigger: latestTrace?.trigger ?? null,
    lastBreach:
      lastBreach === null
        ? null
        : { handoffSeq: numberOr(lastBreach.data.handoffSeq, -1), streak: numberOr(lastBreach.data.streak, 1) },
    maxReroutes: loaded.model.queues.get(timer.queue)?.slaMaxBreaches,
  });

  if (!decision.breached) {
    if (decision.reason === 'not_due') {
      // The deadline was re-computed later (CW PR #13392: business hours): a timer for the new one.
      await enqueue(trx, {
        kind: 'timer.sla.first_response',
        idempotencyKey: `${conversation.id}:timer.sla.first_response:${timer.handoffSeq}:${decision.dueAt}`,
        payload: timer,
        availableAt: decision.dueAt,
        now,
      });
    }
    return { outcome: 'skipped', decision };
  }

  const dueAt = conversation.firstResponseDueAt ?? now;
  await updateConversation(trx, conversation.id, { slaBreaches: decision.breaches }, now);
  await appendEvent(trx, {
    conversationId: conversation.id,
    type: 'sla.breached',
    actor: 'system',
    data: {
      queue: timer.queue,
      dueAt: new Date(dueAt).toISOString(),
      breaches: decision.breaches,
      streak: decision.streak,
      rerouted: decision.reroute,
      handoffSeq: timer.handoffSeq,
      owner: conversation.ownerId,
    },
    now,
  });

  // Team leads hear of it, in-app and on every channel the handoff itself notified on.
  const contact = await getContact(trx, conversation.contactId);
  const model = loaded.model;
  const queueName = model.queues.get(timer.queue)?.name ?? timer.queue;
  const contactName = contact?.name ?? contact?.email ?? 'A customer';
  const recipients = leadsToAlert(model, timer.queue);
  const channels = new Set<NotifyChannel>(['in_app', ...(latestTrace?.notifications.map((n) => n.channel) ?? [])]);
  const minutes = Math.max(1, Math.round((now - (conversation.handedOffAt ?? dueAt)) / 60_000));
  if (recipients.length > 0) {
    for (const channel of channels) {
      await enqueueNotification(trx, {
        channel,
        idempotencyKey: `${conversation.id}:notify.${channel}:sla_breach:${timer.handoffSeq}`,
        payload: {
          conversationId: conversation.id,
          recipients,
          type: 'handoff.sla_breach',
          title: `SLA breached: ${contactName}`,
          body:
            `No first response within the target of ${queueName} (waiting ${minutes} min, breach ${decision.breaches}). ` +
            (decision.reroute ? 'Re-routed by the escalation rules.' : `Not re-routed again after ${decision.streak - 1} re-routes in a row.`),
          data: { queue: timer.queue, dueAt: new Date(dueAt).toISOString(), breaches: decision.breaches, streak: decision.streak, owner: conversation.ownerId },
        },
        now,
      });
    }
  }

  // the customer is not left guessing — offer a follow-up by email.
  const language = textLanguage(conversation.language ?? contact?.language ?? model.language);
  await appendMessage(trx, {
    conversationId: conversation.id,
    author: 'system',
    body: followUpOfferText(language),
    data: { kind: 'sla_follow_up_offer', language },
    now,
  });

  if (decision.reroute) {
    const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
      conversationId: conversation.id,
      trigger: 'sla_breach',
      soft: false,
      note: `No first response within the SLA of ${queueName}`,
      messageText: '',
      actor: 'system',
      reason: 'sla_breach',
      // Re-routing to whoever let the SLA lapse would escalate nothing (CW #13515, RC #12579).
      ...(conversation.ownerId === null ? {} : { exclude: { userIds: new Set([conversation.ownerId]), reason: SLA_LAPSED } }),
    });
    if (handed.outcome !== 'handed_off') throw new Error(`SLA re-route of ${conversation.id}: ${handed.outcome}`);
  }
  return { outcome: 'breached', breaches: decision.breaches, streak: decision.streak, rerouted: decision.reroute };
}

/**
 * The leads of the queue's team; a team without leads, the workspace's admins; none of those,
 * the team's members — somebody must hear of a breach (CW #5077/#6112: nobody learnt of it).
 */
function leadsToAlert(model: WorkspaceModel, queueId: string): string[] {
  const teamId = model.queues.get(queueId)?.teamId ?? null;
  const team = teamId === null ? undefined : model.teams.get(teamId);
  if (team !== undefined && team.leads.length > 0) return [...team.leads];
  const admins = [...model.users.values()].filter((u) => u.role === 'admin').map((u) => u.id);
  if (admins.length > 0) return admins;
  return team === undefined ? [] : [...team.members];
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
