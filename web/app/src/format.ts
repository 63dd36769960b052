/** Words and numbers as agents read them: pure, so they are unit-tested (format.test.ts). */
import type { ConversationStatus, Trigger } from '../../../src/contract/common.js';

export const TRIGGER_LABELS: Record<Trigger, string> = {
  customer_requested_human: 'Customer asked for a person',
  unsupported_topic: 'The AI agent could not help',
  intent_or_keyword: 'Intent or keyword matched',
  workflow_flag: 'Flagged by a workflow or agent',
  negative_sentiment: 'Customer is frustrated',
  sla_breach: 'SLA breached',
  no_assistant: 'Channel has no AI agent',
};

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  bot: 'With AI agent',
  queued: 'Waiting in queue',
  assigned: 'Assigned',
  waiting_on_customer: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** `45 s`, `4 min`, `1 h 5 min`, `2 d 3 h`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** `just now`, `5 min ago`, `3 h ago`, else the date. */
export function formatAgo(at: string, now: number): string {
  const seconds = (now - Date.parse(at)) / 1000;
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

export type SlaClock =
  | { readonly state: 'none' }
  | { readonly state: 'met'; readonly text: string }
  | { readonly state: 'running'; readonly text: string; readonly urgent: boolean; readonly leftSeconds: number }
  | { readonly state: 'breached'; readonly text: string };

/** Where the first-response clock can still run: with people, not yet answered. */
const CLOCK_RUNS = new Set(['queued', 'assigned', 'waiting_on_customer']);

/**
 * The first-response clock after the handoff: met once a human answered, otherwise the time left
 * until `firstResponseDueAt` (urgent under 20 % of the target or two minutes), or how long ago it
 * lapsed. A conversation resolved, closed or back with the AI agent before anyone answered has no
 * clock running (issue 16 §2: "59 min left" on resolved conversations).
 */
export function slaClock(
  c: {
    readonly status: string;
    readonly firstResponseDueAt: string | null;
    readonly firstHumanResponseAt: string | null;
    readonly handedOffAt: string | null;
  },
  now: number,
): SlaClock {
  if (c.firstResponseDueAt === null) return { state: 'none' };
  const due = Date.parse(c.firstResponseDueAt);
  if (c.firstHumanResponseAt !== null) {
    const answered = Date.parse(c.firstHumanResponseAt);
    return answered <= due ? { state: 'met', text: 'First response in time' } : { state: 'breached', text: `First response ${formatDuration((answered - due) / 1000)} late` };
  }
  if (!CLOCK_RUNS.has(c.status)) return { state: 'none' };
  const left = (due - now) / 1000;
  if (left <= 0) return { state: 'breached', text: `Overdue by ${formatDuration(-left)}` };
  const target = c.handedOffAt === null ? null : (due - Date.parse(c.handedOffAt)) / 1000;
  const urgent = left < 120 || (target !== null && left < target * 0.2);
  return { state: 'running', text: `${formatDuration(left)} left to first response`, urgent, leftSeconds: left };
}

/** The SLA clock in a few words, for a list row: `SLA 45 min`, `SLA overdue`, `SLA met`; null without one. */
export function slaShortText(clock: SlaClock): string | null {
  switch (clock.state) {
    case 'none':
      return null;
    case 'met':
      return 'SLA met';
    case 'breached':
      return 'SLA missed';
    case 'running':
      return `SLA ${formatDuration(clock.leftSeconds)}`;
  }
}

/** Initials for an avatar: "Lucía Pérez" → "LP"; nothing → "?". */
export function initials(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter((p) => p !== '');
  if (parts.length === 0) return '?';
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}
