/**
 * What the handoff metrics measure, defined once, from the conversation events that record it
 * (docs/monitoring.md). Pure: an event in, the observations it makes out. The Prometheus side
 * (delivery/metrics) counts them only after the job that publishes the event has committed.
 *
 * - A handoff: each `handoff.completed` event, labelled with its trace's trigger, rule and queue,
 *   and counted by the trace's outcome (`assigned`, `queued`, `kept_owner`).
 * - First human response: from the handoff (`handedOffAt`) to the first public reply by a person
 *   after it — the `sla.stopped` event `post-agent-message` writes, once per handoff.
 * - Queue wait: from entering a waiting line (`queued_at`, set by the one writer of assignments
 *   when the status becomes `queued`; moves between queues keep it) to being given to a person —
 *   a `conversation.assigned` event from status `queued` to an owner. A conversation assigned at
 *   its handoff never waited and is not observed; one that leaves the line without an owner
 *   (resolved, closed, back to the AI agent) is not either.
 * - SLA breach: each `sla.breached` event, by the queue whose target was missed.
 *
 * Label values are bounded: a trigger, rule or queue the workspace does not name now is `none`;
 * no conversation, contact or user ids ever become labels.
 */
import { Trigger } from '../contract/common.js';

export const NO_LABEL = 'none';

/** Rule labels that are not rules of the ruleset: the fallback, and what transfers and overflow record. */
export const BUILT_IN_RULE_LABELS: readonly string[] = ['fallback', 'transfer', 'overflow'];

export const HANDOFF_OUTCOMES = ['assigned', 'queued', 'kept_owner'] as const;
export type HandoffOutcomeLabel = (typeof HANDOFF_OUTCOMES)[number] | typeof NO_LABEL;

/** What the workspace names now: the only label values let through. */
export interface KnownLabels {
  readonly rules: ReadonlySet<string>;
  readonly queues: ReadonlySet<string>;
}

/** The slice of a conversation event the measures read. */
export interface MeasuredEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

export type Observation =
  | {
      readonly metric: 'handoff';
      readonly trigger: string;
      readonly rule: string;
      readonly queue: string;
      readonly outcome: HandoffOutcomeLabel;
    }
  | { readonly metric: 'first_human_response'; readonly seconds: number }
  | { readonly metric: 'queue_wait'; readonly seconds: number }
  | { readonly metric: 'sla_breach'; readonly queue: string };

/** Event types that make an observation (the rest are skipped without reading anything). */
export const MEASURED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'handoff.completed',
  'sla.stopped',
  'conversation.assigned',
  'sla.breached',
]);

/** Event types whose labels need the workspace's names. */
export const LABELLED_EVENT_TYPES: ReadonlySet<string> = new Set(['handoff.completed', 'sla.breached']);

/** Seconds from the handoff to the first human response (never negative). */
export function firstHumanResponseSeconds(handedOffAt: number, firstHumanResponseAt: number): number {
  return Math.max(0, firstHumanResponseAt - handedOffAt) / 1000;
}

/** Seconds from entering a waiting line to being given to a person (never negative). */
export function queueWaitSeconds(queuedAt: number, assignedAt: number): number {
  return Math.max(0, assignedAt - queuedAt) / 1000;
}

const TRIGGERS: ReadonlySet<string> = new Set(Trigger.options);

export function triggerLabel(value: unknown): string {
  return typeof value === 'string' && TRIGGERS.has(value) ? value : NO_LABEL;
}

export function ruleLabel(value: unknown, known: KnownLabels): string {
  return typeof value === 'string' && (known.rules.has(value) || BUILT_IN_RULE_LABELS.includes(value))
    ? value
    : NO_LABEL;
}

export function queueLabel(value: unknown, known: KnownLabels): string {
  return typeof value === 'string' && known.queues.has(value) ? value : NO_LABEL;
}

function outcomeLabel(value: unknown): HandoffOutcomeLabel {
  return (HANDOFF_OUTCOMES as readonly unknown[]).includes(value) ? (value as HandoffOutcomeLabel) : NO_LABEL;
}

function instant(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : null;
}

const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** The observations one committed event makes (none for most events). */
export function measureEvent(event: MeasuredEvent, known: KnownLabels): Observation[] {
  const { data } = event;
  switch (event.type) {
    case 'handoff.completed': {
      const trace = record(data.trace);
      return [
        {
          metric: 'handoff',
          trigger: triggerLabel(trace.trigger),
          rule: ruleLabel(trace.rule, known),
          queue: queueLabel(trace.queue, known),
          outcome: outcomeLabel(trace.outcome),
        },
      ];
    }
    case 'sla.stopped': {
      const handedOffAt = instant(data.handedOffAt);
      const respondedAt = instant(data.firstHumanResponseAt);
      return handedOffAt === null || respondedAt === null
        ? []
        : [{ metric: 'first_human_response', seconds: firstHumanResponseSeconds(handedOffAt, respondedAt) }];
    }
    case 'conversation.assigned': {
      const queuedAt = instant(data.queuedAt);
      const leftTheLine =
        data.fromStatus === 'queued' && data.toStatus !== 'queued' && typeof data.to === 'string';
      return leftTheLine && queuedAt !== null
        ? [{ metric: 'queue_wait', seconds: queueWaitSeconds(queuedAt, event.createdAt) }]
        : [];
    }
    case 'sla.breached':
      return [{ metric: 'sla_breach', queue: queueLabel(data.queue, known) }];
    default:
      return [];
  }
}
