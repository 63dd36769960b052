/**
 * "Test against past conversations" (issue 19) in words, pure so it is unit-tested
 * (replay-view.test.ts): the default range (the last 7 days in the workspace's time zone), the
 * summary's sentence, a decision and a change as text, and whether the last test still speaks
 * for the draft the admin is about to publish.
 */
import type { ReplayDecision, ReplayField, ReplayResult } from '../../../../../../src/contract/replay-api.js';
import type { Destination } from '../../../../../../src/contract/config.js';
import { presetRange } from '../../reports/report-range.js';

export type ReplaySummary = ReplayResult['summary'];

/** Where a replay starts: the last 7 days, today included, in the workspace's time zone. */
export function defaultReplayRange(timeZone: string, now: number): { from: string; to: string } {
  return presetRange('7d', timeZone, now);
}

/** `{queue: 'es-support'}` → `queue es-support`. */
export function destinationText(destination: Destination | null): string {
  if (destination === null) return 'nowhere';
  if ('queue' in destination) return `queue ${destination.queue}`;
  if ('team' in destination) return `team ${destination.team}`;
  return `user ${destination.user}`;
}

/** A side of a "from → to" group: the rule and where it sent the handoff. */
export function ruleAndDestinationText(side: { rule: string | null; destination: Destination | null }): string {
  return side.rule === null ? 'no handoff' : `${side.rule} → ${destinationText(side.destination)}`;
}

/** A decision in a row: rule, destination, and who got it (or that it waited). */
export function decisionText(decision: ReplayDecision | null, name: (userId: string) => string = (id) => id): string {
  if (decision === null) return 'no handoff';
  const who =
    decision.assignee !== null
      ? decision.outcome === 'kept_owner'
        ? `kept with ${name(decision.assignee)}`
        : `assigned to ${name(decision.assignee)}`
      : 'unassigned, waiting';
  return `${decision.rule} → ${destinationText(decision.destination)}, ${who}`;
}

const FIELD_LABELS: Record<ReplayField, string> = {
  trigger: 'trigger',
  rule: 'rule',
  destination: 'destination',
  assignment: 'assignment',
  assignee: 'assignee',
  customerMessages: 'customer message',
  notifications: 'notifications',
  tasks: 'tasks',
};

export function changedFieldsText(fields: readonly ReplayField[]): string {
  return fields.length === 0 ? 'nothing' : fields.map((f) => FIELD_LABELS[f]).join(', ');
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * "12 of 340 conversations would change (3 skipped)". The figures count handoffs; when some
 * conversations were handed off more than once in the range the sentence says handoffs.
 */
export function summarySentence(summary: ReplaySummary): string {
  const handoffs = summary.replayed + summary.skipped;
  const skipped = summary.skipped > 0 ? ` (${summary.skipped} skipped)` : '';
  if (handoffs === 0) return 'No conversation was handed off in these dates.';
  if (handoffs === summary.conversations)
    return `${summary.changed} of ${plural(handoffs, 'conversation', 'conversations')} would change${skipped}`;
  return `${summary.changed} of ${plural(handoffs, 'handoff', 'handoffs')} (in ${plural(summary.conversations, 'conversation', 'conversations')}) would change${skipped}`;
}

/** "just now", "2 min ago", "3 h ago", "2 days ago". */
export function agoText(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return plural(Math.floor(hours / 24), 'day ago', 'days ago');
}

/** A ruleset as a string that is equal for equal rulesets, whatever the order of object keys. */
export function rulesetKey(ruleset: unknown): string {
  return JSON.stringify(ruleset, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/** The last test run in this browser: which draft it tried, when, over which dates, and what it found. */
export interface LastReplay {
  readonly draftKey: string;
  readonly ranAt: number;
  readonly from: string;
  readonly to: string;
  readonly summary: ReplaySummary;
}

export type ReplayFreshness = 'none' | 'fresh' | 'stale';

/** Whether the last test tried exactly the draft about to be published. */
export function replayFreshness(last: LastReplay | null, draftKey: string): ReplayFreshness {
  if (last === null) return 'none';
  return last.draftKey === draftKey ? 'fresh' : 'stale';
}

/** The line the publish form shows: what the last test found, or that there was none. */
export function lastTestText(last: LastReplay | null, draftKey: string, now: number): string {
  const freshness = replayFreshness(last, draftKey);
  if (last === null || freshness === 'none') return 'Not tested against past conversations.';
  const found =
    last.summary.replayed + last.summary.skipped === 0
      ? `Last test: no conversation was handed off from ${last.from} to ${last.to}, run ${agoText(last.ranAt, now)}`
      : `Last test: ${summarySentence(last.summary)}, run ${agoText(last.ranAt, now)}`;
  return freshness === 'fresh'
    ? `${found}.`
    : `${found}, on an earlier draft: the draft changed since, so the result is stale. Test again before publishing.`;
}
