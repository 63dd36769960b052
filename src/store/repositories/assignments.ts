import type { ChannelType, ConversationStatus } from '../../contract/common.js';
import type { Executor } from '../database.js';
import { withTransaction } from '../database.js';
import { preparedQuery, type PreparedQuery } from '../prepared.js';
import type { ConversationRow, ConversationUpdate } from '../schema.js';
import type { ConversationEventRecord, NewEvent } from './events.js';
import { appendEvents } from './events.js';
import type { ConversationFieldsPatch, ConversationRecord } from './conversations.js';
import { getConversationForUpdate, OPEN_STATUSES, patchToColumns, rowToConversation } from './conversations.js';
import { openLoadOf } from './routing.js';
import { sql } from 'kysely';
import { isSqlite } from '../transactions/savepoints.js';

/**
 * THE ONE WRITER OF ASSIGNMENTS. Every change of a conversation's owner, team, queue or status
 * goes through this module; nothing else in the repo updates those columns.
 *
 * Each function runs one transition in a transaction (joining the caller's when there is one):
 *
 *   1. read the conversation and lock its row (`FOR UPDATE` on PostgreSQL; SQLite's single
 *      writer already excludes everyone else);
 *   2. check the caller's expectations against what is there *now* — the version the decision
 *      was made on, the owner, the status — and refuse with a value when they no longer hold;
 *   3. for a new owner under automatic assignment, lock the agent's `user_state` row and read
 *      their open load *after* taking that lock, refusing when the load has reached the cap;
 *   4. write with a conditional `UPDATE … WHERE id = ? AND version = ?`, bumping `version`;
 *   5. record `last_assigned_at`, the contact's last human owner, move the conversation's unit
 *      of open load in `open_loads` (the counter routing and step 3 read), and append the events
 *      (`conversation.assigned` with by/from/to/reason, `conversation.status_changed`), each
 *      snapshotting owner/team/queue.
 *
 * The races this closes (PEERS.md "Races"):
 * - RC #22206, one inquiry taken by several agents: claims are conditional on "no owner or
 *   already me", under the row lock; of two concurrent claims exactly one wins, the other gets
 *   `held` with the winner's id.
 * - CW PR #15275 / #15524, 46 of 67 automatic assignments overwritten within seconds by other
 *   writers: one writer, and a decision taken on version n applies only while the version is
 *   still n (`conflict` otherwise — decide again on fresh state).
 * - RC #18217 and CW PR #15694, capacity exceeded by concurrent requests/opens: assignments to
 *   one agent are serialised on that agent's `user_state` row, and the load is read after the
 *   lock, so it includes every assignment committed before (the counter moves in the same
 *   transaction as the owner). Automatic assignment never
 *   exceeds the cap; a manual override passes `enforceCapacity: false` and the caller audits it.
 * - CW #14872: events snapshot owner/team/queue when they happen.
 * - CW #15678: every assignment path appends the same `conversation.assigned` event, so
 *   notification fan-out hangs off the event, not off the caller.
 *
 * Expected outcomes are values; only bugs (e.g. a queued conversation with no queue) throw.
 * Lock order is always conversation row, then agent row, then `open_loads` rows (in user id
 * order), so two transitions cannot deadlock on each other (and `withTransaction` re-runs a
 * transaction PostgreSQL aborts for a deadlock).
 */

export interface RoutingState {
  readonly status: ConversationStatus;
  readonly ownerId: string | null;
  readonly teamId: string | null;
  readonly queueId: string | null;
}

/** Preconditions: the transition applies only if every given one still holds. */
export interface Expectations {
  /** The version the decision was made on. */
  readonly version?: number;
  /** The owner the caller believes holds it (null: nobody). */
  readonly ownerId?: string | null;
  /** Statuses from which the transition makes sense. */
  readonly statuses?: readonly ConversationStatus[];
}

export interface CapacityGuard {
  /** The new owner's cap for this conversation's channel type; null means no cap. */
  readonly capacity: number | null;
  /** False for a manual override (audit it); automatic assignment always enforces. */
  readonly enforceCapacity: boolean;
  /**
   * Automatic assignment: the new owner must still be available when the write happens, read
   * under their row lock. A decision is made on agents read a moment earlier; someone who went
   * away or was deactivated since (on PostgreSQL that commit can land in between) is refused
   * `owner_unavailable`, and the caller decides again.
   */
  readonly requireAvailable?: boolean;
}

interface Common {
  readonly conversationId: string;
  /** Why, for the event: `claim`, `handoff`, `transfer`, `release`, `sla_breach`, `sweep` … */
  readonly reason: string;
  /** Who: `user:<id>`, `system`, `assistant`, `contact:<id>`, or a user id. */
  readonly actor: string | null;
  readonly now: number;
  /** Other fields written in the same UPDATE (handoff trace, SLA due time, priority …). */
  readonly set?: ConversationFieldsPatch;
  /** Extra data merged into the `conversation.assigned` event (rule, trigger, override …). */
  readonly eventData?: Readonly<Record<string, unknown>>;
  /**
   * The conversation as the caller read it under its row lock (`getConversationForUpdate`) in
   * this transaction, so the writer need not read it again. The writer still checks it in the
   * database: its UPDATE applies only at that record's version, and when the version has moved
   * (this transaction changed the routing state since) it reads the row and decides again.
   */
  readonly locked?: ConversationRecord;
}

/** A transition that happened (or found nothing to change: `changed` false, no events). */
export interface Applied {
  readonly conversation: ConversationRecord;
  readonly previous: RoutingState;
  readonly changed: boolean;
  readonly events: readonly ConversationEventRecord[];
}

export type NotFound = { readonly outcome: 'not_found' };
export type Conflict = { readonly outcome: 'conflict'; readonly conversation: ConversationRecord };
export type OverCapacity = { readonly outcome: 'over_capacity'; readonly load: number; readonly capacity: number };
export type OwnerUnavailable = { readonly outcome: 'owner_unavailable'; readonly status: string };

const isOpen = (status: ConversationStatus): boolean => (OPEN_STATUSES as readonly string[]).includes(status);

function meets(current: ConversationRecord, expect: Expectations | undefined): boolean {
  if (expect === undefined) return true;
  if (expect.version !== undefined && current.version !== expect.version) return false;
  if (expect.ownerId !== undefined && current.ownerId !== expect.ownerId) return false;
  if (expect.statuses !== undefined && !expect.statuses.includes(current.status)) return false;
  return true;
}

/** The invariants of the product that no transition may break; breaking one is a bug. */
function assertConsistent(id: string, next: RoutingState): void {
  const problem =
    isOpen(next.status) && next.ownerId === null
      ? `status ${next.status} needs an owner`
      : next.status === 'queued' && next.ownerId !== null
        ? 'a queued conversation has no owner'
        : next.status === 'queued' && next.queueId === null && next.teamId === null
          ? 'a queued conversation needs a queue or a team'
          : next.status === 'bot' && next.ownerId !== null
            ? 'a conversation with the AI agent has no human owner'
            : null;
  if (problem !== null) throw new Error(`assignment of conversation ${id} refused: ${problem}`);
}

type Decision<R> = { readonly write: RoutingState } | { readonly refuse: R };

interface Transition<R> extends Common {
  readonly decide: (current: ConversationRecord) => Decision<R>;
  readonly guard?: CapacityGuard;
}

type TransitionResult<R> =
  | NotFound
  | OverCapacity
  | OwnerUnavailable
  | Conflict
  | { readonly outcome: 'refused'; readonly value: R }
  | ({ readonly outcome: 'applied' } & Applied);

async function transition<R>(ex: Executor, t: Transition<R>): Promise<TransitionResult<R>> {
  return withTransaction(ex, async (trx) => {
    const known = t.locked !== undefined && t.locked.id === t.conversationId ? t.locked : undefined;
    const current = known ?? (await getConversationForUpdate(trx, t.conversationId));
    if (current === null) return { outcome: 'not_found' };
    /** The caller's record was not the row as it stands: read it and decide again. */
    const again = (): Promise<TransitionResult<R>> => transition(trx, { ...t, locked: undefined });
    const decision = t.decide(current);
    if ('refuse' in decision) return { outcome: 'refused', value: decision.refuse };
    const next = decision.write;
    assertConsistent(current.id, next);
    const previous: RoutingState = {
      status: current.status,
      ownerId: current.ownerId,
      teamId: current.teamId,
      queueId: current.queueId,
    };

    const ownerChanged = next.ownerId !== current.ownerId;
    const assignmentChanged = ownerChanged || next.teamId !== current.teamId || next.queueId !== current.queueId;
    const statusChanged = next.status !== current.status;

    // Capacity: only when someone takes on an open conversation they did not have open before.
    const newOwner = next.ownerId;
    const addsLoad = newOwner !== null && isOpen(next.status) && (ownerChanged || !isOpen(current.status));
    const capacity = addsLoad && t.guard !== undefined && t.guard.enforceCapacity ? t.guard.capacity : null;
    const mustBeAvailable = addsLoad && t.guard?.requireAvailable === true;
    // One lock on the new owner's row serialises both checks with other assignments to them. The
    // lock's upsert returns the row as it stands once locked (the latest committed version on
    // PostgreSQL), so the status needs no read of its own; the load is read after it.
    const status = newOwner !== null && (capacity !== null || mustBeAvailable) ? await lockAgent(trx, newOwner) : null;
    if (newOwner !== null && capacity !== null) {
      // This conversation is not in the count: it is someone else's, or not open (addsLoad).
      const load = await openLoadOf(trx, newOwner, current.channelType);
      if (load >= capacity) return { outcome: 'over_capacity', load, capacity };
    }
    // null: never set, the workspace's initial status applies (the decision read that one).
    if (newOwner !== null && mustBeAvailable && status !== null && status !== 'available') return { outcome: 'owner_unavailable', status };

    const set: ConversationUpdate = { ...(t.set === undefined ? {} : patchToColumns(t.set)) };
    if (!assignmentChanged && !statusChanged) {
      if (Object.keys(set).length === 0) return { outcome: 'applied', conversation: current, previous, changed: false, events: [] };
      const updated = await trx
        .updateTable('conversations')
        .set({ ...set, updated_at: t.now })
        .where('id', '=', current.id)
        .$if(known !== undefined, (qb) => qb.where('version', '=', current.version))
        .returningAll()
        .executeTakeFirst();
      if (updated === undefined) {
        if (known !== undefined) return again();
        throw new Error(`conversation ${current.id} vanished under its row lock`);
      }
      return { outcome: 'applied', conversation: rowToConversation(updated), previous, changed: false, events: [] };
    }

    if (statusChanged && next.status === 'queued' && t.set?.queuedAt === undefined) set.queued_at = t.now;
    if (statusChanged && next.status === 'resolved') set.resolved_at = t.now;
    if (statusChanged && next.status !== 'resolved' && next.status !== 'closed') set.resolved_at = null;

    const columns = Object.keys(set).sort() as (keyof ConversationUpdate)[];
    const values: Record<string, unknown> = { status: next.status, ownerId: next.ownerId, teamId: next.teamId, queueId: next.queueId, now: t.now, id: current.id, version: current.version };
    for (const column of columns) values[`set_${column}`] = set[column] ?? null;
    const notesOwner = ownerChanged && newOwner !== null;
    const updated =
      notesOwner && !isSqlite(trx)
        ? await updateNotingOwner(trx, columns, set, next, current, newOwner, t.now)
        : await transitionUpdate(columns).first(trx, values);
    if (updated === undefined) {
      if (known !== undefined) return again();
      // Only reachable when a writer bypassed the row lock (a non-transactional handle on SQLite).
      const latest = await trx.selectFrom('conversations').selectAll().where('id', '=', current.id).executeTakeFirst();
      return latest === undefined ? { outcome: 'not_found' } : { outcome: 'conflict', conversation: rowToConversation(latest) };
    }

    if (notesOwner && isSqlite(trx)) {
      await noteAssigned.run(trx, { userId: newOwner, now: t.now });
      // Stickiness prefers the contact's last human owner (CW #9587: only when eligible now —
      // decided by core/routing, not here).
      await noteLastOwner.run(trx, { userId: newOwner, contactId: current.contactId });
    }

    // After the new owner's `user_state` row (locked above by lockAgent or the upsert): every
    // transition takes the agent row before load rows, so a guarded assignment waiting for the
    // agent lock never holds a load row another transition waits for.
    const countedBefore = current.ownerId !== null && isOpen(current.status) ? current.ownerId : null;
    const countedAfter = next.ownerId !== null && isOpen(next.status) ? next.ownerId : null;
    if (countedBefore !== countedAfter) await moveOpenLoad(trx, current.channelType, countedBefore, countedAfter);

    const changes: NewEvent[] = [];
    if (assignmentChanged) {
      changes.push({
        conversationId: current.id,
        type: 'conversation.assigned',
        actor: t.actor,
        now: t.now,
        data: {
          ...t.eventData,
          by: t.actor,
          from: current.ownerId,
          to: next.ownerId,
          fromTeam: current.teamId,
          toTeam: next.teamId,
          fromQueue: current.queueId,
          toQueue: next.queueId,
          // Whether it left or joined a waiting line (realtime queue positions read these).
          fromStatus: current.status,
          toStatus: next.status,
          // Since when it waited, when it leaves a waiting line (the queue-wait metric reads it).
          ...(current.status === 'queued' && current.queuedAt !== null ? { queuedAt: new Date(current.queuedAt).toISOString() } : {}),
          reason: t.reason,
        },
      });
    }
    if (statusChanged) {
      changes.push({
        conversationId: current.id,
        type: 'conversation.status_changed',
        actor: t.actor,
        now: t.now,
        data: { by: t.actor, from: current.status, to: next.status, reason: t.reason },
      });
    }
    const events: ConversationEventRecord[] = (await appendEvents(trx, changes)) ?? [];
    const conversation = rowToConversation(updated);
    return {
      outcome: 'applied',
      // The events bumped last_event_seq after the UPDATE returned.
      conversation: { ...conversation, lastEventSeq: conversation.lastEventSeq + events.length },
      previous,
      changed: true,
      events,
    };
  });
}

/**
 * The transition's UPDATE, prepared once per set of extra columns (the patch a use case passes,
 * a handful of shapes): built and compiled through Kysely on every handoff it cost a measurable
 * share of a handoff's CPU (bench/results/handoff-profile.md). Conditional on the version it read — belt and braces: the row lock already
 * excludes other writers on PostgreSQL and the transaction does on SQLite; the version condition
 * also holds for any future path that reads without the lock.
 */
function transitionUpdate(columns: readonly (keyof ConversationUpdate)[]): PreparedQuery<Record<string, unknown>, ConversationRow> {
  const key = columns.join(',');
  let query = transitionUpdates.get(key);
  if (query === undefined) {
    query = preparedQuery((db, p: Record<string, unknown>) =>
      db
        .updateTable('conversations')
        .set((eb) => ({
          ...(Object.fromEntries(columns.map((column) => [column, p[`set_${column}`]])) as ConversationUpdate),
          status: p.status as ConversationStatus,
          owner_id: p.ownerId as string | null,
          team_id: p.teamId as string | null,
          queue_id: p.queueId as string | null,
          version: eb('version', '+', 1),
          updated_at: p.now as number,
        }))
        .where('id', '=', p.id as string)
        .where('version', '=', p.version as number)
        .returningAll(),
    );
    // Shapes come from the use cases' patches; the bound only guards against a runaway caller.
    if (transitionUpdates.size < 256) transitionUpdates.set(key, query);
  }
  return query;
}

const transitionUpdates = new Map<string, PreparedQuery<Record<string, unknown>, ConversationRow>>();

/**
 * PostgreSQL: the transition's UPDATE (as `transitionUpdate`), and with it, when it applied, what
 * a new owner notes — `user_state.last_assigned_at` (round robin) and the contact's last owner
 * (stickiness) — in one statement. The new owner's `user_state` row is the agent row of the lock
 * order (conversation, agent, load rows): locked here at the latest, before `moveOpenLoad`.
 */
const OWN_COLUMNS: ReadonlySet<string> = new Set(['status', 'owner_id', 'team_id', 'queue_id', 'version', 'updated_at']);

async function updateNotingOwner(
  trx: Executor,
  columns: readonly (keyof ConversationUpdate)[],
  set: ConversationUpdate,
  next: RoutingState,
  current: ConversationRecord,
  newOwner: string,
  now: number,
): Promise<ConversationRow | undefined> {
  const assignments = [
    // As in transitionUpdate's object, where the routing columns, version and updated_at come last and win.
    ...columns.filter((column) => !OWN_COLUMNS.has(column)).map((column) => sql`${sql.ref(column)} = ${set[column] ?? null}`),
    sql`status = ${next.status}`,
    sql`owner_id = ${next.ownerId}`,
    sql`team_id = ${next.teamId}`,
    sql`queue_id = ${next.queueId}`,
    sql`version = version + 1`,
    sql`updated_at = ${now}::bigint`,
  ];
  const result = await sql<ConversationRow>`with u as (
      update conversations set ${sql.join(assignments)} where id = ${current.id} and version = ${current.version}::int returning *
    ), a as (
      insert into user_state (user_id, last_assigned_at) select ${newOwner}::text, ${now}::bigint from u
      on conflict (user_id) do update set last_assigned_at = excluded.last_assigned_at
    ), c as (
      update contacts set last_owner_id = ${newOwner}::text from u where contacts.id = ${current.contactId}
    )
    select * from u`.execute(trx);
  return result.rows[0];
}

/**
 * Serialise assignments to one agent: lock (creating if needed) the agent's `user_state` row
 * until the transaction ends. Concurrent transactions assigning to the same agent queue here,
 * and each counts the load only after the previous one committed (RC #18217, CW PR #15694).
 */
async function lockAgent(trx: Executor, userId: string): Promise<string | null> {
  const row = await LOCK_AGENT.first(trx, { userId });
  return row?.status ?? null;
}

/** Returns the agent's status as it stands under the lock. */
const LOCK_AGENT = preparedQuery((db, p: { userId: string }) =>
  db
    .insertInto('user_state')
    .values({ user_id: p.userId })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ user_id: p.userId }))
    .returning('status'),
);
const noteAssigned = preparedQuery((db, p: { userId: string; now: number }) =>
  db
    .insertInto('user_state')
    .values({ user_id: p.userId, last_assigned_at: p.now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_assigned_at: p.now })),
);
const noteLastOwner = preparedQuery((db, p: { userId: string; contactId: string }) =>
  db.updateTable('contacts').set({ last_owner_id: p.userId }).where('id', '=', p.contactId),
);
const addOpenLoad = preparedQuery((db, p: { userId: string; channelType: string; delta: number }) =>
  db
    .insertInto('open_loads')
    .values({ user_id: p.userId, channel_type: p.channelType, open: p.delta })
    .onConflict((oc) => oc.columns(['user_id', 'channel_type']).doUpdateSet((eb) => ({ open: eb('open_loads.open', '+', eb.ref('excluded.open')) })))
    .returning('open'),
);

/**
 * Move one conversation's unit of open load from `from` to `to` (null: nobody counts it) on
 * `channelType`, in the transition's transaction, so `open_loads` always equals the open
 * conversations each user owns. One upsert with relative deltas (`open = open + excluded.open`):
 * concurrent transitions touching the same user's row queue on its row lock on PostgreSQL
 * and each adds to what the other committed — no read-modify-write to lose. Rows go in user id
 * order, so two transfers in opposite directions (A→B, B→A) lock them in the same order and
 * cannot deadlock on each other.
 */
async function moveOpenLoad(trx: Executor, channelType: ChannelType, from: string | null, to: string | null): Promise<void> {
  const deltas = [
    ...(from === null ? [] : [{ user_id: from, channel_type: channelType, open: -1 }]),
    ...(to === null ? [] : [{ user_id: to, channel_type: channelType, open: 1 }]),
  ].sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0));
  // One row at a time, in that order (the order the rows are locked in on PostgreSQL).
  for (const delta of deltas) {
    const row = await addOpenLoad.first(trx, { userId: delta.user_id, channelType: delta.channel_type, delta: delta.open });
    if (row === undefined) throw new Error(`open_loads upsert for ${delta.user_id} returned no row`);
  }
}

/** A transition without a capacity guard cannot be refused for capacity. */
function withoutGuard<R>(result: TransitionResult<R>): Exclude<TransitionResult<R>, OverCapacity> {
  if (result.outcome === 'over_capacity') throw new Error('unreachable: over_capacity without a capacity guard');
  return result;
}

function settle<R, T extends TransitionResult<R>>(
  result: T,
  applied: (a: Applied) => R,
): R | Extract<T, NotFound | OverCapacity | Conflict> {
  switch (result.outcome) {
    case 'not_found':
    case 'over_capacity':
    case 'conflict':
      return result as Extract<T, NotFound | OverCapacity | Conflict>;
    case 'owner_unavailable':
      // Only `assign` asks for it (requireAvailable), and it answers it before settling.
      throw new Error('unreachable: owner_unavailable outside assign');
    case 'refused':
      return (result as { readonly value: R }).value;
    case 'applied': {
      // Hand over the Applied fields only: spreading the transition's own `outcome: 'applied'`
      // into the caller's value would overwrite the caller's outcome ('assigned', 'claimed' …).
      const { conversation, previous, changed, events } = result as unknown as Applied;
      return applied({ conversation, previous, changed, events });
    }
  }
}

// ── claim ───────────────────────────────────────────────────────────────────────────────────────

export interface ClaimInput extends Omit<Common, 'reason' | 'actor'>, CapacityGuard {
  readonly userId: string;
  /** The conversation's channel type, when the caller knows it; must match the stored one. */
  readonly channelType?: ChannelType;
  readonly reason?: string;
  readonly actor?: string | null;
  /**
   * A take over: the holder the caller decided on (under the row lock). Only that holder is
   * displaced; anyone else holding it still makes the claim `held`.
   */
  readonly takeOverFrom?: string;
}

export type ClaimOutcome =
  | ({ readonly outcome: 'claimed' } & Applied)
  | { readonly outcome: 'held'; readonly ownerId: string }
  | { readonly outcome: 'not_claimable'; readonly status: ConversationStatus }
  | OverCapacity
  | NotFound;

/**
 * `userId` takes the conversation: it must have no owner or be theirs already (then nothing
 * changes). Becomes `assigned` (an open `waiting_on_customer` stays so); team and queue stay as
 * they were, for reports and release. Of concurrent claims exactly one is `claimed`, the rest
 * get `held` with the winner (RC #22206). Closed conversations are `not_claimable`.
 */
export async function claim(ex: Executor, input: ClaimInput): Promise<ClaimOutcome> {
  const result = await transition<ClaimOutcome>(ex, {
    ...input,
    reason: input.reason ?? 'claim',
    actor: input.actor ?? input.userId,
    guard: input,
    decide: (current) => {
      if (input.channelType !== undefined && input.channelType !== current.channelType) {
        throw new Error(`claim of conversation ${current.id}: channel type ${input.channelType} does not match ${current.channelType}`);
      }
      if (current.ownerId !== null && current.ownerId !== input.userId && current.ownerId !== input.takeOverFrom) {
        return { refuse: { outcome: 'held', ownerId: current.ownerId } };
      }
      if (current.status === 'closed') return { refuse: { outcome: 'not_claimable', status: current.status } };
      return {
        write: {
          status: isOpen(current.status) ? current.status : 'assigned',
          ownerId: input.userId,
          teamId: current.teamId,
          queueId: current.queueId,
        },
      };
    },
  });
  const settled = settle(result, (a): ClaimOutcome => ({ outcome: 'claimed', ...a }));
  // A claim has no version precondition, so a conflict cannot be the answer: re-read says who holds it.
  if (settled.outcome === 'conflict') {
    const ownerId = settled.conversation.ownerId;
    return ownerId === null ? { outcome: 'not_claimable', status: settled.conversation.status } : { outcome: 'held', ownerId };
  }
  return settled;
}

// ── assign (transfer, handoff, sweep) ───────────────────────────────────────────────────────────

export interface AssignInput extends Common, CapacityGuard {
  /** The version the routing decision was made on. */
  readonly expectedVersion: number;
  /** The new owner, or null to leave it unowned in `queueId`/`teamId` (`unassign_to_queue`). */
  readonly toUserId: string | null;
  readonly teamId: string | null;
  readonly queueId: string | null;
  /** Default: `assigned` with an owner, `queued` without. */
  readonly status?: ConversationStatus;
}

export type AssignOutcome = ({ readonly outcome: 'assigned' } & Applied) | Conflict | OverCapacity | OwnerUnavailable | NotFound;

/**
 * Put the conversation where a decision said: owner, team, queue and status at once, if the
 * version is still the one decided on (CW PR #15524). With a new owner and `enforceCapacity`,
 * refuses `over_capacity` when the owner's open load on this channel type has reached
 * `capacity`. Writing the same state again changes nothing (`changed` false) but still applies
 * `set`.
 */
export async function assign(ex: Executor, input: AssignInput): Promise<AssignOutcome> {
  const result = await transition<Conflict>(ex, {
    ...input,
    guard: input,
    decide: (current) => {
      if (current.version !== input.expectedVersion) return { refuse: { outcome: 'conflict', conversation: current } };
      return {
        write: {
          status: input.status ?? (input.toUserId === null ? 'queued' : 'assigned'),
          ownerId: input.toUserId,
          teamId: input.teamId,
          queueId: input.queueId,
        },
      };
    },
  });
  if (result.outcome === 'owner_unavailable') return result;
  return settle(result, (a): AssignOutcome => ({ outcome: 'assigned', ...a }));
}

// ── release ─────────────────────────────────────────────────────────────────────────────────────

export interface ReleaseInput extends Common {
  readonly expect?: Expectations;
  /** Default: the conversation's own queue. */
  readonly queueId?: string | null;
  /** Default: the conversation's own team. */
  readonly teamId?: string | null;
}

export type ReleaseOutcome =
  | ({ readonly outcome: 'released' } & Applied)
  | { readonly outcome: 'no_queue'; readonly conversation: ConversationRecord }
  | Conflict
  | NotFound;

/**
 * Back to the queue: no owner, `queued` in its queue (or team), waiting from now. Only from an
 * open status (`assigned`, `waiting_on_customer`) or `queued`. Pass `expect.ownerId` when an agent
 * releases their own conversation, so a release never undoes someone else's claim. `no_queue`
 * when it has neither queue nor team — the caller routes it through the fallback instead.
 */
export async function releaseToQueue(ex: Executor, input: ReleaseInput): Promise<ReleaseOutcome> {
  const result = await transition<Conflict | { readonly outcome: 'no_queue'; readonly conversation: ConversationRecord }>(ex, {
    ...input,
    decide: (current) => {
      if (!meets(current, input.expect) || !(isOpen(current.status) || current.status === 'queued')) {
        return { refuse: { outcome: 'conflict', conversation: current } };
      }
      const queueId = input.queueId === undefined ? current.queueId : input.queueId;
      const teamId = input.teamId === undefined ? current.teamId : input.teamId;
      if (queueId === null && teamId === null) return { refuse: { outcome: 'no_queue', conversation: current } };
      return { write: { status: 'queued', ownerId: null, teamId, queueId } };
    },
  });
  return settle(withoutGuard(result), (a): ReleaseOutcome => ({ outcome: 'released', ...a }));
}

// ── lifecycle ───────────────────────────────────────────────────────────────────────────────────

export interface StatusInput extends Common {
  readonly expect?: Expectations;
}

export type StatusOutcome = ({ readonly outcome: 'changed' } & Applied) | Conflict | NotFound;

async function lifecycle(
  ex: Executor,
  input: StatusInput,
  defaultStatuses: readonly ConversationStatus[],
  next: (current: ConversationRecord) => RoutingState,
): Promise<StatusOutcome> {
  const statuses = input.expect?.statuses ?? defaultStatuses;
  const result = await transition<Conflict>(ex, {
    ...input,
    decide: (current) => {
      return meets(current, { ...input.expect, statuses })
        ? { write: next(current) }
        : { refuse: { outcome: 'conflict', conversation: current } };
    },
  });
  return settle(withoutGuard(result), (a): StatusOutcome => ({ outcome: 'changed', ...a }));
}

const keep = (current: ConversationRecord, status: ConversationStatus): RoutingState => ({
  status,
  ownerId: current.ownerId,
  teamId: current.teamId,
  queueId: current.queueId,
});

/** Resolved (sets `resolved_at`); owner, team and queue stay for reports. From any status but resolved/closed. */
export async function resolve(ex: Executor, input: StatusInput): Promise<StatusOutcome> {
  return lifecycle(ex, input, ['bot', 'queued', 'assigned', 'waiting_on_customer'], (c) => keep(c, 'resolved'));
}

/** Closed for good (from resolved). */
export async function close(ex: Executor, input: StatusInput): Promise<StatusOutcome> {
  return lifecycle(ex, input, ['resolved'], (c) => keep(c, 'closed'));
}

/**
 * A resolved conversation is open again (an agent's reopen, a customer reply): back to its
 * owner (`assigned`), else to its queue (`queued`), else to the AI agent (`bot`).
 * - `toQueue`: skip the owner — no longer eligible, offline say (CW #9587) — and wait in the
 *   queue or team (with neither, back to the owner: there is nowhere else it could wait).
 * - `guard`: the owner's cap for this channel type. Returning to the owner adds to their open
 *   load, so with the guard the load is counted under the agent's lock, as for any assignment,
 *   and `over_capacity` is answered instead of exceeding it (hard capacity caps).
 */
export async function reopen(
  ex: Executor,
  input: StatusInput & { readonly toQueue?: boolean; readonly guard?: CapacityGuard },
): Promise<StatusOutcome | OverCapacity> {
  const statuses = input.expect?.statuses ?? ['resolved'];
  const result = await transition<Conflict>(ex, {
    ...input,
    decide: (current) => {
      if (!meets(current, { ...input.expect, statuses })) return { refuse: { outcome: 'conflict', conversation: current } };
      const canWait = current.queueId !== null || current.teamId !== null;
      if (current.ownerId !== null && !(input.toQueue === true && canWait)) return { write: keep(current, 'assigned') };
      return { write: canWait ? { ...keep(current, 'queued'), ownerId: null } : keep(current, 'bot') };
    },
  });
  return settle(result, (a): StatusOutcome => ({ outcome: 'changed', ...a }));
}

/** The owner waits for the customer (`waiting_on_customer`), or resumes (`assigned`). */
export async function setWaiting(ex: Executor, input: StatusInput & { readonly waiting: boolean }): Promise<StatusOutcome> {
  return input.waiting
    ? lifecycle(ex, input, ['assigned'], (c) => keep(c, 'waiting_on_customer'))
    : lifecycle(ex, input, ['waiting_on_customer'], (c) => keep(c, 'assigned'));
}

/**
 * Hand back to the AI agent: `bot`, no owner (the AI speaks only in `bot`, CW rasa-agent-bot-demo
 * #12). Team and queue stay as the history of where it was.
 */
export async function handBack(ex: Executor, input: StatusInput): Promise<StatusOutcome> {
  return lifecycle(ex, input, ['queued', 'assigned', 'waiting_on_customer'], (c) => ({ ...keep(c, 'bot'), ownerId: null }));
}
