import { csatGroupOf } from '../csat.js';
/**
 * What the handoff report counts, defined once (docs/api.md "Reports"). Every figure of
 * `GET /api/reports/handoffs` is a sum, an average or a percentile over one row per
 * conversation — its report row — and that row is exactly what `foldReportEvent` makes of the
 * conversation's event log, oldest first. The store keeps the rows in the transaction that
 * appends the events (store/repositories/report-rows.ts), so a report never scans the log.
 *
 * The definitions:
 * - a conversation counts in the range it *started* in (its first event), with all its figures;
 * - handed off: it has a `handoff.completed` event; its trigger, rule, team and queue are those
 *   of its first handoff (the team and queue it was sent to);
 * - agent: the last person who owned it;
 * - reassignment: a person becomes the owner who is not the last person who owned it — the first
 *   assignment is not one, nor is a release to the queue or the same person taking it back;
 * - first human response: from the first handoff to the first public reply by a person after it
 *   (`sla.stopped`);
 * - queue wait: the time spent `queued`, summed over the waits that have ended (a conversation
 *   still waiting counts once it leaves the queue);
 * - resolution: from the start to the latest resolution, while it is resolved or closed;
 * - AI-resolved: resolved or closed, never handed off and never owned by a person;
 * - SLA breaches: its `sla.breached` events;
 * - CSAT: its latest rating, in the group the rating was given in (core/csat.ts csatGroupOf,
 *   stored with each `conversation.rated` event as `handedOff`: a person had the conversation);
 *   a rating recorded before that was stored is grouped by the row as it stood then.
 */

/** What the fold reads of an event (store/repositories/events.ts ConversationEventRecord has it all). */
export interface ReportEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Owner, team and queue as they were after the event's transaction. */
  readonly teamId: string | null;
  readonly queueId: string | null;
  /** Epoch ms. */
  readonly createdAt: number;
}

/** One conversation's figures (epoch ms and ms durations). */
export interface ConversationReport {
  readonly startedAt: number;
  readonly handedOffAt: number | null;
  readonly trigger: string | null;
  readonly rule: string | null;
  readonly teamId: string | null;
  readonly queueId: string | null;
  readonly agentId: string | null;
  readonly reassignments: number;
  readonly firstResponseMs: number | null;
  readonly queueWaitMs: number | null;
  /** Since when it has waited in the current wait (null: not waiting). */
  readonly queuedSince: number | null;
  readonly status: string | null;
  readonly resolutionMs: number | null;
  readonly slaBreaches: number;
  readonly csatScore: number | null;
  /** The latest rating's group: true when a person had the conversation (null: no rating). */
  readonly csatHandedOff: boolean | null;
}

/** The event types that change a report row; every other type leaves it as it is. */
export const REPORT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'conversation.created',
  'handoff.completed',
  'conversation.assigned',
  'conversation.status_changed',
  'sla.stopped',
  'sla.breached',
  'conversation.rated',
]);

const CLOSED_STATUSES = new Set(['resolved', 'closed']);

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The row a conversation's first report event opens. */
function opened(at: number): ConversationReport {
  return {
    startedAt: at,
    handedOffAt: null,
    trigger: null,
    rule: null,
    teamId: null,
    queueId: null,
    agentId: null,
    reassignments: 0,
    firstResponseMs: null,
    queueWaitMs: null,
    queuedSince: null,
    status: null,
    resolutionMs: null,
    slaBreaches: 0,
    csatScore: null,
    csatHandedOff: null,
  };
}

/** The row after one more event (null before the first event that concerns reports). */
export function foldReportEvent(row: ConversationReport | null, event: ReportEvent): ConversationReport | null {
  if (!REPORT_EVENT_TYPES.has(event.type)) return row;
  const r = row ?? opened(event.createdAt);
  const at = event.createdAt;
  switch (event.type) {
    case 'handoff.completed': {
      if (r.handedOffAt !== null) return r;
      const trace = (event.data.trace ?? {}) as Record<string, unknown>;
      return { ...r, handedOffAt: at, trigger: text(trace.trigger), rule: text(trace.rule), teamId: event.teamId, queueId: event.queueId };
    }
    case 'conversation.assigned': {
      const to = text(event.data.to);
      if (to === null || to === r.agentId) return r;
      return { ...r, agentId: to, reassignments: r.reassignments + (r.agentId === null ? 0 : 1) };
    }
    case 'conversation.status_changed': {
      const from = text(event.data.from);
      const to = text(event.data.to);
      let next: ConversationReport = { ...r, status: to };
      if (from === 'queued' && to !== 'queued' && r.queuedSince !== null) {
        next = { ...next, queueWaitMs: (r.queueWaitMs ?? 0) + (at - r.queuedSince), queuedSince: null };
      }
      if (to === 'queued' && next.queuedSince === null) next = { ...next, queuedSince: at };
      if (to === 'resolved') next = { ...next, resolutionMs: at - r.startedAt };
      else if (to === null || !CLOSED_STATUSES.has(to)) next = { ...next, resolutionMs: null };
      return next;
    }
    case 'sla.stopped':
      return r.handedOffAt === null || r.firstResponseMs !== null ? r : { ...r, firstResponseMs: at - r.handedOffAt };
    case 'sla.breached':
      return { ...r, slaBreaches: r.slaBreaches + 1 };
    case 'conversation.rated': {
      const score = event.data.score;
      if (typeof score !== 'number') return r;
      const recorded = event.data.handedOff;
      const handedOff =
        typeof recorded === 'boolean'
          ? recorded
          : csatGroupOf({ handedOffAt: r.handedOffAt, firstHumanResponseAt: r.firstResponseMs, ownerId: r.agentId }) === 'handed_off';
      return { ...r, csatScore: score, csatHandedOff: handedOff };
    }
    default:
      // conversation.created: opens the row and nothing more.
      return r;
  }
}

/** A whole log, oldest first: the row the store must hold for it. */
export function reportOfEvents(events: readonly ReportEvent[]): ConversationReport | null {
  return events.reduce<ConversationReport | null>(foldReportEvent, null);
}

export function isHandedOff(row: ConversationReport): boolean {
  return row.handedOffAt !== null;
}

/** Resolved or closed without a handoff and without a person ever owning it. */
export function isAiResolved(row: ConversationReport): boolean {
  return row.resolutionMs !== null && row.handedOffAt === null && row.agentId === null;
}

/** Neither handed off nor owned by a person: its rating counts as the AI agent's. */
export function isAiOnly(row: ConversationReport): boolean {
  return row.handedOffAt === null && row.agentId === null;
}
