/**
 * The realtime publisher: turns conversation events, messages and in-app notifications into
 * rows of the durable stream (`stream_events`) and, after the job's commit, wakes the sockets.
 *
 * Ordering, the whole point (CW PR #13713: out-of-order realtime events duplicated rows):
 * - Global: this is the only writer of `stream_events`, and it holds the stream lock from
 *   "read max(seq)" to commit (store/repositories/stream.ts), so seq order is commit order and a
 *   reader never sees seq 11 before seq 10.
 * - Per conversation: the outbox claims oldest first, but rows written in one millisecond
 *   (random ids) can come out in any order — two transactions' `conversation.published` rows, or
 *   an older version's one row per record. So whichever record of a conversation arrives, the
 *   publisher sends *everything of that conversation after its cursor* — every committed event
 *   and message it has not sent yet, each sequence in its own order — and moves the cursor. The
 *   later records of the batch then find nothing to do; a re-run job too (idempotent).
 *   Events and messages have separate per-conversation counters; they are merged by time, and
 *   within one instant (one transaction) events come first. Messages are read before events: on
 *   PostgreSQL (read committed) a transaction committing between the two reads then shows up as
 *   its events now and its messages next time, which is that same order.
 */
import type { Message } from '../../contract/api.js';
import type { ServiceContext } from '../../services/context.js';
import { presentNotification } from '../../services/present/present-notification.js';
import { presentMessages } from '../../services/conversations/read-conversations.js';
import type { Executor } from '../../store/database.js';
import { getContact } from '../../store/repositories/contacts.js';
import { getConversation, type ConversationRecord } from '../../store/repositories/conversations.js';
import { listEvents } from '../../store/repositories/events.js';
import { listMessages } from '../../store/repositories/messages.js';
import { findNotificationByKey } from '../../store/repositories/notifications.js';
import { anyoneWaitingOnTeamItself, listLineMoves, promisedWaits, queuePosition } from '../../store/repositories/routing.js';
import {
  appendStreamEvents,
  getStreamCursor,
  lockStream,
  saveQueuePosition,
  saveStreamCursor,
  type StreamCursor,
  type StreamEventRecord,
} from '../../store/repositories/stream.js';
import type { OutboxItem } from '../../store/repositories/outbox.js';
import { CONVERSATION_PUBLISHED } from '../../store/repositories/publications.js';
import { mergeInOrder } from '../merge-in-order.js';
import type { JobDefinition } from '../outbox-worker.js';
import { NotificationPayload } from '../../services/notifications/enqueue-notification.js';
import { contactAudience, userAudience } from '../../services/realtime/audiences.js';
import type { RealtimeHub } from '../../services/realtime/hub.js';
import {
  presentEventForStream,
  presentMessageForStream,
  queuesTouchedBy,
  statusAfter,
  targetKey,
  type QueueTarget,
  type StreamDraft,
} from '../realtime/present-stream.js';
import type { z } from 'zod';
import type { PublishedRecords, Subscriber } from './subscriber.js';

export interface RealtimePublisher extends Subscriber {
  /**
   * The job as the server should run it: `conversation.published` (and the older
   * `event.published`/`message.published`) wake the sockets
   * after their commit (`JobBase.onDone`); `notify.in_app` also publishes each notification it
   * created to its user's stream, in its own transaction; other jobs are returned unchanged.
   */
  decorate(job: JobDefinition<z.ZodType>): JobDefinition<z.ZodType>;
}

/** Jobs whose transaction may write stream rows (through this subscriber). */
const PUBLISHING_KINDS = new Set([CONVERSATION_PUBLISHED, 'event.published', 'message.published']);

/** What of a conversation is on the stream: the seqs of `StreamCursor` that say so. */
type PublishedThrough = Pick<StreamCursor, 'lastEventSeq' | 'lastMessageSeq'>;

/** Records read per page when a conversation has a long backlog (first publish after an upgrade). */
const PAGE = 1_000;
/**
 * The places of a line that hear of its moves: only the first LINE_HORIZON are numbered per move.
 * Further back a customer keeps the position they were last told (the one given when they joined)
 * until they come within the horizon, then hear of it as below. So the work and the frames of one
 * move are bounded — at most LIVE_POSITIONS frames plus one per POSITION_STEP block up to the
 * horizon — however long the line: numbering the first 5,000 places per claim, as before, cost a
 * claim in a line of 50,000 about 500 frames and ~20× the time of a claim in a line of 50
 * (bench/results/growth.md).
 */
export const LINE_HORIZON = 100;
/** Positions up to this one hear of every move. */
const LIVE_POSITIONS = 20;
/** Further back (up to LINE_HORIZON), a frame when the position enters another block of this many places. */
const POSITION_STEP = 10;

export function createRealtimePublisher(deps: { readonly ctx: ServiceContext; readonly hub: RealtimeHub }): RealtimePublisher {
  const { ctx, hub } = deps;
  /**
   * What the running job wrote, told to the hub after its commit. Transactional jobs run one at a
   * time in the worker, so one accumulator suffices; a rolled-back job leaves a wake-up for rows
   * that do not exist, which costs one empty read.
   */
  let pending: { audiences: Set<string>; seq: number } | null = null;

  function remember(written: readonly StreamEventRecord[]): void {
    for (const row of written) {
      pending ??= { audiences: new Set(), seq: 0 };
      pending.audiences.add(row.audience);
      pending.seq = Math.max(pending.seq, row.seq);
    }
  }

  function flush(): void {
    const notice = pending;
    pending = null;
    if (notice !== null) hub.notify({ audiences: [...notice.audiences], seq: notice.seq });
  }

  async function readAll<T>(page: (after: number) => Promise<T[]>, seqOf: (item: T) => number, after: number): Promise<T[]> {
    const out: T[] = [];
    let from = after;
    for (;;) {
      const items = await page(from);
      out.push(...items);
      const last = items[items.length - 1];
      if (items.length < PAGE || last === undefined) return out;
      from = seqOf(last);
    }
  }

  /**
   * The cursors this publisher has read or written in a job's transaction, by its executor. From
   * the first `lockStream` to commit the transaction holds the stream lock and this is the only
   * writer of cursors, so a cursor seen here can only move by this transaction's own hand: the
   * other records of a batch (the rest of a `conversation.published` range, the old one-row-per-
   * record kinds) see they are out without reading it again. A rolled-back transaction's
   * executor is never used again, so its entries cannot mislead.
   */
  const seen = new WeakMap<Executor, Map<string, PublishedThrough>>();

  function see(trx: Executor, conversationId: string, through: PublishedThrough): void {
    let byConversation = seen.get(trx);
    if (byConversation === undefined) {
      byConversation = new Map();
      seen.set(trx, byConversation);
    }
    byConversation.set(conversationId, { lastEventSeq: through.lastEventSeq, lastMessageSeq: through.lastMessageSeq });
  }

  /**
   * Everything of the conversation not yet on the stream, in order. `alreadyOut` lets the caller
   * stop early: a handoff writes several events and a message, and the first of them to arrive
   * publishes them all — the others only need the cursor to see that.
   */
  async function publishConversation(
    trx: Executor,
    conversationId: string,
    now: number,
    alreadyOut: (cursor: PublishedThrough) => boolean,
    given?: PublishedRecords,
  ): Promise<void> {
    const known = seen.get(trx)?.get(conversationId);
    if (known !== undefined && alreadyOut(known)) return;
    await lockStream(trx);
    const cursor = await getStreamCursor(trx, conversationId);
    see(trx, conversationId, cursor);
    if (alreadyOut(cursor)) return;
    // The job's records when they continue the stream exactly where the cursor stands (the usual
    // case: the previous transaction's were published before); otherwise everything after the
    // cursor, read again, as for the one-record kinds.
    const givenEvents = given === undefined ? null : continuing(given.events, cursor.lastEventSeq);
    const givenMessages = given === undefined ? null : continuing(given.messages, cursor.lastMessageSeq);
    const fromGiven = givenEvents !== null && givenMessages !== null;
    const messages = fromGiven
      ? givenMessages
      : await readAll((after) => listMessages(trx, conversationId, { afterSeq: after, includePrivate: true, limit: PAGE }), (m) => m.seq, cursor.lastMessageSeq);
    const events = fromGiven
      ? givenEvents
      : await readAll((after) => listEvents(trx, conversationId, { afterSeq: after, limit: PAGE }), (e) => e.seq, cursor.lastEventSeq);
    if (messages.length === 0 && events.length === 0) return;
    const conversation = await getConversation(trx, conversationId);
    if (conversation === null) return;
    const loaded = await ctx.workspace.current(trx);
    const contact = messages.length === 0 ? null : await getContact(trx, conversation.contactId);
    const firstNameOf = (userId: string): string | null => {
      const name = loaded.model.users.get(userId)?.name;
      return name === undefined ? null : (name.split(' ')[0] ?? name);
    };

    // The status before this batch: as last published; for a conversation never published, the
    // `from` of its first status change here, else what the row says now.
    const firstChange = events.find((e) => e.type === 'conversation.status_changed');
    let status: string | null = cursor.status ?? (typeof firstChange?.data.from === 'string' ? firstChange.data.from : conversation.status);

    const drafts: StreamDraft[] = [];
    const touched = new Map<string, QueueTarget>();
    for (const item of mergeInOrder(events, messages)) {
      if (item.kind === 'event') {
        status = statusAfter(item.event, status);
        drafts.push(...presentEventForStream(item.event, { status, contactId: conversation.contactId, firstNameOf }));
        for (const target of queuesTouchedBy(item.event)) touched.set(targetKey(target), target);
      } else {
        const [presented] = presentMessages(loaded, contact, [item.message]) as [Message];
        drafts.push(...presentMessageForStream(presented, conversation.contactId));
      }
    }
    remember(await appendStreamEvents(trx, drafts, now));
    const through = {
      lastEventSeq: events[events.length - 1]?.seq ?? cursor.lastEventSeq,
      lastMessageSeq: messages[messages.length - 1]?.seq ?? cursor.lastMessageSeq,
    };
    await saveStreamCursor(trx, { conversationId, ...through, status, queuePosition: cursor.queuePosition }, now);
    see(trx, conversationId, through);
    if (touched.size > 0) {
      const trigger = `${conversationId}:e${events[events.length - 1]?.seq ?? 0}`;
      await publishQueuePositions(trx, [...touched.values()], conversation, trigger, now);
    }
  }

  /**
   * `queue.position` to every contact whose place in a touched line changed — including the
   * conversation that just left it (position null) — so the widget shows "you are number 3".
   * Near the front every move is sent; further back (LIVE_POSITIONS) a contact hears of it when
   * their position enters another block of POSITION_STEP places, and beyond LINE_HORIZON not
   * until they come within it: one claim writes at most ~30 frames and numbers at most
   * LINE_HORIZON places, however long the line. The database returns only the places that may
   * get a frame (listLineMoves), and the handoff's promise (for the expected wait) is read only
   * for those who get one. The conversation that moved is always told (its place counted when
   * it is beyond the horizon).
   */
  async function publishQueuePositions(trx: Executor, targets: readonly QueueTarget[], origin: ConversationRecord, trigger: string, now: number): Promise<void> {
    const positions = new Map<string, { contactId: string; position: number | null; told: number | null }>();
    for (const target of targets) {
      // A team's line only tells those waiting on the team itself; when there are none, reading
      // it (everyone waiting in the team's queues) would change nothing.
      if ('teamId' in target && !(await anyoneWaitingOnTeamItself(trx, target.teamId))) continue;
      // Only the places worth telling come back (and the origin's): the line is numbered and
      // filtered by the database, by the rule of worthTelling, which still decides below.
      const moves = await listLineMoves(trx, target, { limit: LINE_HORIZON, originId: origin.id, livePositions: LIVE_POSITIONS, positionStep: POSITION_STEP });
      for (const place of moves) {
        // A team's line counts everyone waiting with the team; its own frames go to those queued on it directly.
        if ('queueId' in target || place.queueId === null) positions.set(place.id, { contactId: place.contactId, position: place.position, told: place.told });
      }
    }
    if (!positions.has(origin.id)) {
      const told = (await getStreamCursor(trx, origin.id)).queuePosition;
      positions.set(origin.id, { contactId: origin.contactId, position: await queuePosition(trx, origin), told });
    }

    const moved = [...positions].filter(([, { position, told }]) => worthTelling(told, position));
    if (moved.length === 0) return;
    const promises = await promisedWaits(trx, moved.filter(([, { position }]) => position !== null).map(([id]) => id));
    const drafts: StreamDraft[] = [];
    for (const [id, { contactId, position }] of moved) {
      await saveQueuePosition(trx, id, position, now);
      drafts.push({
        conversationId: id,
        type: 'queue.position',
        audience: contactAudience(contactId),
        data: { position, expectedWaitSeconds: expectedWait(promises.get(id), position) },
        key: `${id}:q:${trigger}`,
      });
    }
    remember(await appendStreamEvents(trx, drafts, now));
  }

  async function publishNotifications(trx: Executor, payload: NotificationPayload, idempotencyKey: string, now: number): Promise<void> {
    await lockStream(trx);
    const drafts: StreamDraft[] = [];
    for (const userId of payload.recipients) {
      // notifyInApp keys each notification `${item key}:${recipient}` (delivery/outbox-worker.ts).
      const found = await findNotificationByKey(trx, `${idempotencyKey}:${userId}`);
      if (found === null) continue;
      drafts.push({ conversationId: found.conversationId, type: 'notification.created', audience: userAudience(userId), data: presentNotification(found), key: `notification:${found.id}` });
    }
    remember(await appendStreamEvents(trx, drafts, now));
  }

  return {
    name: 'realtime-stream',
    async onEvent(trx, event, now) {
      await publishConversation(trx, event.conversationId, now, (cursor) => cursor.lastEventSeq >= event.seq);
    },
    async onMessage(trx, message, now) {
      await publishConversation(trx, message.conversationId, now, (cursor) => cursor.lastMessageSeq >= message.seq);
    },
    async onRecords(trx, conversationId, records, now) {
      const lastEvent = records.events[records.events.length - 1]?.seq ?? 0;
      const lastMessage = records.messages[records.messages.length - 1]?.seq ?? 0;
      await publishConversation(trx, conversationId, now, (cursor) => cursor.lastEventSeq >= lastEvent && cursor.lastMessageSeq >= lastMessage, records);
    },
    decorate(job) {
      const previous = job.onDone;
      const onDone = (item: OutboxItem): void => {
        previous?.(item);
        flush();
      };
      if (job.mode === 'external') return job;
      if (PUBLISHING_KINDS.has(job.kind)) return { ...job, onDone };
      if (job.kind !== 'notify.in_app') return job;
      return {
        ...job,
        async run(trx, payload, item, now) {
          await job.run(trx, payload, item, now);
          const parsed = NotificationPayload.safeParse(payload);
          if (parsed.success) await publishNotifications(trx, parsed.data, item.idempotencyKey, now);
        },
        onDone,
      };
    },
  };
}

/**
 * The records after `publishedThrough`, when they follow it without a gap (seqs are contiguous
 * within a published range); null when the first of them is further on (something in between is
 * not out yet) — the caller reads from the cursor instead.
 */
export function continuing<T extends { readonly seq: number }>(records: readonly T[], publishedThrough: number): readonly T[] | null {
  const rest = records.filter((record) => record.seq > publishedThrough);
  const first = rest[0];
  return first === undefined || first.seq === publishedThrough + 1 ? rest : null;
}

/** The wait promised at handoff, scaled to the place the customer has now (null when not waiting). */
/** The promised wait scaled to the new position (the promise was made at `atPosition`). */
function expectedWait(promise: { readonly seconds: number | null; readonly atPosition: number | null } | undefined, position: number | null): number | null {
  const promised = promise?.seconds ?? null;
  if (position === null || promised === null) return null;
  const at = promise?.atPosition ?? position;
  return Math.round((promised * position) / Math.max(1, at));
}

/** Every move among the first LIVE_POSITIONS places is sent; further back, entering a new block of POSITION_STEP. */
export function worthTelling(before: number | null, now: number | null): boolean {
  if (before === now) return false;
  if (before === null || now === null || now <= LIVE_POSITIONS) return true;
  return Math.ceil(now / POSITION_STEP) !== Math.ceil(before / POSITION_STEP);
}
