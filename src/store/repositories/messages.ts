import { sql } from 'kysely';
import type { MessageAuthor } from '../../contract/common.js';
import type { Executor } from '../database.js';
import { withTransaction } from '../database.js';
import { fromIntBool, fromJsonOr, toIntBool, toJson } from '../json.js';
import type { MessageRow } from '../schema.js';
import { enqueue } from './outbox.js';
import { preparedQuery } from '../prepared.js';
import { keepWhenCommitted } from './committed-records.js';
import { notePublished, publicationCte } from './publications.js';
import { isSqlite } from '../transactions/savepoints.js';
import { seqPage } from './seq-page.js';
import { createId } from '../../platform/runtime.js';

export interface MessageRecord {
  readonly id: string;
  readonly conversationId: string;
  /** 1, 2, 3 … per conversation, in the order written; clients resume with `after=<seq>`. */
  readonly seq: number;
  readonly author: MessageAuthor;
  readonly authorId: string | null;
  readonly body: string;
  /** An internal note: never shown to the customer. */
  readonly private: boolean;
  readonly externalId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

export function rowToMessage(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    author: row.author as MessageAuthor,
    authorId: row.author_id,
    body: row.body,
    private: fromIntBool(row.private),
    externalId: row.external_id,
    data: fromJsonOr<Record<string, unknown>>(row.data, {}),
    createdAt: row.created_at,
  };
}

export interface NewMessage {
  readonly id?: string;
  readonly conversationId: string;
  readonly author: MessageAuthor;
  readonly authorId?: string | null;
  readonly body: string;
  readonly private?: boolean;
  readonly externalId?: string | null;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly now: number;
}

function messageCounter(humanReply: boolean) {
  return preparedQuery((db, p: { now: number; id: string }) =>
    db
      .updateTable('conversations')
      .set((eb) => ({
        last_message_seq: eb('last_message_seq', '+', 1),
        last_activity_at: p.now,
        updated_at: p.now,
        ...(humanReply && {
          first_human_response_at: sql<number | null>`coalesce(first_human_response_at, case when handed_off_at is not null then cast(${p.now} as bigint) else null end)`,
        }),
      }))
      .where('id', '=', p.id)
      .returning(['last_message_seq', 'channel_type']),
  );
}
const nextMessageSeq = messageCounter(false);
const nextMessageSeqOnHumanReply = messageCounter(true);

const insertMessage = preparedQuery((db, p: MessageRow) =>
  db.insertInto('messages').values({
    id: p.id,
    conversation_id: p.conversation_id,
    seq: p.seq,
    author: p.author,
    author_id: p.author_id,
    body: p.body,
    private: p.private,
    external_id: p.external_id,
    data: p.data,
    created_at: p.created_at,
  }),
);

/**
 * Append a message with the conversation's next sequence number. The number comes from a
 * counter on the conversation row, incremented by an UPDATE that holds the row until commit,
 * so two writers never get the same number and numbers follow commit order per conversation
 * (CW PR #13713: clients apply in order and resume by sequence).
 *
 * The same UPDATE moves `last_activity_at` and, for the first public reply by a user since the
 * latest handoff, sets `first_human_response_at` — every reply path measures the human clock
 * (CW #8477, PR #12058). Returns null when the conversation does not exist.
 */
export async function appendMessage(ex: Executor, input: NewMessage): Promise<MessageRecord | null> {
  const isPrivate = input.private ?? false;
  const humanReply = input.author === 'user' && !isPrivate;
  return withTransaction(ex, async (trx) => {
    const id = input.id ?? createId();
    const data = toJson(input.data ?? {});
    let counter: { readonly last_message_seq: number; readonly channel_type: string } | undefined;
    if (isSqlite(trx)) {
      counter = await (humanReply ? nextMessageSeqOnHumanReply : nextMessageSeq).first(trx, { now: input.now, id: input.conversationId });
      if (counter === undefined) return null;
      await insertMessage.run(trx, rowOf(input, id, counter.last_message_seq, isPrivate, data));
      // As for events: the outbox row that realtime delivery hangs off, committed with the message.
      await notePublished(trx, { conversationId: input.conversationId, record: 'message', seq: counter.last_message_seq, now: input.now });
    } else {
      counter = await appendInOneStatement(trx, input, id, isPrivate, humanReply, data);
      if (counter === undefined) return null;
    }
    const row = rowOf(input, id, counter.last_message_seq, isPrivate, data);
    // On an email conversation what the customer should read goes out as an email reply: enqueued
    // here, in the message's transaction, so every path that speaks to the customer (an agent's
    // reply, the AI agent's answer, the handoff's message, a check-in) sends it, and none twice.
    if (counter.channel_type === 'email' && isEmailedToCustomer(input.author, isPrivate, input.data)) {
      await enqueue(trx, {
        kind: EMAIL_REPLY_JOB,
        idempotencyKey: `${input.conversationId}:${EMAIL_REPLY_JOB}:${row.seq}`,
        payload: { conversationId: input.conversationId, seq: row.seq },
        now: input.now,
      });
    }
    const record = rowToMessage(row);
    // For the publish job, in place of reading the row back (committed-records.ts).
    keepWhenCommitted(trx, 'messages', [record]);
    return record;
  });
}

function rowOf(input: NewMessage, id: string, seq: number, isPrivate: boolean, data: string): MessageRow {
  return {
    id,
    conversation_id: input.conversationId,
    seq,
    author: input.author,
    author_id: input.authorId ?? null,
    body: input.body,
    private: toIntBool(isPrivate),
    external_id: input.externalId ?? null,
    data,
    created_at: input.now,
  };
}

/**
 * PostgreSQL: the counter UPDATE, the row and its publish note (publications.ts `publicationCte`)
 * in one statement — the same writes as the SQLite path's three.
 */
async function appendInOneStatement(
  trx: Executor,
  input: NewMessage,
  id: string,
  isPrivate: boolean,
  humanReply: boolean,
  data: string,
): Promise<{ last_message_seq: number; channel_type: string } | undefined> {
  const publication = publicationCte(trx, { conversationId: input.conversationId, record: 'message', now: input.now });
  const firstHuman = humanReply
    ? sql`, first_human_response_at = coalesce(first_human_response_at, case when handed_off_at is not null then ${input.now}::bigint else null end)`
    : sql``;
  const result = await sql<{ first: number; last: number; channel_type: string; published: string | null }>`with s as (
      update conversations set last_message_seq = last_message_seq + 1, last_activity_at = ${input.now}::bigint, updated_at = ${input.now}::bigint${firstHuman}
      where id = ${input.conversationId}
      returning last_message_seq as first, last_message_seq as last, channel_type
    ), ins as (
      insert into messages (id, conversation_id, seq, author, author_id, body, private, external_id, data, created_at)
      select ${id}, ${input.conversationId}, s.last, ${input.author}, ${input.authorId ?? null}, ${input.body}, ${toIntBool(isPrivate)}::int, ${input.externalId ?? null}, ${data}, ${input.now}::bigint from s
    )${publication === null ? sql`` : sql`, ${publication.cte}`}
    select s.*, ${publication === null ? sql`null` : sql`(select id from pub)`} as published from s`.execute(trx);
  const state = result.rows[0];
  if (state === undefined) return undefined;
  if (publication === null) await notePublished(trx, { conversationId: input.conversationId, record: 'message', seq: state.last, now: input.now });
  else await publication.settle(state.published, state.last, state.last);
  return { last_message_seq: state.last, channel_type: state.channel_type };
}

/**
 * The outbox kind that sends one message of an email conversation to the customer
 * (delivery/email-reply-job.ts). A `deliver.*` kind, so a reply that failed is in the deliveries
 * list for a person to see and retry (repositories/deliveries.ts).
 */
export const EMAIL_REPLY_JOB = 'deliver.email_reply';

/**
 * System notices that make sense in a chat window but not as an email of their own: "Ana joined",
 * "you are with the assistant again", and the SLA's offer to follow up by email — which, on email,
 * is what is happening anyway.
 */
const CHAT_ONLY_NOTICES: ReadonlySet<unknown> = new Set(['joined', 'handback', 'sla_follow_up_offer']);

/** Internal notes never leave; the customer's own messages are not sent back to them. */
export function isEmailedToCustomer(author: MessageAuthor, isPrivate: boolean, data: Readonly<Record<string, unknown>> | undefined): boolean {
  if (isPrivate || author === 'contact') return false;
  return !(author === 'system' && CHAT_ONLY_NOTICES.has(data?.kind));
}

export interface MessageQuery {
  /** Only messages with seq greater than this (default 0: from the start). */
  readonly afterSeq?: number;
  /** Only messages with seq up to this one (default: no bound). */
  readonly throughSeq?: number;
  /** Default 200. */
  readonly limit?: number;
  /** Internal notes are left out unless asked for: customer-facing reads must never see them. */
  readonly includePrivate?: boolean;
}

/** In sequence order. */
export async function listMessages(ex: Executor, conversationId: string, query: MessageQuery = {}): Promise<MessageRecord[]> {
  const page = messagePages[query.throughSeq !== undefined ? 1 : 0]![query.includePrivate === true ? 1 : 0]!;
  const rows = await page.all(ex, {
    conversationId,
    afterSeq: query.afterSeq ?? 0,
    throughSeq: query.throughSeq ?? 0,
    limit: Math.max(1, Math.min(query.limit ?? 200, 1_000)),
  });
  return rows.map(rowToMessage);
}

/** listMessages' four shapes: [bounded above][with internal notes]. */
const messagePages = [false, true].map((through) => [false, true].map((withPrivate) => seqPage('messages', { through, publicOnly: !withPrivate })));

/** The latest `limit` messages, oldest first (the transcript shown with a handoff). */
export async function listRecentMessages(
  ex: Executor,
  conversationId: string,
  options: { readonly limit: number; readonly includePrivate?: boolean },
): Promise<MessageRecord[]> {
  const latest = latestMessages[options.includePrivate === true ? 1 : 0]!;
  return (await latest.all(ex, { conversationId, limit: Math.max(1, options.limit) })).map(rowToMessage).reverse();
}

/** listRecentMessages' two shapes: [with internal notes]. */
const latestMessages = [false, true].map((includePrivate) =>
  preparedQuery((db, p: { conversationId: string; limit: number }) =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', p.conversationId)
      .$if(!includePrivate, (q) => q.where('private', '=', 0))
      .orderBy('seq', 'desc')
      .limit(p.limit),
  ),
);

/** For e-mail threading (In-Reply-To / References) and Bot Framework activity ids. */
export async function findMessageByExternalId(ex: Executor, externalId: string): Promise<MessageRecord | null> {
  const row = await ex
    .selectFrom('messages')
    .selectAll()
    .where('external_id', '=', externalId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : rowToMessage(row);
}

/** The conversation's message `seq` (private ones included), or null. */
export async function findMessageBySeq(ex: Executor, conversationId: string, seq: number): Promise<MessageRecord | null> {
  const row = await ex.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('seq', '=', seq).executeTakeFirst();
  return row === undefined ? null : rowToMessage(row);
}

/** What an inbox row shows of a conversation's messages (issue 16 §4 "list rows"). */
export interface ConversationActivity {
  /** The latest message other than a system notice (a note included), or null. */
  readonly lastMessage: MessageRecord | null;
  /**
   * When the customer's oldest message after the latest public reply (a person's or the AI
   * agent's) was written: null when every customer message has had one.
   */
  readonly unansweredSince: number | null;
}

/**
 * Per conversation, its latest message and its oldest unanswered customer message: two queries
 * for a whole page, each a max(seq) per conversation read on the (conversation_id, seq) key.
 */
export async function conversationActivity(ex: Executor, conversationIds: readonly string[]): Promise<Map<string, ConversationActivity>> {
  const activity = new Map<string, { lastMessage: MessageRecord | null; unansweredSince: number | null }>();
  if (conversationIds.length === 0) return activity;
  for (const id of conversationIds) activity.set(id, { lastMessage: null, unansweredSince: null });
  const latest = await ex
    .selectFrom('messages as m')
    .selectAll('m')
    .where('m.conversation_id', 'in', conversationIds)
    .where('m.seq', '=', (eb) =>
      eb
        .selectFrom('messages as l')
        .select((inner) => inner.fn.max('l.seq').as('seq'))
        .whereRef('l.conversation_id', '=', 'm.conversation_id')
        .where('l.author', '!=', 'system'),
    )
    .execute();
  for (const row of latest) {
    const entry = activity.get(row.conversation_id);
    if (entry !== undefined) entry.lastMessage = rowToMessage(row);
  }
  const unanswered = await ex
    .selectFrom('messages as m')
    .select((eb) => ['m.conversation_id', eb.fn.min('m.created_at').as('since')])
    .where('m.conversation_id', 'in', conversationIds)
    .where('m.author', '=', 'contact')
    .where('m.seq', '>', (eb) =>
      eb.fn.coalesce(
        eb
          .selectFrom('messages as r')
          .select((inner) => inner.fn.max('r.seq').as('seq'))
          .whereRef('r.conversation_id', '=', 'm.conversation_id')
          .where('r.author', 'in', ['user', 'assistant'])
          .where('r.private', '=', toIntBool(false)),
        eb.lit(0),
      ),
    )
    .groupBy('m.conversation_id')
    .execute();
  for (const row of unanswered) {
    const entry = activity.get(row.conversation_id);
    if (entry !== undefined && row.since !== null) entry.unansweredSince = Number(row.since);
  }
  return activity;
}
