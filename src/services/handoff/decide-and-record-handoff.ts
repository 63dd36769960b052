/**
 * Hand a conversation to people, inside the caller's transaction: decide on live state, write the
 * decision through the one writer of assignments, and record in the same transaction everything
 * that follows from it — the handoff events with the full trace, the customer's messages, the
 * follow-up tasks, and the notifications and timers as outbox rows.
 *
 * Every path that hands off — a customer message, the "Talk to a person" button, the handoff API,
 * a workflow flag, a transfer — goes through here, so all of them notify the same way
 * (CW #15678, #5654: assignment notifications missing on some paths).
 */
import type { Trigger } from '../../contract/common.js';
import type { HandoffSummary, HandoffTrace, PlannedNotification } from '../../contract/trace.js';
import type { TranscriptLine } from '../../core/assistant/assistant.js';
import { summarizeConversation } from '../../core/summarize-conversation.js';
import type { AgentState } from '../../core/model.js';
import type { Exclusion } from '../../core/handoff.js';
import type { CompiledRuleset } from '../../core/rules/compile.js';
import type { Executor } from '../../store/database.js';
import { assign } from '../../store/repositories/assignments.js';
import { getContact, type ContactRecord } from '../../store/repositories/contacts.js';
import { getConversationForUpdate, type ConversationRecord } from '../../store/repositories/conversations.js';
import { appendEvents } from '../../store/repositories/events.js';
import { appendMessage, listMessages, listRecentMessages, type MessageRecord } from '../../store/repositories/messages.js';
import { enqueue } from '../../store/repositories/outbox.js';
import { createTask } from '../../store/repositories/tasks.js';
import type { ServiceContext } from '../context.js';
import { announceJoin } from '../conversations/announce-join.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';
import { contactFacts, conversationFacts, decideWithStatsAndInput, loadAgents, type Decided } from './decision-state.js';
import { recordDecisionInput } from '../../core/replay/replay.js';
import type { LoadedWorkspace } from '../workspace/workspace-cache.js';

export interface DecideAndRecordHandoffInput {
  readonly conversationId: string;
  readonly trigger: Trigger;
  /** Soft triggers hand off only when an explicit rule matches. */
  readonly soft: boolean;
  readonly note: string | null;
  readonly messageText: string;
  /** `system`, `assistant`, a user id, `contact:<id>`. */
  readonly actor: string;
  /** What the assistant detected this turn (kept when null). */
  readonly language?: string | null;
  readonly intent?: string | null;
  /** A one-destination ruleset (transfers); default the active rules. */
  readonly ruleset?: CompiledRuleset;
  /** Shown as the trace's rule (e.g. `transfer`); default the matched rule. */
  readonly ruleLabel?: string;
  /** Reason on the `conversation.assigned` event; default `handoff`. */
  readonly reason?: string;
  /**
   * Agent states the caller already read in this transaction after locking the conversation
   * (a customer turn decides on them first): reused rather than read twice per handoff.
   */
  readonly agents?: ReadonlyMap<string, AgentState>;
  /** People not to assign (an SLA re-route skips the owner who did not answer). */
  readonly exclude?: Exclusion;
  /** The language model's or the bot's summary; default extractive, from the customer's messages. */
  readonly summary?: HandoffSummary;
  /**
   * The conversation as the caller read it under its row lock in this transaction, its routing
   * state and fields unchanged since (messages appended since are fine): not read again. The
   * writer's UPDATE still applies only at its version.
   */
  readonly locked?: ConversationRecord;
  /** The conversation's contact, when the caller has read it in this transaction. */
  readonly contact?: ContactRecord;
  /** Every public message of the conversation in order, when the caller has them all (for the extractive summary). */
  readonly transcript?: readonly MessageRecord[];
}

export type DecideAndRecordHandoffResult =
  | {
      readonly outcome: 'handed_off';
      readonly trace: HandoffTrace;
      readonly conversation: ConversationRecord;
      readonly contact: ContactRecord;
      readonly messages: readonly MessageRecord[];
    }
  | { readonly outcome: 'no_rule' }
  | { readonly outcome: 'not_found' };

/** Automatic assignment retries when a capacity check inside the writer refuses (a race lost). */
const MAX_ATTEMPTS = 5;

export async function decideAndRecordHandoff(
  trx: Executor,
  ctx: ServiceContext,
  loaded: LoadedWorkspace,
  input: DecideAndRecordHandoffInput,
): Promise<DecideAndRecordHandoffResult> {
  const now = ctx.clock.now();
  const locked = input.locked?.id === input.conversationId ? input.locked : await getConversationForUpdate(trx, input.conversationId);
  if (locked === null) return { outcome: 'not_found' };
  const contact = input.contact?.id === locked.contactId ? input.contact : await getContact(trx, locked.contactId);
  if (contact === null) throw new Error(`conversation ${locked.id} has no contact ${locked.contactId}`);
  let agents: ReadonlyMap<string, AgentState> = input.agents ?? (await loadAgents(trx, loaded));
  const baseFacts = conversationFacts(locked, contact);
  const facts = {
    ...baseFacts,
    language: input.language ?? baseFacts.language,
    intent: input.intent ?? baseFacts.intent,
  };

  const summary = input.summary ?? (await extractiveSummary(trx, locked.id, input.transcript));

  let trace: HandoffTrace | null = null;
  let decided: Decided | null = null;
  let conversation: ConversationRecord | null = null;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && conversation === null; attempt++) {
    decided = await decideWithStatsAndInput(trx, {
      loaded,
      conversation: facts,
      contact: contactFacts(contact),
      agents,
      trigger: input.trigger,
      soft: input.soft,
      messageText: input.messageText,
      note: input.note,
      now,
      ...(input.ruleset === undefined ? {} : { ruleset: input.ruleset }),
      ...(input.exclude === undefined ? {} : { exclude: input.exclude }),
    });
    trace = decided.trace;
    if (trace === null) return { outcome: 'no_rule' };
    if (input.ruleLabel !== undefined) trace = { ...trace, rule: input.ruleLabel };
    trace = { ...trace, summary };

    const keptOwner = trace.outcome === 'kept_owner';
    const toUserId = trace.outcome === 'assigned' ? trace.assignee : keptOwner ? locked.ownerId : null;
    const capacity = toUserId === null ? null : (loaded.model.users.get(toUserId)?.capacity[locked.channelType] ?? null);
    const written = await assign(trx, {
      conversationId: locked.id,
      // Read (or handed over) under the lock just now: the writer need not read it again.
      locked,
      expectedVersion: locked.version,
      toUserId,
      teamId: trace.team,
      queueId: trace.queue,
      ...(keptOwner ? { status: locked.status } : {}),
      capacity,
      // Automatic assignment never exceeds a cap (HS/ZD caps are advisory; ours are not), and
      // never lands on someone who went away or was deactivated since the agents were read.
      enforceCapacity: trace.outcome === 'assigned',
      requireAvailable: trace.outcome === 'assigned',
      reason: input.reason ?? 'handoff',
      actor: input.actor,
      now,
      set: {
        // The trace itself is stored once, on the handoff.completed event below.
        handedOffAt: now,
        priority: trace.priority,
        tags: trace.tags,
        ...(trace.set.properties === undefined ? {} : { properties: { ...locked.properties, ...trace.set.properties } }),
        language: facts.language,
        intent: facts.intent,
        followers: [...new Set([...locked.followers, ...trace.followers])],
        firstResponseDueAt: slaDueAt(trace),
        // The human clock starts at each handoff (CW #8477, PR #12058).
        firstHumanResponseAt: null,
        turnsWithoutProgress: 0,
        // What the customer is told, kept beside the trace for the realtime publisher, which asks
        // it of every customer whose place in a line moves.
        promisedWaitSeconds: trace.expectedWaitSeconds,
        promisedAtPosition: trace.queuePosition,
      },
      eventData: { trigger: trace.trigger, rule: trace.rule, ruleVersion: trace.ruleVersion },
    });
    switch (written.outcome) {
      case 'assigned':
        conversation = written.conversation;
        break;
      case 'over_capacity': {
        // Others' assignments committed since the agents were read: read everyone's load again
        // (not just this agent's — several may have filled at once) and decide again. On the
        // last attempt nobody is offered, so the conversation waits in its queue: a handoff is
        // never dropped, and the backlog assigner takes it when someone frees up.
        const fresh = await loadAgents(trx, loaded);
        const full = toUserId === null ? undefined : fresh.get(toUserId);
        if (full !== undefined && toUserId !== null) {
          fresh.set(toUserId, { ...full, load: { ...full.load, [locked.channelType]: Math.max(written.load, full.load[locked.channelType] ?? 0) } });
        }
        if (attempt + 1 >= MAX_ATTEMPTS) for (const [id, state] of fresh) fresh.set(id, { ...state, status: 'offline' });
        agents = fresh;
        break;
      }
      case 'owner_unavailable': {
        // The chosen agent went away (or was deactivated) after the agents were read: read them
        // again, so this one's new status counts, and decide again.
        const fresh = await loadAgents(trx, loaded);
        if (attempt + 1 >= MAX_ATTEMPTS) for (const [id, state] of fresh) fresh.set(id, { ...state, status: 'offline' });
        agents = fresh;
        break;
      }
      case 'conflict':
      case 'not_found':
        // Impossible under the row lock taken above; a bug if it happens.
        throw new Error(`handoff of ${locked.id}: the conversation changed under its row lock (${written.outcome})`);
    }
  }
  if (trace === null || decided === null || conversation === null) throw new Error(`handoff of ${locked.id}: no assignment after ${MAX_ATTEMPTS} attempts`);
  // What the decision read, beside its trace: POST /api/replay decides it again from exactly this.
  const recordedInput = recordDecisionInput(decided.input, {
    revision: loaded.revision,
    ruleset: input.ruleset === undefined ? 'active' : 'given',
    stats: decided.stats,
  });

  const [started, completed] = (await appendEvents(trx, [
    { conversationId: locked.id, type: 'handoff.started', actor: input.actor, data: { trigger: trace.trigger, note: input.note }, now },
    // `reason` (transfer, release, sla_breach …): who gave it away by this handoff is not handed it back (gave-away.ts).
    { conversationId: locked.id, type: 'handoff.completed', actor: input.actor, data: { trace, reason: input.reason ?? 'handoff', input: recordedInput }, now },
  ])) ?? [];
  const seq = completed?.seq ?? started?.seq ?? 0;

  const messages: MessageRecord[] = [];
  for (const out of trace.customerMessages) {
    const message = await appendMessage(trx, {
      conversationId: locked.id,
      author: 'system',
      body: out.body,
      data: { kind: 'handoff', language: out.language },
      now,
    });
    if (message !== null) messages.push(message);
  }

  if (trace.outcome === 'assigned' && trace.assignee !== null && trace.assignee !== locked.ownerId) {
    const joined = await announceJoin(trx, loaded, { conversationId: locked.id, userId: trace.assignee, language: conversation.language ?? contact.language, now });
    if (joined !== null) messages.push(joined);
  }

  for (const task of trace.tasks) {
    await createTask(trx, {
      conversationId: locked.id,
      type: task.type,
      assigneeId: task.assignee,
      teamId: task.team,
      dueAt: task.dueAt === null ? null : Date.parse(task.dueAt),
      dueAfterResolutionSeconds: task.dueAfterResolutionSeconds,
      note: task.note,
      createdBy: `rule:${trace.rule}`,
      now,
    });
    if (task.type === 'internal_note' && task.note !== null) {
      const note = await appendMessage(trx, { conversationId: locked.id, author: 'system', body: task.note, private: true, data: { kind: 'task_note' }, now });
      if (note !== null) messages.push(note);
    }
  }

  const contactName = contact.name ?? contact.email ?? 'A customer';
  for (const notification of trace.notifications) {
    if (notification.recipients.length === 0) continue;
    const text = notificationText(notification, trace, contactName, loaded);
    await enqueueNotification(trx, {
      channel: notification.channel,
      idempotencyKey: `${locked.id}:notify.${notification.channel}:${notification.reason}:${seq}`,
      payload: {
        conversationId: locked.id,
        recipients: notification.recipients,
        type: `handoff.${notification.reason}`,
        title: text.title,
        body: text.body,
        data: { trigger: trace.trigger, rule: trace.rule, queue: trace.queue, team: trace.team, owner: trace.assignee },
      },
      now,
    });
  }

  for (const timer of trace.timers) {
    await enqueue(trx, {
      kind: `timer.${timer.kind}`,
      idempotencyKey: `${locked.id}:timer.${timer.kind}:${seq}`,
      payload: { conversationId: locked.id, queue: timer.queue, handoffSeq: seq },
      availableAt: Date.parse(timer.dueAt),
      now,
    });
  }

  return { outcome: 'handed_off', trace, conversation, contact, messages };
}

/** The customer's first messages and their latest ones are enough to find the first substantive and the latest. */
const SUMMARY_HEAD = 50;
const SUMMARY_TAIL = 20;

async function extractiveSummary(trx: Executor, conversationId: string, transcript?: readonly MessageRecord[]): Promise<HandoffSummary | null> {
  let read: readonly MessageRecord[];
  if (transcript !== undefined && transcript.length < SUMMARY_HEAD) read = transcript;
  else {
    const head = await listMessages(trx, conversationId, { limit: SUMMARY_HEAD });
    const tail = head.length < SUMMARY_HEAD ? [] : await listRecentMessages(trx, conversationId, { limit: SUMMARY_TAIL });
    const last = head[head.length - 1]?.seq ?? 0;
    read = [...head, ...tail.filter((m) => m.seq > last)];
  }
  const lines = read.map((m): TranscriptLine => ({ author: m.author, body: m.body }));
  const text = summarizeConversation(lines);
  return text === null ? null : { text, source: 'extractive' };
}

function slaDueAt(trace: HandoffTrace): number | null {
  const timer = trace.timers.find((t) => t.kind === 'sla.first_response');
  return timer === undefined ? null : Date.parse(timer.dueAt);
}

function notificationText(
  notification: PlannedNotification,
  trace: HandoffTrace,
  contactName: string,
  loaded: LoadedWorkspace,
): { title: string; body: string } {
  const why = `${trace.trigger.replace(/_/g, ' ')} · rule ${trace.rule}`;
  const place =
    trace.queue !== null
      ? (loaded.model.queues.get(trace.queue)?.name ?? trace.queue)
      : trace.team !== null
        ? (loaded.model.teams.get(trace.team)?.name ?? trace.team)
        : null;
  switch (notification.reason) {
    case 'assigned':
      return { title: `New conversation: ${contactName}`, body: `Assigned to you (${why}).` };
    case 'queued':
      return { title: `Waiting in ${place ?? 'the queue'}: ${contactName}`, body: `Nobody owns it yet — claim it (${why}).` };
    case 'alert': {
      const owner = trace.assignee === null ? 'its owner' : (loaded.model.users.get(trace.assignee)?.name ?? trace.assignee);
      return { title: `Heads-up: ${contactName}`, body: `${owner} keeps the conversation; you are following it (${why}).` };
    }
    case 'sla_breach':
      return { title: `SLA breached: ${contactName}`, body: `No first response within the target of ${place ?? 'the queue'} (${why}).` };
  }
}
