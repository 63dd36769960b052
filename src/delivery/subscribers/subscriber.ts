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
}
