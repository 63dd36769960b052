import type { Executor } from '../database.js';
import { preparedQuery, type PreparedQuery } from '../prepared.js';
import type { ConversationEventRow, MessageRow } from '../schema.js';

export type SeqPageParams = {
  readonly conversationId: string;
  readonly afterSeq: number;
  /** Ignored unless the page is bounded above. */
  readonly throughSeq: number;
  readonly limit: number;
};

interface Rows {
  readonly conversation_events: ConversationEventRow;
  readonly messages: MessageRow;
}

/**
 * A page of one conversation's records numbered by `seq` (events, messages), in seq order:
 * after `afterSeq`, up to `throughSeq` when `through`, at most `limit`; messages without
 * internal notes when `publicOnly`. One prepared query per shape.
 */
export function seqPage<T extends keyof Rows>(table: T, shape: { readonly through: boolean; readonly publicOnly?: T extends 'messages' ? boolean : never }): PreparedQuery<SeqPageParams, Rows[T]> {
  return preparedQuery((db: Executor, p: SeqPageParams) =>
    db
      // Typed as messages (the table with every column used here); events never filter on `private`.
      .selectFrom(table as 'messages')
      .selectAll()
      .where('conversation_id', '=', p.conversationId)
      .where('seq', '>', p.afterSeq)
      .$if(shape.through, (q) => q.where('seq', '<=', p.throughSeq))
      .$if(shape.publicOnly === true, (q) => q.where('private', '=', 0))
      .orderBy('seq')
      .limit(p.limit),
  ) as unknown as PreparedQuery<SeqPageParams, Rows[T]>;
}
