import type { Executor } from '../../store/database.js';
import type { ConversationEventRecord } from '../../store/repositories/events.js';
import type { MessageRecord } from '../../store/repositories/messages.js';

/**
 * Reacts to what happened in a conversation, after commit, inside the job's transaction (so what
 * it writes — stream rows, delivery rows — commits with "done"). Must be idempotent: a job can
 * run twice after a crash.
 */
export interface Subscriber {
  readonly name: string;
  onEvent?(trx: Executor, event: ConversationEventRecord, now: number): Promise<void>;
  onMessage?(trx: Executor, message: MessageRecord, now: number): Promise<void>;
  /**
   * All the records one transaction wrote to one conversation (a `conversation.published` row:
   * contiguous seq ranges, each in order), at once, instead of `onEvent`/`onMessage` per record —
   * for a subscriber that would otherwise read them again.
   */
  onRecords?(trx: Executor, conversationId: string, records: PublishedRecords, now: number): Promise<void>;
}

export interface PublishedRecords {
  readonly events: readonly ConversationEventRecord[];
  readonly messages: readonly MessageRecord[];
}
