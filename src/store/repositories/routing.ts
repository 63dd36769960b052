/**
 * The live state the router decides on: agents' status and open load, queue statistics, and
 * the backlog of waiting conversations.
 */
import { sql, type SqlBool } from 'kysely';
import type { Availability, ChannelType } from '../../contract/common.js';
import type { Executor } from '../database.js';
import { preparedQuery } from '../prepared.js';
import { latestHandoffPromises, rowToConversation, type ConversationRecord, type HandoffPromise } from './conversations.js';
import { readAgentStateRows } from './agent-state-rows.js';

/** One agent's live state as stored (routing's AgentState has this shape). */
export interface AgentStateRecord {
  readonly userId: string;
  readonly status: Availability;
  /** Open conversations owned now, per channel type. */
  readonly load: Partial<Record<ChannelType, number>>;
  readonly lastAssignedAt: number | null;
}

/** A place's line and recent speed as stored (routing's QueueStats has this shape). */
export interface QueueStatsRecord {
  /** Conversations waiting in this queue (or on this team) right now, not counting the one deciding. */
  readonly waiting: number;
  /** Median seconds from handoff to first human reply over recent conversations; null when unknown. */
  readonly recentFirstResponseSeconds: number | null;
}


/** Urgent first (PEERS "oldest or highest priority first"). */
const priorityRank = sql<number>`case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

/** From this many users on, the state tables are read whole (and kept, ./agent-state-rows.ts). */
const WHOLE_TABLE_AT = 16;

/**
 * For each user: availability (their `user_state` row, else `initialStatus` — the workspace
 * document's `status`), open load per channel type — conversations they own *now* in
 * `assigned` or `waiting_on_customer`, not conversations ever routed to them (RC #13134) — and
 * when they were last assigned (ties in least busy go to whoever waited longest).
 * Every requested user is in the map.
 *
 * The load is the `open_loads` counter the one writer keeps (./assignments.ts): a few rows per
 * user by primary key, where grouping the team's open conversations grew with them
 * (bench/results/handoff-profile.md), read through ./agent-state-rows.ts.
 */
export async function loadAgentStates(
  ex: Executor,
  userIds: readonly string[],
  options: { readonly initialStatus?: (userId: string) => Availability } = {},
): Promise<Map<string, AgentStateRecord>> {
  const initialStatus = options.initialStatus ?? ((): Availability => 'available');
  // Most of the desk (a handoff reads everyone): both tables whole, without binding an `in`
  // list of every id; a few users: theirs by id.
  const rows = await readAgentStateRows(ex, userIds.length >= WHOLE_TABLE_AT ? undefined : userIds);
  const states = new Map<string, AgentStateRecord>();
  for (const userId of userIds) {
    if (states.has(userId)) continue;
    const row = rows.get(userId);
    states.set(userId, {
      userId,
      status: (row?.status ?? initialStatus(userId)) as Availability,
      load: row?.load ?? {},
      lastAssignedAt: row?.lastAssignedAt ?? null,
    });
  }
  return states;
}

const OPEN_LOAD_OF = preparedQuery((db, p: { userId: string; channelType: string }) =>
  db.selectFrom('open_loads').select('open').where('user_id', '=', p.userId).where('channel_type', '=', p.channelType),
);

/**
 * Open conversations `userId` owns on `channelType`, from the `open_loads` counter. Read under
 * the agent's lock by the capacity check (./assignments.ts), it includes every assignment to
 * them committed before.
 */
export async function openLoadOf(ex: Executor, userId: string, channelType: ChannelType): Promise<number> {
  const row = await OPEN_LOAD_OF.first(ex, { userId, channelType });
  return row?.open ?? 0;
}

export type QueueTarget = { readonly queueId: string } | { readonly teamId: string };

function targetFilter(target: QueueTarget): ['queue_id' | 'team_id', string] {
  return 'queueId' in target ? ['queue_id', target.queueId] : ['team_id', target.teamId];
}

/**
 * Waiting conversations in a queue (or on a team) and the median first response after handoff
 * over its most recent `sampleSize` answered handoffs (default 50), for the expected wait.
 */
export async function queueStats(
  ex: Executor,
  target: QueueTarget,
  options: { readonly excludeConversationId?: string; readonly sampleSize?: number } = {},
): Promise<QueueStatsRecord> {
  const [column, id] = targetFilter(target);
  let waitingQuery = ex
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '=', 'queued')
    .where(column, '=', id);
  if (options.excludeConversationId !== undefined) waitingQuery = waitingQuery.where('id', '<>', options.excludeConversationId);
  const waiting = Number((await waitingQuery.executeTakeFirst())?.count ?? 0);

  const samples = await firstResponseSamplesQuery(ex, target, options.sampleSize ?? 50).execute();
  const seconds = samples
    .map((s) => ((s.first_human_response_at ?? 0) - (s.handed_off_at ?? 0)) / 1000)
    .filter((v) => v >= 0)
    .sort((a, b) => a - b);
  return { waiting, recentFirstResponseSeconds: median(seconds) };
}

/**
 * The place's latest answered handoffs, newest first response first: the last entries of one
 * range of a partial index (migration 2026-12-10-first-response-indexes), not a scan of every
 * conversation (test/integration/queue-stats-index.test.ts checks the plan).
 */
export function firstResponseSamplesQuery(ex: Executor, target: QueueTarget, sampleSize: number) {
  const [column, id] = targetFilter(target);
  return ex
    .selectFrom('conversations')
    .select(['handed_off_at', 'first_human_response_at'])
    .where(column, '=', id)
    .where('first_human_response_at', 'is not', null)
    .where('handed_off_at', 'is not', null)
    .orderBy('first_human_response_at', 'desc')
    .limit(Math.max(1, sampleSize));
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return value === undefined ? null : Math.round(value);
}

/**
 * Conversations waiting for an owner (`queued`), urgent first, then oldest in the queue — the
 * order in which the backlog sweep and "an agent became available" assign them (CW #10583).
 */
export async function listWaiting(
  ex: Executor,
  options: { readonly limit: number; readonly queueIds?: readonly string[]; readonly teamIds?: readonly string[] },
): Promise<ConversationRecord[]> {
  let q = ex
    .selectFrom('conversations')
    .selectAll()
    .where('status', '=', 'queued')
    .orderBy(priorityRank)
    .orderBy('queued_at')
    .orderBy('id')
    .limit(Math.max(1, options.limit));
  const { queueIds, teamIds } = options;
  if (queueIds !== undefined && teamIds !== undefined) {
    if (queueIds.length === 0 && teamIds.length === 0) return [];
    q = q.where((eb) =>
      eb.or([
        ...(queueIds.length > 0 ? [eb('queue_id', 'in', queueIds)] : []),
        ...(teamIds.length > 0 ? [eb('team_id', 'in', teamIds)] : []),
      ]),
    );
  } else if (queueIds !== undefined) {
    if (queueIds.length === 0) return [];
    q = q.where('queue_id', 'in', queueIds);
  } else if (teamIds !== undefined) {
    if (teamIds.length === 0) return [];
    q = q.where('team_id', 'in', teamIds);
  }
  return (await q.execute()).map(rowToConversation);
}

/** A waiting conversation as the line needs it: no JSON columns read or parsed. */
export interface WaitingPlace {
  readonly id: string;
  readonly contactId: string;
  readonly queueId: string | null;
  /** The position last told to the customer (`stream_cursors.queue_position`), null when none. */
  readonly told: number | null;
}

/** Whether anyone waits on the team itself: queued with it, in none of its queues (an index look-up). */
export async function anyoneWaitingOnTeamItself(ex: Executor, teamId: string): Promise<boolean> {
  const row = await ex
    .selectFrom('conversations')
    .select('id')
    .where('status', '=', 'queued')
    .where('team_id', '=', teamId)
    .where('queue_id', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** A place in a line with its 1-based position. */
export interface LinePlace extends WaitingPlace {
  readonly position: number;
}

/**
 * The places of a line whose customers may need to hear of their position, with it: those never
 * told, and those whose position differs from the one last told, among the first `livePositions`
 * or in another block of `positionStep` places than the told one — the rule of the realtime
 * publisher's `worthTelling`, which still decides for each row returned. Plus `originId`'s place
 * whenever it is in the line. Positions count the whole line (of a team: every conversation
 * waiting with it), in the order `queuePosition` counts, up to `limit` places.
 *
 * The line is numbered and filtered inside the database (a window function; for a queue, over
 * the ordered index scan of conversations_line_idx): after a claim in a line of 1,000 a handful
 * of rows come back instead of the whole line, and no JS work per place
 * (bench/results/handoff-profile.md).
 */
export async function listLineMoves(ex: Executor, target: QueueTarget, options: LineMovesOptions): Promise<LinePlace[]> {
  const rows = await lineMovesQuery(ex, target, options).execute();
  return rows.map((row) => ({ id: row.id, contactId: row.contact_id, queueId: row.queue_id, told: row.told, position: Number(row.position) }));
}

export interface LineMovesOptions {
  readonly limit: number;
  readonly originId: string;
  readonly livePositions: number;
  readonly positionStep: number;
}

/**
 * The query of `listLineMoves`. A queue's line is one ordered scan of conversations_line_idx
 * (migration 2026-12-01), whose rank expression is `priorityRank`'s text: change one, change the
 * other (test/integration/waiting-line-index.test.ts checks the plan).
 */
export function lineMovesQuery(ex: Executor, target: QueueTarget, options: LineMovesOptions) {
  const [column, id] = targetFilter(target);
  const step = Math.max(1, Math.trunc(options.positionStep));
  const line = ex
    .selectFrom('conversations as c')
    // What each customer was last told comes with the line: one statement, not a second one
    // naming every conversation of the line.
    .leftJoin('stream_cursors as s', 's.conversation_id', 'c.id')
    .select((eb) => [
      'c.id',
      'c.contact_id',
      'c.queue_id',
      's.queue_position as told',
      eb.fn
        .agg<number>('row_number')
        .over((ob) => ob.orderBy(priorityRank).orderBy('c.queued_at').orderBy('c.id'))
        .as('position'),
    ])
    .where('c.status', '=', 'queued')
    .where(`c.${column}`, '=', id)
    // Unqualified `priority` in priorityRank is the conversation's (stream_cursors has none).
    .orderBy(priorityRank)
    .orderBy('c.queued_at')
    .orderBy('c.id')
    .limit(Math.max(1, options.limit));
  const told = sql.ref('line.told');
  const position = sql.ref('line.position');
  // ceil(n / step) as integer division on positive integers: (n + step - 1) / step.
  const block = (n: typeof told) => sql`(${n} + ${sql.lit(step - 1)}) / ${sql.lit(step)}`;
  return ex
    .selectFrom(line.as('line'))
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('line.id', '=', options.originId),
        sql<SqlBool>`(${told} is null or ${told} <> ${position}) and (${position} <= ${sql.lit(Math.trunc(options.livePositions))} or ${told} is null or ${block(position)} <> ${block(told)})`,
      ]),
    )
    .orderBy('line.position');
}

/** What each conversation's latest handoff promised: expected wait (seconds) at which position. */
export async function promisedWaits(ex: Executor, ids: readonly string[]): Promise<Map<string, HandoffPromise>> {
  const out = new Map<string, HandoffPromise>();
  const promises = await latestHandoffPromises(ex, ids);
  for (const id of ids) out.set(id, promises.get(id) ?? NO_PROMISE);
  return out;
}

const NO_PROMISE: HandoffPromise = { seconds: null, atPosition: null };

/**
 * 1-based place of a queued conversation in its queue (or team, when it has no queue) in
 * assignment order; null when it is not waiting.
 */
export async function queuePosition(ex: Executor, conversation: ConversationRecord): Promise<number | null> {
  if (conversation.status !== 'queued') return null;
  const target: QueueTarget | null =
    conversation.queueId !== null ? { queueId: conversation.queueId } : conversation.teamId !== null ? { teamId: conversation.teamId } : null;
  if (target === null) return null;
  const [column, id] = targetFilter(target);
  const rank = { urgent: 0, high: 1, normal: 2, low: 3 }[conversation.priority];
  const queuedAt = conversation.queuedAt ?? 0;
  const row = await ex
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '=', 'queued')
    .where(column, '=', id)
    .where('id', '<>', conversation.id)
    .where((eb) =>
      eb.or([
        eb(priorityRank, '<', rank),
        eb.and([
          eb(priorityRank, '=', rank),
          eb.or([
            eb('queued_at', '<', queuedAt),
            eb.and([eb('queued_at', '=', queuedAt), eb('id', '<', conversation.id)]),
          ]),
        ]),
      ]),
    )
    .executeTakeFirst();
  return Number(row?.count ?? 0) + 1;
}
