import { sql } from 'kysely';
import type { Executor } from '../database.js';
import { fromJsonOr } from '../json.js';
import { isSqlite } from '../transactions/savepoints.js';

/**
 * Past handoffs for replay: the `handoff.completed` events of a time range, oldest first, read a
 * page at a time by a (created_at, id) keyset on the (type, created_at) index, so a long range
 * never sits in memory. Data is returned as stored (`unknown`, the service parses it), less the
 * trace's evaluation list and candidates: replay compares neither, and with a large ruleset they
 * are most of each row (a 500-rule workspace: ~27 of ~43 KB), so the database's JSON functions
 * drop them before the text reaches JavaScript's JSON.parse (bench/results/replay.md).
 */
export interface HandoffHistoryRecord {
  readonly id: string;
  readonly conversationId: string;
  readonly seq: number;
  readonly createdAt: number;
  readonly data: unknown;
}

/** Where the previous page ended. */
export interface HandoffHistoryPosition {
  readonly createdAt: number;
  readonly id: string;
}

export interface HandoffHistoryQuery {
  /** Inclusive, epoch ms. */
  readonly fromMs: number;
  /** Exclusive, epoch ms. */
  readonly toMs: number;
  /** Only conversations of this channel. */
  readonly channelId?: string;
  /** Only handoffs that went to this queue (the event's own queue snapshot). */
  readonly queueId?: string;
  readonly after?: HandoffHistoryPosition;
  /** At most 1,000 a page. */
  readonly limit: number;
}

/** The `handoff.completed` events of the range, with the query's queue and channel filters. */
function handoffsInRange(ex: Executor, query: Omit<HandoffHistoryQuery, 'after' | 'limit'>) {
  return ex
    .selectFrom('conversation_events as e')
    .where('e.type', '=', 'handoff.completed')
    .where('e.created_at', '>=', query.fromMs)
    .where('e.created_at', '<', query.toMs)
    .$if(query.queueId !== undefined, (q) => q.where('e.queue_id', '=', query.queueId!))
    .$if(query.channelId !== undefined, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('conversations as c')
            .select('c.id')
            .whereRef('c.id', '=', 'e.conversation_id')
            .where('c.channel_id', '=', query.channelId!),
        ),
      ),
    );
}

export async function listHandoffHistory(
  ex: Executor,
  query: HandoffHistoryQuery,
): Promise<HandoffHistoryRecord[]> {
  const limit = Math.max(1, Math.min(query.limit, 1_000));
  const after = query.after;
  const data = isSqlite(ex)
    ? sql<string>`json_remove(e.data, '$.trace.evaluated', '$.trace.candidates')`
    : sql<string>`((e.data::jsonb) #- '{trace,evaluated}' #- '{trace,candidates}')::text`;
  const rows = await handoffsInRange(ex, query)
    .select(['e.id', 'e.conversation_id', 'e.seq', 'e.created_at', data.as('data')])
    .$if(after !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('e.created_at', '>', after!.createdAt),
          eb.and([eb('e.created_at', '=', after!.createdAt), eb('e.id', '>', after!.id)]),
        ]),
      ),
    )
    .orderBy('e.created_at')
    .orderBy('e.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    createdAt: Number(row.created_at),
    data: fromJsonOr<unknown>(row.data, null),
  }));
}

/** How many distinct conversations were handed off in the range (with the same filters). */
export async function countHandedOffConversations(
  ex: Executor,
  query: Omit<HandoffHistoryQuery, 'after' | 'limit'>,
): Promise<number> {
  const row = await handoffsInRange(ex, query)
    .select((eb) => eb.fn.count<number | string>('e.conversation_id').distinct().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * How many handoffs the range holds (the rows `listHandoffHistory` pages through, with the same
 * filters): the total a progress bar counts towards, read by an index-only count before the pages.
 */
export async function countHandoffsInRange(
  ex: Executor,
  query: Omit<HandoffHistoryQuery, 'after' | 'limit'>,
): Promise<number> {
  const row = await handoffsInRange(ex, query)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
