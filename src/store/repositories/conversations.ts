import type { ChannelType, ConversationStatus, Priority } from '../../contract/common.js';
import { expressionBuilder, sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Dialect, Executor } from '../database.js';
import { preparedQuery } from '../prepared.js';
import { fromJsonOr, toJson } from '../json.js';
import type { ConversationRow, ConversationUpdate, DB } from '../schema.js';
import type { Properties } from './contacts.js';
import { createId } from '../../platform/runtime.js';

/**
 * Conversations: creation, reads, the inbox list and updates of everything that is *not*
 * routing state. Status, owner, team and queue are written only by ./assignments.ts
 * (the one writer) — `ConversationFieldsPatch` has no such fields on purpose.
 */

export interface ConversationRecord {
  readonly id: string;
  readonly channelId: string;
  readonly channelType: ChannelType;
  readonly contactId: string;
  readonly status: ConversationStatus;
  readonly ownerId: string | null;
  readonly teamId: string | null;
  readonly queueId: string | null;
  readonly priority: Priority;
  readonly tags: readonly string[];
  readonly properties: Properties;
  readonly language: string | null;
  readonly intent: string | null;
  readonly subject: string | null;
  readonly followers: readonly string[];
  readonly handedOffAt: number | null;
  readonly queuedAt: number | null;
  readonly firstResponseDueAt: number | null;
  /** First public reply by a user since the latest handoff (reset at each handoff). */
  readonly firstHumanResponseAt: number | null;
  readonly slaBreaches: number;
  readonly turnsWithoutProgress: number;
  readonly lastArticleId: string | null;
  /** Bumped by every change of status, owner, team or queue. */
  readonly version: number;
  readonly lastMessageSeq: number;
  readonly lastEventSeq: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastActivityAt: number;
  readonly resolvedAt: number | null;
  /** The latest rating (any resolution's). */
  readonly csatScore: number | null;
  readonly csatComment: string | null;
  /** The seq of the event of its latest resolution (null: never resolved). */
  readonly resolutionSeq: number | null;
  /** The resolution the latest rating belongs to: equal to `resolutionSeq`, this resolution is rated. */
  readonly csatResolutionSeq: number | null;
  /** The closed conversation this one follows (the customer wrote again after it closed). */
  readonly previousConversationId: string | null;
}

/** Statuses in which a conversation counts toward its owner's load (capacity, least busy). */
export const OPEN_STATUSES = ['assigned', 'waiting_on_customer'] as const satisfies readonly ConversationStatus[];

export function rowToConversation(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    channelId: row.channel_id,
    channelType: row.channel_type as ChannelType,
    contactId: row.contact_id,
    status: row.status as ConversationStatus,
    ownerId: row.owner_id,
    teamId: row.team_id,
    queueId: row.queue_id,
    priority: row.priority as Priority,
    tags: fromJsonOr<string[]>(row.tags, []),
    properties: fromJsonOr<Properties>(row.properties, {}),
    language: row.language,
    intent: row.intent,
    subject: row.subject,
    followers: fromJsonOr<string[]>(row.followers, []),
    handedOffAt: row.handed_off_at,
    queuedAt: row.queued_at,
    firstResponseDueAt: row.first_response_due_at,
    firstHumanResponseAt: row.first_human_response_at,
    slaBreaches: row.sla_breaches,
    turnsWithoutProgress: row.turns_without_progress,
    lastArticleId: row.last_article_id,
    version: row.version,
    lastMessageSeq: row.last_message_seq,
    lastEventSeq: row.last_event_seq,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastActivityAt: row.last_activity_at,
    resolvedAt: row.resolved_at,
    csatScore: row.csat_score,
    csatComment: row.csat_comment,
    resolutionSeq: row.resolution_seq ?? null,
    csatResolutionSeq: row.csat_resolution_seq ?? null,
    previousConversationId: row.previous_conversation_id ?? null,
  };
}

export interface NewConversation {
  readonly id?: string;
  readonly channelId: string;
  readonly channelType: ChannelType;
  readonly contactId: string;
  readonly priority?: Priority;
  readonly tags?: readonly string[];
  readonly properties?: Properties;
  readonly language?: string | null;
  readonly intent?: string | null;
  readonly subject?: string | null;
  readonly previousConversationId?: string | null;
  readonly now: number;
}

/**
 * A new conversation, with the AI agent (`bot`), no owner, no queue, version 1. Handing it to
 * people — even at once, on a channel without an assistant — goes through ./assignments.ts.
 */
export async function createConversation(ex: Executor, input: NewConversation): Promise<ConversationRecord> {
  const row = await insertConversation.first(ex, {
    id: input.id ?? createId(),
    channelId: input.channelId,
    channelType: input.channelType,
    contactId: input.contactId,
    priority: input.priority ?? 'normal',
    tags: toJson(input.tags ?? []),
    properties: toJson(input.properties ?? {}),
    language: input.language ?? null,
    intent: input.intent ?? null,
    subject: input.subject ?? null,
    previousConversationId: input.previousConversationId ?? null,
    now: input.now,
  });
  if (row === undefined) throw new Error('conversation insert returned no row');
  return rowToConversation(row);
}

const insertConversation = preparedQuery(
  (
    db,
    p: {
      id: string;
      channelId: string;
      channelType: string;
      contactId: string;
      priority: string;
      tags: string;
      properties: string;
      language: string | null;
      intent: string | null;
      subject: string | null;
      previousConversationId: string | null;
      now: number;
    },
  ) =>
    db
      .insertInto('conversations')
      .values({
        id: p.id,
        channel_id: p.channelId,
        channel_type: p.channelType,
        contact_id: p.contactId,
        status: 'bot',
        owner_id: null,
        team_id: null,
        queue_id: null,
        priority: p.priority,
        tags: p.tags,
        properties: p.properties,
        language: p.language,
        intent: p.intent,
        subject: p.subject,
        followers: '[]',
        handed_off_at: null,
        queued_at: null,
        first_response_due_at: null,
        first_human_response_at: null,
        last_article_id: null,
        version: 1,
        created_at: p.now,
        updated_at: p.now,
        last_activity_at: p.now,
        resolved_at: null,
        csat_score: null,
        csat_comment: null,
        resolution_seq: null,
        csat_resolution_seq: null,
        promised_wait_seconds: null,
        promised_at_position: null,
        previous_conversation_id: p.previousConversationId,
      })
      .returningAll(),
);

const conversationById = preparedQuery((db, p: { id: string }) => db.selectFrom('conversations').selectAll().where('id', '=', p.id));
const conversationByIdForUpdate = preparedQuery((db, p: { id: string }) => db.selectFrom('conversations').selectAll().where('id', '=', p.id).forUpdate());

/** The channel type of a conversation (what its owner's capacity is counted in); null when there is none. */
export async function getChannelTypeOf(ex: Executor, id: string): Promise<ChannelType | null> {
  const row = await ex.selectFrom('conversations').select('channel_type').where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : (row.channel_type as ChannelType);
}

export async function getConversation(ex: Executor, id: string): Promise<ConversationRecord | null> {
  const row = await conversationById.first(ex, { id });
  return row === undefined ? null : rowToConversation(row);
}

/**
 * Read the conversation and hold its row until the transaction ends (PostgreSQL
 * `FOR UPDATE`; SQLite's single writer already excludes everyone else). Use it at the top of a
 * use case that decides from the conversation and then writes, so that no other writer
 * changes it in between (CW PR #15524). Outside a transaction the lock ends with the statement.
 */
export async function getConversationForUpdate(ex: Executor, id: string): Promise<ConversationRecord | null> {
  const row = await conversationByIdForUpdate.first(ex, { id });
  return row === undefined ? null : rowToConversation(row);
}

export async function getConversations(ex: Executor, ids: readonly string[]): Promise<ConversationRecord[]> {
  if (ids.length === 0) return [];
  const rows = await ex.selectFrom('conversations').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToConversation);
}

// ── the inbox list ──────────────────────────────────────────────────────────────────────────────

/**
 * Two orders: `activity` (newest activity first, ties by id descending) and `queue` (the waiting
 * line as the assigner takes it: urgent first, then longest waiting since the handoff — or since
 * creation — then id ascending). A cursor is the position after the last item of a page, in the
 * order it was written for.
 */
export type ConversationOrder = 'activity' | 'queue';

export type ConversationCursor =
  | { readonly order: 'activity'; readonly lastActivityAt: number; readonly id: string }
  | { readonly order: 'queue'; readonly priorityRank: number; readonly waitingSince: number; readonly id: string };

/** The queue order's first key (the same CASE in SQL below). */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { urgent: 0, high: 1, normal: 2, low: 3 };

export function encodeConversationCursor(cursor: ConversationCursor): string {
  const value = cursor.order === 'activity' ? [cursor.lastActivityAt, cursor.id] : ['q', cursor.priorityRank, cursor.waitingSince, cursor.id];
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** null when `text` is not a cursor this module wrote (the HTTP layer answers 422). */
export function decodeConversationCursor(text: string): ConversationCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value)) return null;
    const parts = value as unknown[];
    if (parts.length === 2) {
      const [at, id] = parts;
      return isInt(at) && isId(id) ? { order: 'activity', lastActivityAt: at, id } : null;
    }
    if (parts.length === 4 && parts[0] === 'q') {
      const [, rank, since, id] = parts;
      return isInt(rank) && isInt(since) && isId(id) ? { order: 'queue', priorityRank: rank, waitingSince: since, id } : null;
    }
    return null;
  } catch {
    return null;
  }
}

export interface ConversationFilter {
  readonly status?: ConversationStatus | readonly ConversationStatus[];
  /**
   * Statuses left out. "Open" as `status not in (resolved, closed)` rather than the four open
   * statuses: SQLite then walks the activity index newest first and stops at the page, instead of
   * sorting every open conversation (EXPLAIN QUERY PLAN; the open are mostly the newest).
   */
  readonly statusNot?: readonly ConversationStatus[];
  readonly queueId?: string;
  /** One team, or any of several (an empty list matches nothing). */
  readonly teamId?: string | readonly string[];
  /** A user id, or null for conversations without an owner. */
  readonly ownerId?: string | null;
  readonly channelId?: string;
  readonly contactId?: string;
  readonly priority?: Priority;
  /** Conversations whose tags include this one (tags are a JSON array in text; see ../json.ts). */
  readonly tag?: { readonly value: string; readonly dialect: Dialect };
}

export interface ConversationListOptions extends ConversationFilter {
  /** Default `activity`. */
  readonly order?: ConversationOrder;
  readonly after?: ConversationCursor;
  /** Default 50. */
  readonly limit?: number;
}

export interface ConversationPage {
  readonly items: ConversationRecord[];
  /** null on the last page. */
  readonly nextCursor: ConversationCursor | null;
}

const priorityRankSql = sql<number>`case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;
const waitingSinceSql = sql<number>`coalesce(handed_off_at, created_at)`;

export type ConversationExpressions = ExpressionBuilder<DB, 'conversations'>;

/** The filter as conditions; null when it can match nothing (an empty status or team list). */
export function filterConditions(eb: ConversationExpressions, filter: ConversationFilter): Expression<SqlBool>[] | null {
  const out: Expression<SqlBool>[] = [];
  if (filter.status !== undefined) {
    const statuses: readonly ConversationStatus[] = typeof filter.status === 'string' ? [filter.status] : filter.status;
    if (statuses.length === 0) return null;
    out.push(eb('status', 'in', statuses));
  }
  if (filter.statusNot !== undefined && filter.statusNot.length > 0) out.push(eb('status', 'not in', filter.statusNot));
  if (filter.queueId !== undefined) out.push(eb('queue_id', '=', filter.queueId));
  if (filter.teamId !== undefined) {
    const teams: readonly string[] = typeof filter.teamId === 'string' ? [filter.teamId] : filter.teamId;
    if (teams.length === 0) return null;
    out.push(eb('team_id', 'in', teams));
  }
  if (filter.ownerId !== undefined) out.push(filter.ownerId === null ? eb('owner_id', 'is', null) : eb('owner_id', '=', filter.ownerId));
  if (filter.channelId !== undefined) out.push(eb('channel_id', '=', filter.channelId));
  if (filter.contactId !== undefined) out.push(eb('contact_id', '=', filter.contactId));
  if (filter.priority !== undefined) out.push(eb('priority', '=', filter.priority));
  const tag = filter.tag;
  if (tag !== undefined) {
    // Exact membership, not a substring match: SQLite walks the array with json_each; PostgreSQL
    // compares as jsonb containment.
    out.push(
      tag.dialect === 'sqlite'
        ? sql<SqlBool>`exists (select 1 from json_each(conversations.tags) where json_each.value = ${tag.value})`
        : sql<SqlBool>`conversations.tags::jsonb @> ${JSON.stringify([tag.value])}::jsonb`,
    );
  }
  return out;
}

/** Keyset-paginated, in `order` (see ConversationOrder). */
export async function listConversations(ex: Executor, options: ConversationListOptions = {}): Promise<ConversationPage> {
  const limit = Math.max(1, Math.min(options.limit ?? 50, 500));
  const order = options.order ?? 'activity';
  const base = ex.selectFrom('conversations').selectAll().limit(limit + 1);
  const ordered =
    order === 'activity'
      ? base.orderBy('last_activity_at', 'desc').orderBy('id', 'desc')
      : base.orderBy(priorityRankSql, 'asc').orderBy(waitingSinceSql, 'asc').orderBy('id', 'asc');
  const conditions = filterConditions(expressionBuilder<DB, 'conversations'>(), options);
  if (conditions === null) return { items: [], nextCursor: null };
  let query = conditions.length === 0 ? ordered : ordered.where((eb) => eb.and(conditions));
  const after = options.after;
  if (after !== undefined) {
    if (after.order !== order) throw new Error(`a ${after.order} cursor cannot page the ${order} order`);
    query =
      after.order === 'activity'
        ? // A row-value comparison, so SQLite seeks the activity index to the cursor instead of scanning from the top.
          query.where((eb) => eb(eb.refTuple('last_activity_at', 'id'), '<', eb.tuple(after.lastActivityAt, after.id)))
        : query.where((eb) =>
            eb.or([
              eb(priorityRankSql, '>', after.priorityRank),
              eb.and([eb(priorityRankSql, '=', after.priorityRank), eb(waitingSinceSql, '>', after.waitingSince)]),
              eb.and([eb(priorityRankSql, '=', after.priorityRank), eb(waitingSinceSql, '=', after.waitingSince), eb('id', '>', after.id)]),
            ]),
          );
  }
  const rows = await query.execute();
  const items = rows.slice(0, limit).map(rowToConversation);
  const last = items[items.length - 1];
  const nextCursor: ConversationCursor | null =
    rows.length <= limit || last === undefined
      ? null
      : order === 'activity'
        ? { order, lastActivityAt: last.lastActivityAt, id: last.id }
        : { order, priorityRank: PRIORITY_RANK[last.priority], waitingSince: last.handedOffAt ?? last.createdAt, id: last.id };
  return { items, nextCursor };
}

/** How many conversations match the filter. */
export async function countConversations(ex: Executor, filter: ConversationFilter): Promise<number> {
  const conditions = filterConditions(expressionBuilder<DB, 'conversations'>(), filter);
  if (conditions === null) return 0;
  const query = ex.selectFrom('conversations').select((eb) => eb.fn.countAll<number | string | bigint>().as('n'));
  const row = await (conditions.length === 0 ? query : query.where((eb) => eb.and(conditions))).executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ── updates of non-routing fields ───────────────────────────────────────────────────────────────

export interface ConversationFieldsPatch {
  readonly priority?: Priority;
  readonly tags?: readonly string[];
  /** Replaces the whole property map. */
  readonly properties?: Properties;
  readonly language?: string | null;
  readonly intent?: string | null;
  readonly subject?: string | null;
  readonly followers?: readonly string[];
  readonly handedOffAt?: number | null;
  /** Normally set by ./assignments.ts when the conversation enters a queue. */
  readonly queuedAt?: number | null;
  readonly firstResponseDueAt?: number | null;
  readonly firstHumanResponseAt?: number | null;
  readonly slaBreaches?: number;
  readonly turnsWithoutProgress?: number;
  readonly lastArticleId?: string | null;
  readonly lastActivityAt?: number;
  readonly csatScore?: number | null;
  readonly csatComment?: string | null;
  readonly resolutionSeq?: number | null;
  readonly csatResolutionSeq?: number | null;
  /** Set by each handoff: what it told the customer (`expectedWaitSeconds`, `queuePosition` of its trace). */
  readonly promisedWaitSeconds?: number | null;
  readonly promisedAtPosition?: number | null;
}

/** The column values for a patch (also used by ./assignments.ts to write them in its one UPDATE). */
export function patchToColumns(patch: ConversationFieldsPatch): ConversationUpdate {
  const set: ConversationUpdate = {};
  if (patch.priority !== undefined) set.priority = patch.priority;
  if (patch.tags !== undefined) set.tags = toJson(patch.tags);
  if (patch.properties !== undefined) set.properties = toJson(patch.properties);
  if (patch.language !== undefined) set.language = patch.language;
  if (patch.intent !== undefined) set.intent = patch.intent;
  if (patch.subject !== undefined) set.subject = patch.subject;
  if (patch.followers !== undefined) set.followers = toJson(patch.followers);
  if (patch.handedOffAt !== undefined) set.handed_off_at = patch.handedOffAt;
  if (patch.queuedAt !== undefined) set.queued_at = patch.queuedAt;
  if (patch.firstResponseDueAt !== undefined) set.first_response_due_at = patch.firstResponseDueAt;
  if (patch.firstHumanResponseAt !== undefined) set.first_human_response_at = patch.firstHumanResponseAt;
  if (patch.slaBreaches !== undefined) set.sla_breaches = patch.slaBreaches;
  if (patch.turnsWithoutProgress !== undefined) set.turns_without_progress = patch.turnsWithoutProgress;
  if (patch.lastArticleId !== undefined) set.last_article_id = patch.lastArticleId;
  if (patch.lastActivityAt !== undefined) set.last_activity_at = patch.lastActivityAt;
  if (patch.csatScore !== undefined) set.csat_score = patch.csatScore;
  if (patch.csatComment !== undefined) set.csat_comment = patch.csatComment;
  if (patch.resolutionSeq !== undefined) set.resolution_seq = patch.resolutionSeq;
  if (patch.csatResolutionSeq !== undefined) set.csat_resolution_seq = patch.csatResolutionSeq;
  if (patch.promisedWaitSeconds !== undefined) set.promised_wait_seconds = patch.promisedWaitSeconds;
  if (patch.promisedAtPosition !== undefined) set.promised_at_position = patch.promisedAtPosition;
  return set;
}

/**
 * Update fields other than routing state. Does not bump `version`: a message or a tag does not
 * invalidate an assignment decided meanwhile (a routing-relevant change such as priority
 * `urgent` fires its own `workflow_flag` handoff, which is decided afresh).
 * Returns null when the conversation does not exist.
 */
export async function updateConversation(
  ex: Executor,
  id: string,
  patch: ConversationFieldsPatch,
  now: number,
): Promise<ConversationRecord | null> {
  const row = await ex
    .updateTable('conversations')
    .set({ ...patchToColumns(patch), updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : rowToConversation(row);
}

// ── what the latest handoff promised ────────────────────────────────────────────────────────────

/** What a handoff promised the customer: the expected wait (seconds) at which queue position. */
export interface HandoffPromise {
  readonly seconds: number | null;
  readonly atPosition: number | null;
}

/**
 * The promise of each conversation's latest handoff — the expected wait and place in line its
 * customer was told — from the two columns the handoff's own UPDATE writes (migration
 * 2026-12-03-handoff-promise). The realtime publisher asks this for every customer whose place
 * moves in a line (~100 per claim in a line of 1,000); taking them out of each latest trace's
 * JSON cost a claim dearly (bench/results/handoff-profile.md). Conversations never handed off
 * are absent.
 */
export async function latestHandoffPromises(ex: Executor, conversationIds: readonly string[]): Promise<Map<string, HandoffPromise>> {
  const out = new Map<string, HandoffPromise>();
  const unique = [...new Set(conversationIds)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await ex
      .selectFrom('conversations')
      .select(['id', 'promised_wait_seconds', 'promised_at_position'])
      .where('id', 'in', unique.slice(i, i + 500))
      .where('handed_off_at', 'is not', null)
      .execute();
    for (const row of rows) out.set(row.id, { seconds: numberOrNull(row.promised_wait_seconds), atPosition: numberOrNull(row.promised_at_position) });
  }
  return out;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
