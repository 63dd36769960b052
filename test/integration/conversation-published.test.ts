/**
 * What a transaction writes to a conversation reaches the subscribers (realtime stream, webhooks,
 * Bot Framework) through ONE `conversation.published` outbox row per conversation and
 * transaction, naming the seq ranges it wrote — not one row per event and per message — and
 * they see exactly what they saw with one row per record (which older versions wrote, and which
 * are still run).
 */
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTransaction, type Executor } from '../../src/store/database.js';
import { takeCommitted } from '../../src/store/repositories/committed-records.js';
import { appendEvent } from '../../src/store/repositories/events.js';
import { appendMessage } from '../../src/store/repositories/messages.js';
import { enqueue } from '../../src/store/repositories/outbox.js';
import { CONVERSATION_PUBLISHED, type ConversationPublishedPayload } from '../../src/store/repositories/publications.js';
import { EXAMPLE_CONFIG, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** Capacity that never binds, so the conversations of one app do not fill Ana up. */
const CONFIG = EXAMPLE_CONFIG.replace('capacity: { chat: 3, email: 10 }', 'capacity: { chat: 500, email: 500 }');

const PUBLISH_KINDS = [CONVERSATION_PUBLISHED, 'event.published', 'message.published'];

/**
 * Runs `fn` and returns the SQL of every statement it ran that reads events or messages, as the
 * drivers saw it: better-sqlite3's statements (the prepared ones run on the connection directly,
 * not through Kysely) and node-postgres' queries.
 */
async function readsOfRecords(fn: () => Promise<unknown>): Promise<string[]> {
  const scratch = new Sqlite(':memory:');
  const statement = Object.getPrototypeOf(scratch.prepare('select 1')) as Record<'all' | 'get' | 'iterate', (...args: unknown[]) => unknown>;
  scratch.close();
  const spies = [vi.spyOn(statement, 'all'), vi.spyOn(statement, 'get'), vi.spyOn(statement, 'iterate')];
  const pgQuery = vi.spyOn(pg.Client.prototype, 'query');
  try {
    await fn();
    const texts = [
      ...spies.flatMap((spy) => spy.mock.contexts.map((context) => (context as { source: string }).source)),
      ...pgQuery.mock.calls.map((args) => (typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]))),
    ];
    return texts.filter((text) => /from "(conversation_events|messages)"/.test(text));
  } finally {
    // Restoring clears what the spies saw: read first.
    for (const spy of spies) spy.mockRestore();
    pgQuery.mockRestore();
  }
}

interface PublishRow {
  readonly id: string;
  readonly kind: string;
  readonly idempotencyKey: string;
  readonly status: string;
  readonly payload: ConversationPublishedPayload;
}

eachDialect('publishing conversations', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let olu: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(dialect, { config: CONFIG });
    ana = await t.tokenFor('ana');
    olu = await t.tokenFor('olu');
  });
  afterAll(async () => {
    await t.close();
  });

  const db = (): Executor => t.baton.ctx.database.db;

  async function publishRows(conversationId: string): Promise<PublishRow[]> {
    const rows = await db()
      .selectFrom('outbox')
      .select(['id', 'kind', 'idempotency_key', 'status', 'payload', 'created_at'])
      .where('kind', 'in', PUBLISH_KINDS)
      .where('idempotency_key', 'like', `${conversationId}:%`)
      .orderBy('created_at')
      .orderBy('idempotency_key')
      .execute();
    return rows.map((row) => ({ id: row.id, kind: row.kind, idempotencyKey: row.idempotency_key, status: row.status, payload: JSON.parse(row.payload) as ConversationPublishedPayload }));
  }

  async function lastSeqs(conversationId: string): Promise<{ events: number; messages: number }> {
    const row = await db().selectFrom('conversations').select(['last_event_seq', 'last_message_seq']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    return { events: Number(row.last_event_seq), messages: Number(row.last_message_seq) };
  }

  async function aCustomerConversation(name: string): Promise<{ id: string; headers: Record<string, string> }> {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name, language: 'en' } } });
    expect(session.statusCode).toBe(201);
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
    expect(started.statusCode).toBe(201);
    return { id: started.data.conversation.id as string, headers };
  }

  /**
   * Replace the conversation's pending `conversation.published` rows by the rows an older version
   * wrote for the same records: one `event.published` per event, one `message.published` per
   * message, keyed as it keyed them.
   */
  async function asAnOlderVersionWrote(conversationId: string): Promise<void> {
    // Read before the transaction: on SQLite a query on the outer handle inside it would wait forever.
    const rows = (await publishRows(conversationId)).filter((row) => row.kind === CONVERSATION_PUBLISHED && row.status === 'pending');
    await withTransaction(t.baton.ctx.database, async (trx) => {
      for (const row of rows) {
        await trx.deleteFrom('outbox').where('id', '=', row.id).execute();
        const now = t.clock.now();
        const { events, messages } = row.payload;
        for (let seq = events?.from ?? 1; events !== null && seq <= events.to; seq++) {
          await enqueue(trx, { kind: 'event.published', idempotencyKey: `${conversationId}:event:${seq}`, payload: { conversationId, seq }, now });
        }
        for (let seq = messages?.from ?? 1; messages !== null && seq <= messages.to; seq++) {
          await enqueue(trx, { kind: 'message.published', idempotencyKey: `${conversationId}:message:${seq}`, payload: { conversationId, seq }, now });
        }
      }
    });
  }

  /** Empty the memory of the records the conversation's pending publish rows name. */
  async function forgetPending(conversationId: string): Promise<void> {
    for (const row of await publishRows(conversationId)) {
      if (row.kind !== CONVERSATION_PUBLISHED || row.status !== 'pending') continue;
      if (row.payload.events !== null) takeCommitted(db(), 'events', conversationId, row.payload.events);
      if (row.payload.messages !== null) takeCommitted(db(), 'messages', conversationId, row.payload.messages);
    }
  }

  /**
   * What the subscribers wrote for a conversation — its realtime frames in stream order and the
   * deliveries enqueued for it — with the ids that differ between two conversations (its own, its
   * contact's, its messages' and events') replaced by names, so two runs of one script compare.
   */
  async function subscriberOutput(conversationId: string): Promise<{ frames: unknown[]; deliveries: unknown[] }> {
    const conversation = await db().selectFrom('conversations').select(['contact_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    const names = new Map<string, string>([
      [conversationId, 'CONVERSATION'],
      [conversation.contact_id, 'CONTACT'],
    ]);
    for (const m of await db().selectFrom('messages').select(['id', 'seq']).where('conversation_id', '=', conversationId).execute()) names.set(m.id, `MESSAGE-${m.seq}`);
    for (const e of await db().selectFrom('conversation_events').select(['id', 'seq']).where('conversation_id', '=', conversationId).execute()) names.set(e.id, `EVENT-${e.seq}`);
    const named = (text: string | null): string => {
      let out = text ?? '';
      for (const [id, name] of names) out = out.split(id).join(name);
      return out;
    };
    // In-app notifications reach the stream through their own `notify.in_app` rows, not the
    // publish subscribers: where they fall among a commit's frames depends on the rows' random ids.
    const frames = await db()
      .selectFrom('stream_events')
      .select(['type', 'audience', 'key', 'data'])
      .where('conversation_id', '=', conversationId)
      .where('type', '!=', 'notification.created')
      .orderBy('seq')
      .execute();
    const deliveries = await db()
      .selectFrom('outbox')
      .select(['kind', 'idempotency_key', 'payload'])
      .where((eb) => eb.or([eb('kind', 'like', 'deliver.%'), eb('kind', 'like', 'notify.%')]))
      .where('idempotency_key', 'like', `%${conversationId}%`)
      .execute();
    return {
      frames: frames.map((f) => named(`${f.type} ${f.audience} ${f.key ?? ''} ${f.data}`)),
      deliveries: deliveries.map((d) => named(`${d.kind} ${d.idempotency_key} ${d.payload}`)).sort(),
    };
  }

  describe('one row per conversation and transaction', () => {
    it('writes exactly one publish row for a handoff, naming every event and message it wrote', async () => {
      const { id, headers } = await aCustomerConversation('Lucía');
      await t.baton.outbox.drain();
      const before = await lastSeqs(id);
      const rowsBefore = await publishRows(id);

      const handed = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers });
      expect(handed.data.conversation).toMatchObject({ status: 'assigned', owner: { name: 'Ana' } });

      const after = await lastSeqs(id);
      expect(after.events - before.events).toBeGreaterThanOrEqual(3);
      expect(after.messages - before.messages).toBeGreaterThanOrEqual(1);
      const written = (await publishRows(id)).slice(rowsBefore.length);
      expect(written).toHaveLength(1);
      expect(written[0]).toMatchObject({
        kind: CONVERSATION_PUBLISHED,
        status: 'pending',
        payload: { conversationId: id, events: { from: before.events + 1, to: after.events }, messages: { from: before.messages + 1, to: after.messages } },
      });

      await t.baton.outbox.drain();
      expect((await publishRows(id)).every((row) => row.status === 'done')).toBe(true);
      const cursor = await db().selectFrom('stream_cursors').selectAll().where('conversation_id', '=', id).executeTakeFirstOrThrow();
      expect({ events: Number(cursor.last_event_seq), messages: Number(cursor.last_message_seq) }).toEqual(after);
      // The handoff's subscribed events (CONFIG: handoff.completed, conversation.assigned) each became one webhook delivery.
      const hooks = (await subscriberOutput(id)).deliveries.filter((d) => String(d).startsWith('deliver.webhook'));
      expect(hooks.filter((d) => String(d).includes('"type":"handoff.completed"'))).toHaveLength(1);
      expect(hooks.filter((d) => String(d).includes('"type":"conversation.assigned"'))).toHaveLength(1);
    });

    it('writes one row per conversation when a transaction writes to two, each with its own ranges', async () => {
      const first = await aCustomerConversation('Aiko');
      const second = await aCustomerConversation('Bruno');
      await t.baton.outbox.drain();
      const a = await lastSeqs(first.id);
      const b = await lastSeqs(second.id);
      const now = t.clock.now();

      await withTransaction(t.baton.ctx.database, async (trx) => {
        await appendEvent(trx, { conversationId: first.id, type: 'test.noted', actor: 'system', now });
        await appendMessage(trx, { conversationId: second.id, author: 'system', body: 'one', now });
        await appendMessage(trx, { conversationId: first.id, author: 'system', body: 'two', now });
        await appendEvent(trx, { conversationId: second.id, type: 'test.noted', actor: 'system', now });
        await appendEvent(trx, { conversationId: first.id, type: 'test.noted', actor: 'system', now });
      });

      const pending = async (conversationId: string) => (await publishRows(conversationId)).filter((row) => row.status === 'pending');
      expect((await pending(first.id)).map((row) => row.payload)).toEqual([
        { conversationId: first.id, events: { from: a.events + 1, to: a.events + 2 }, messages: { from: a.messages + 1, to: a.messages + 1 } },
      ]);
      expect((await pending(second.id)).map((row) => row.payload)).toEqual([
        { conversationId: second.id, events: { from: b.events + 1, to: b.events + 1 }, messages: { from: b.messages + 1, to: b.messages + 1 } },
      ]);

      await t.baton.outbox.drain();
      for (const [conversationId, seqs] of [
        [first.id, { events: a.events + 2, messages: a.messages + 1 }],
        [second.id, { events: b.events + 1, messages: b.messages + 1 }],
      ] as const) {
        const cursor = await db().selectFrom('stream_cursors').selectAll().where('conversation_id', '=', conversationId).executeTakeFirstOrThrow();
        expect({ events: Number(cursor.last_event_seq), messages: Number(cursor.last_message_seq) }).toEqual(seqs);
        expect(await pending(conversationId)).toEqual([]);
      }
    });

    it('writes a row per append made outside any transaction', async () => {
      const { id } = await aCustomerConversation('Chen');
      await t.baton.outbox.drain();
      const before = await lastSeqs(id);
      await appendEvent(db(), { conversationId: id, type: 'test.noted', actor: 'system', now: t.clock.now() });
      await appendEvent(db(), { conversationId: id, type: 'test.noted', actor: 'system', now: t.clock.now() });
      const pending = (await publishRows(id)).filter((row) => row.status === 'pending');
      expect(pending.map((row) => row.payload.events)).toEqual([
        { from: before.events + 1, to: before.events + 1 },
        { from: before.events + 2, to: before.events + 2 },
      ]);
      await t.baton.outbox.drain();
    });

    it('starts a fresh row when its row was rolled back to a savepoint under a transaction still in use', async () => {
      const { id } = await aCustomerConversation('Diego');
      await t.baton.outbox.drain();
      const before = await lastSeqs(id);
      const now = t.clock.now();
      const trx = await db().startTransaction().execute();
      try {
        const savepoint = await trx.savepoint('before_append').execute();
        // The row is inserted through `trx`, after the savepoint; rolling back removes it while
        // `trx` — and whatever was remembered about it — lives on.
        await appendEvent(trx, { conversationId: id, type: 'test.noted', actor: 'system', now });
        await savepoint.rollbackToSavepoint('before_append').execute();
        await appendEvent(trx, { conversationId: id, type: 'test.noted', actor: 'system', now });
        await appendMessage(trx, { conversationId: id, author: 'system', body: 'after the rollback', now });
        await trx.commit().execute();
      } catch (error) {
        await trx.rollback().execute();
        throw error;
      }
      const pending = (await publishRows(id)).filter((row) => row.status === 'pending');
      expect(pending.map((row) => row.payload)).toEqual([
        { conversationId: id, events: { from: before.events + 1, to: before.events + 1 }, messages: { from: before.messages + 1, to: before.messages + 1 } },
      ]);
      await t.baton.outbox.drain();
      const cursor = await db().selectFrom('stream_cursors').selectAll().where('conversation_id', '=', id).executeTakeFirstOrThrow();
      expect({ events: Number(cursor.last_event_seq), messages: Number(cursor.last_message_seq) }).toEqual({ events: before.events + 1, messages: before.messages + 1 });
    });
  });

  describe('what the subscribers see', () => {
    /**
     * A handoff, Ana's reply, her internal note and a transfer to Olu, who resolves it: the worker
     * drains after each step, as it is kicked after each commit. `older` turns each step's publish
     * row into the one-row-per-record rows of an older version before the drain; `read back`
     * empties the memory of what the step committed, so that the job reads its records back (as
     * when another process wrote them). `reads`: the statements reading events or messages that
     * the drains ran.
     */
    async function script(name: string, mode: 'current' | 'older' | 'read back' = 'current'): Promise<{ id: string; afterEachStep: unknown[]; reads: string[] }> {
      const { id, headers } = await aCustomerConversation(name);
      const afterEachStep: unknown[] = [];
      const reads: string[] = [];
      const settle = async (): Promise<void> => {
        if (mode === 'older') await asAnOlderVersionWrote(id);
        if (mode === 'read back') await forgetPending(id);
        reads.push(...(await readsOfRecords(() => t.baton.outbox.drain())));
        afterEachStep.push(await subscriberOutput(id));
      };
      await settle();
      const steps = [
        () => t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers }),
        () => t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: ana, payload: { body: 'Looking into it' } }),
        () => t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: ana, payload: { body: 'VIP, careful', private: true } }),
        () => t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: ana, payload: { user: 'olu', note: 'VIP' } }),
        () => t.request({ method: 'POST', url: `/api/conversations/${id}/resolve`, headers: olu }),
      ];
      for (const step of steps) {
        const response = await step();
        expect(response.statusCode).toBeLessThan(300);
        await settle();
      }
      return { id, afterEachStep, reads };
    }

    it('gives the same frames and deliveries as one row per record, and still runs rows of the older kinds', async () => {
      const { id: current, afterEachStep: currentSteps } = await script('Fatima');
      const { id: older, afterEachStep: olderSteps } = await script('Fatima', 'older');

      expect((await publishRows(current)).every((row) => row.kind === CONVERSATION_PUBLISHED && row.status === 'done')).toBe(true);
      const olderRows = await publishRows(older);
      expect(olderRows.some((row) => row.kind === 'event.published')).toBe(true);
      expect(olderRows.some((row) => row.kind === 'message.published')).toBe(true);
      expect(olderRows.every((row) => row.kind !== CONVERSATION_PUBLISHED && row.status === 'done')).toBe(true);

      const mine = await subscriberOutput(current);
      expect(mine.frames.length).toBeGreaterThan(5);
      expect(mine.deliveries.some((d) => String(d).startsWith('deliver.webhook'))).toBe(true);
      // Step by step, not only in the end: a step's records are out when its job is done.
      expect(olderSteps).toEqual(currentSteps);
    });

    it('publishes in seq order when a later transaction\'s row runs before an earlier one\'s', async () => {
      // The same steps twice: once in order, once with the first step's publish row held back
      // until the second step's has run (a retry after a failure does that). The realtime
      // publisher must then read the gap from the store instead of trusting the job's records.
      const start = t.clock.now();
      const run = async (name: string, reorder: boolean): Promise<unknown[]> => {
        // Both runs at the same instants, so their frames compare equal.
        t.clock.set(start);
        const { id, headers } = await aCustomerConversation(name);
        await t.baton.outbox.drain();
        const first = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers });
        expect(first.statusCode).toBeLessThan(300);
        const held = (await publishRows(id)).filter((row) => row.kind === CONVERSATION_PUBLISHED && row.status === 'pending');
        if (reorder) {
          expect(held.length).toBe(1);
          await db().updateTable('outbox').set({ available_at: t.clock.now() + 3_600_000 }).where('id', '=', held[0]!.id).execute();
        }
        // A moment later: records of two transactions at the very same instant have no order
        // between an event and a message once read back from the store (merge-in-order.ts).
        t.clock.advance(1_000);
        const second = await t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: ana, payload: { body: 'Looking into it' } });
        expect(second.statusCode).toBeLessThan(300);
        await t.baton.outbox.drain();
        if (reorder) {
          await db().updateTable('outbox').set({ available_at: t.clock.now() }).where('id', '=', held[0]!.id).execute();
          await t.baton.outbox.drain();
        }
        expect((await publishRows(id)).every((row) => row.status === 'done')).toBe(true);
        return (await subscriberOutput(id)).frames;
      };
      const inOrder = await run('Noor', false);
      const reordered = await run('Noor', true);
      expect(inOrder.length).toBeGreaterThan(3);
      expect(reordered).toEqual(inOrder);
    });

    it('takes what this process committed from memory: no read of events or messages, the same output as reading them back', async () => {
      const fromMemory = await script('Kofi');
      const readBack = await script('Kofi', 'read back');
      expect(fromMemory.reads).toEqual([]);
      // The other run did read them back.
      expect(readBack.reads.some((text) => text.includes('"conversation_events"'))).toBe(true);
      expect(readBack.reads.some((text) => text.includes('"messages"'))).toBe(true);
      // Byte for byte (ids named): every frame's data and every delivery's payload, step by step.
      const last = fromMemory.afterEachStep[fromMemory.afterEachStep.length - 1] as { frames: string[]; deliveries: string[] };
      expect(last.frames.some((frame) => frame.startsWith('handoff.completed'))).toBe(true);
      expect(last.deliveries.some((delivery) => delivery.startsWith('deliver.webhook') && delivery.includes('"type":"handoff.completed"'))).toBe(true);
      expect(readBack.afterEachStep).toEqual(fromMemory.afterEachStep);
    });

    it('reads a range back when part of it is no longer in memory', async () => {
      const run = async (name: string, hole: boolean): Promise<{ frames: unknown[]; reads: string[] }> => {
        const { id } = await aCustomerConversation(name);
        await t.baton.outbox.drain();
        const before = await lastSeqs(id);
        await withTransaction(t.baton.ctx.database, async (trx) => {
          for (const body of ['one', 'two', 'three']) await appendMessage(trx, { conversationId: id, author: 'system', body, now: t.clock.now() });
          await appendEvent(trx, { conversationId: id, type: 'conversation.updated', actor: 'system', data: { priority: 'high' }, now: t.clock.now() });
        });
        // As when it was forgotten (the oldest go first) or taken by an earlier run of the job.
        if (hole) expect(takeCommitted(db(), 'messages', id, { from: before.messages + 2, to: before.messages + 2 })).toHaveLength(1);
        const reads = await readsOfRecords(() => t.baton.outbox.drain());
        expect((await publishRows(id)).every((row) => row.status === 'done')).toBe(true);
        return { frames: (await subscriberOutput(id)).frames, reads };
      };
      const whole = await run('Ines', false);
      const holed = await run('Ines', true);
      expect(whole.reads).toEqual([]);
      // The messages were read back (the events, all in memory, were not).
      expect(holed.reads.length).toBeGreaterThanOrEqual(1);
      expect(holed.reads.every((text) => text.includes('"messages"'))).toBe(true);
      expect(holed.frames.some((frame) => String(frame).startsWith('message.created') && String(frame).includes('"body":"two"'))).toBe(true);
      expect(holed.frames).toEqual(whole.frames);
    });

    it('adds nothing when a publish job runs again (subscribers are idempotent)', async () => {
      const { id } = await script('Olu');
      const once = await subscriberOutput(id);
      const frameCount = async (): Promise<number> =>
        Number((await db().selectFrom('stream_events').select((eb) => eb.fn.countAll<number>().as('n')).where('conversation_id', '=', id).executeTakeFirstOrThrow()).n);
      const frames = await frameCount();
      // As after a crash between the job's commit and its "done" being seen: every row again.
      await db()
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, available_at: t.clock.now() })
        .where('kind', '=', CONVERSATION_PUBLISHED)
        .where('idempotency_key', 'like', `${id}:%`)
        .execute();
      await t.baton.outbox.drain();
      expect((await publishRows(id)).every((row) => row.status === 'done')).toBe(true);
      expect(await frameCount()).toBe(frames);
      expect(await subscriberOutput(id)).toEqual(once);
    });
  });
});
