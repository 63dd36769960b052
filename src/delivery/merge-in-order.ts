import type { ConversationEventRecord } from '../store/repositories/events.js';
import type { MessageRecord } from '../store/repositories/messages.js';

export type PublishedRecord = { readonly kind: 'event'; readonly event: ConversationEventRecord } | { readonly kind: 'message'; readonly message: MessageRecord };

/**
 * Merge a conversation's events and messages, each already in its own seq order (never reordered:
 * a clock that stepped back must not swap two events), by time; events first within an instant.
 * The realtime stream's order, and the order in which the publish job hands records to subscribers.
 */
export function mergeInOrder(events: readonly ConversationEventRecord[], messages: readonly MessageRecord[]): PublishedRecord[] {
  const out: PublishedRecord[] = [];
  let e = 0;
  let m = 0;
  while (e < events.length || m < messages.length) {
    const event = events[e];
    const message = messages[m];
    if (event !== undefined && (message === undefined || event.createdAt <= message.createdAt)) {
      out.push({ kind: 'event', event });
      e += 1;
    } else if (message !== undefined) {
      out.push({ kind: 'message', message });
      m += 1;
    }
  }
  return out;
}
