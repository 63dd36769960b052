/**
 * Desktop alerts for "a conversation was assigned to you": which realtime frames deserve one, and
 * what it says. Pure, so the rules are unit tests (assignment-alerts.test.ts); the browser side
 * (permission, `new Notification`) is useAssignmentAlerts.ts.
 *
 * Once per assignment: each `conversation.assigned` frame has its own stream seq, so the key is
 * `conversationId:seq`, remembered. Never for old frames: the memory keeps the highest seq seen,
 * and `stream.ready` (which opens every connection with the seq it starts after) moves it too, so
 * frames at or below it — a replay after a reconnect, or the head of the stream on first connect —
 * never alert. Frames missed while the socket was down arrive after `?after=` with higher seqs:
 * those are new assignments the agent has not heard of, and do alert.
 */
import type { Conversation } from '../api.js';
import { TRIGGER_LABELS } from '../format.js';
import type { Frame } from '../state/inbox.js';

export interface AlertMemory {
  /** The highest seq seen on the stream; frames at or below it are old. */
  readonly afterSeq: number;
  /** Keys of assignments already alerted, newest last (bounded). */
  readonly shown: readonly string[];
}

export const emptyAlertMemory: AlertMemory = { afterSeq: 0, shown: [] };

export interface AssignmentAlert {
  /** `conversationId:seq`: also the Notification `tag`, so two open tabs show one alert. */
  readonly key: string;
  readonly conversationId: string;
  readonly seq: number;
}

/** How many alert keys are remembered (far more than arrive between two seqs moving on). */
const MAX_SHOWN = 200;

const isAssignmentTo = (frame: Frame, userId: string): boolean => {
  const { to, from, by } = frame.data;
  // `to` is the new owner; an agent who claims or takes a conversation themselves is not told.
  return to === userId && from !== userId && by !== userId;
};

/** The frames (in any order) that should raise a desktop alert for `userId`, and the memory after them. */
export function findAssignmentAlerts(frames: readonly Frame[], userId: string, memory: AlertMemory): { alerts: AssignmentAlert[]; memory: AlertMemory } {
  const ordered = [...frames].sort((a, b) => a.seq - b.seq);
  // A connection's frames all come after the seq its `stream.ready` names, whatever order a batch is in.
  let afterSeq = Math.max(memory.afterSeq, ...ordered.filter((f) => f.type === 'stream.ready').map((f) => f.seq));
  const shown = [...memory.shown];
  const alerts: AssignmentAlert[] = [];
  for (const frame of ordered) {
    // Typing frames carry the seq of the last stored frame: never news.
    if (frame.type === 'stream.ready' || frame.type === 'typing' || frame.seq <= afterSeq) continue;
    afterSeq = frame.seq;
    if (frame.type !== 'conversation.assigned' || frame.conversationId === null || !isAssignmentTo(frame, userId)) continue;
    const key = `${frame.conversationId}:${frame.seq}`;
    if (shown.includes(key)) continue;
    shown.push(key);
    alerts.push({ key, conversationId: frame.conversationId, seq: frame.seq });
  }
  return { alerts, memory: { afterSeq, shown: shown.slice(-MAX_SHOWN) } };
}

/** The alert's words: who (the customer as they named themselves), and about what. Plain text. */
export function describeAssignmentAlert(conversation: Conversation | null, channelName: string | null): { title: string; body: string } {
  if (conversation === null) return { title: 'A conversation was assigned to you', body: 'Open Baton to read it.' };
  const who = conversation.contact.name ?? conversation.contact.email ?? 'a customer';
  const subject = conversation.subject?.trim() ?? '';
  const why = conversation.handoff === null ? null : TRIGGER_LABELS[conversation.handoff.trigger];
  const body = subject !== '' ? subject : [channelName, why].filter((part): part is string => part !== null && part !== '').join(' · ');
  return { title: `Assigned to you: ${who}`, body: body === '' ? 'Open Baton to read it.' : body };
}

/** What the notification centre's control shows. */
export type DesktopAlertsStatus = 'unsupported' | 'ask' | 'denied' | 'on' | 'off';

/**
 * The control's state from the browser's permission and the agent's own choice (kept in
 * localStorage): granted but switched off is `off`; never asked is `ask`.
 */
export function desktopAlertsStatus(permission: NotificationPermission | null, choice: 'on' | 'off' | null): DesktopAlertsStatus {
  if (permission === null) return 'unsupported';
  if (permission === 'denied') return 'denied';
  if (permission === 'default') return 'ask';
  return choice === 'off' ? 'off' : 'on';
}
