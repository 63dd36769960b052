import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstStreamSeq, lastStreamSeq, readStream } from '../../src/store/repositories/stream.js';
import { pruneRealtimeStream } from '../../src/delivery/workers/stream-pruner.js';
import { EXAMPLE_CONFIG, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

interface Frame {
  seq: number;
  type: string;
  conversationId: string | null;
  data: Record<string, unknown>;
}

/** A WebSocket client on /api/realtime that keeps every frame it receives. */
interface Client {
  readonly frames: Frame[];
  /** Stored frames only (no stream.ready, no typing). */
  stored(): Frame[];
  waitFor(predicate: (frames: Frame[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const EPHEMERAL = new Set(['stream.ready', 'typing']);

/** Capacity that never binds, so no test has to count what Ana already holds. */
const CONFIG = EXAMPLE_CONFIG.replace('capacity: { chat: 3, email: 10 }', 'capacity: { chat: 500, email: 500 }');

// Each test its own world (its own Baton on its own database): a test's conversations, Ana's
// status and the pruned stream never reach another test, so the tests run in any order.
eachDialect('realtime', (dialect) => {
  let t: TestApp;
  let base: string;
  let ana: Record<string, string>;
  let olu: Record<string, string>;

  beforeEach(async () => {
    t = await startTestApp(dialect, { config: CONFIG });
    ana = await t.tokenFor('ana');
    olu = await t.tokenFor('olu');
    await t.baton.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.baton.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    base = `ws://127.0.0.1:${address.port}/api/realtime`;
  });
  afterEach(async () => {
    await t.close();
  });

  /** Opens a socket; resolves once the server said `stream.ready` (registered for live frames). */
  function connect(query = '', headers: Record<string, string> = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${base}${query}`, { headers });
      const frames: Frame[] = [];
      /** Waiters re-checked on every frame that arrives (no polling). */
      const waiters = new Set<() => void>();
      const client: Client = {
        frames,
        stored: () => frames.filter((f) => !EPHEMERAL.has(f.type)),
        waitFor(predicate, what, timeoutMs = 5_000) {
          return new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => {
              waiters.delete(check);
              reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(frames.map((f) => [f.seq, f.type, f.conversationId]))}`));
            }, timeoutMs);
            function check(): void {
              let met: boolean;
              try {
                met = predicate(frames);
              } catch (error) {
                clearTimeout(timer);
                waiters.delete(check);
                reject(error instanceof Error ? error : new Error(String(error)));
                return;
              }
              if (!met) return;
              clearTimeout(timer);
              waiters.delete(check);
              resolve();
            }
            waiters.add(check);
            check();
          });
        },
        close: () =>
          new Promise<void>((done) => {
            if (ws.readyState === WebSocket.CLOSED) return done();
            ws.once('close', () => done());
            ws.close();
          }),
      };
      ws.on('message', (raw) => {
        const frame = JSON.parse((raw as Buffer).toString('utf8')) as Frame;
        frames.push(frame);
        for (const check of [...waiters]) check();
        if (frame.type === 'stream.ready') resolve(client);
      });
      ws.on('unexpected-response', (_request, response) => reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { statusCode: response.statusCode })));
      ws.on('error', reject);
    });
  }

  async function refusedWith(query: string, headers: Record<string, string> = {}): Promise<number> {
    try {
      const client = await connect(query, headers);
      await client.close();
      return 101;
    } catch (error) {
      return (error as { statusCode?: number }).statusCode ?? -1;
    }
  }

  async function aCustomer(contact: Record<string, unknown>) {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact } });
    expect(session.statusCode).toBe(201);
    const token = session.data.token as string;
    const headers = { authorization: `Bearer ${token}` };
    return {
      token,
      headers,
      contactId: session.data.contactId as string,
      async start(message?: string): Promise<string> {
        const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: message === undefined ? {} : { message } });
        expect(started.statusCode).toBe(201);
        return started.data.conversation.id as string;
      },
      say: (id: string, body: string) => t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers, payload: { body } }),
      human: (id: string) => t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers }),
    };
  }

  const reply = (id: string, body: string, as: Record<string, string>, isPrivate = false) =>
    t.request({ method: 'POST', url: `/api/conversations/${id}/messages`, headers: as, payload: { body, private: isPrivate } });

  const of = (frames: Frame[], conversationId: string, type?: string): Frame[] =>
    frames.filter((f) => f.conversationId === conversationId && (type === undefined || f.type === type));

  /** Stored seqs strictly increasing, none twice (CW PR #13713). */
  function expectInOrder(frames: Frame[]): void {
    const seqs = frames.filter((f) => !EPHEMERAL.has(f.type)).map((f) => f.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
  }

  /** A conversation owned by Ana (a handoff while she is available). */
  async function anAssignedConversation(name: string) {
    const customer = await aCustomer({ name, language: 'en' });
    const id = await customer.start();
    const handed = await customer.human(id);
    expect(handed.data.conversation).toMatchObject({ status: 'assigned', owner: { name: 'Ana' } });
    return { customer, id };
  }

  describe('refusals', () => {
    it('answers 401 before the upgrade without credentials or with a wrong token', async () => {
      expect(await refusedWith('')).toBe(401);
      expect(await refusedWith('?token=bc_not-a-session')).toBe(401);
      expect(await refusedWith('', { authorization: 'Bearer bt_nope' })).toBe(401);
      expect(await refusedWith('?after=-3', ana)).toBe(422);
    });

    it("never shows a customer another contact's stream, nor lets them type into it", async () => {
      const mallory = await aCustomer({ name: 'Mallory' });
      const watching = await connect(`?token=${mallory.token}`);
      const lucia = await aCustomer({ name: 'Lucía', language: 'en' });
      const id = await lucia.start('hello there');
      await lucia.human(id);
      await reply(id, 'Hi Lucía, Ana here', ana);
      await t.baton.outbox.drain();
      // Ana's own socket shows the handoff went through the stream …
      const agent = await connect('?after=0', ana);
      await agent.waitFor((f) => of(f, id, 'message.created').length >= 2, 'the conversation on the agents stream');
      // … and Mallory saw none of it.
      expect(watching.stored()).toEqual([]);
      const typing = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/typing`, headers: mallory.headers });
      expect(typing.statusCode).toBe(404);
      const agentTyping = await t.request({ method: 'POST', url: `/api/conversations/${id}/typing`, headers: mallory.headers, payload: {} });
      expect(agentTyping.statusCode).toBe(403);
      await watching.close();
      await agent.close();
    });
  });

  describe('a customer asks for a person', () => {
    it('shows the agent the message, the handoff and the assignment; the customer hears who joined, never the trace', async () => {
      const agent = await connect('', ana);
      const lucia = await aCustomer({ name: 'Lucía', language: 'es', properties: { plan: 'enterprise' } });
      const customer = await connect(`?token=${lucia.token}`);
      const id = await lucia.start();
      const turn = await lucia.say(id, 'quiero hablar con una persona');
      expect(turn.data.conversation).toMatchObject({ status: 'assigned', owner: { name: 'Ana' } });
      await t.baton.outbox.drain();

      await agent.waitFor((f) => of(f, id, 'handoff.completed').length === 1 && f.some((x) => x.type === 'notification.created'), 'handoff.completed and the notification');
      const mine = of(agent.frames, id);
      expect(mine.find((f) => f.type === 'message.created' && f.data.body === 'quiero hablar con una persona')).toMatchObject({ data: { author: 'contact', authorName: 'Lucía', seq: 1 } });
      expect(mine.find((f) => f.type === 'handoff.started')?.data).toMatchObject({ trigger: 'customer_requested_human' });
      expect(mine.find((f) => f.type === 'handoff.completed')?.data).toMatchObject({ trigger: 'customer_requested_human', rule: 'enterprise-spanish', assignee: 'ana', queue: 'es-support' });
      // The decision's recorded input (every agent's state, for replay) is an admin's, never on the agents' stream.
      expect(mine.find((f) => f.type === 'handoff.completed')?.data).not.toHaveProperty('input');
      expect(mine.find((f) => f.type === 'conversation.assigned')?.data).toMatchObject({ to: 'ana', from: null, toQueue: 'es-support', reason: 'handoff', owner: 'ana' });
      expect(mine.find((f) => f.type === 'conversation.updated' && f.data.cause === 'conversation.status_changed')?.data).toMatchObject({ status: 'assigned', owner: 'ana' });
      expect(agent.frames.find((f) => f.type === 'notification.created' && f.conversationId === id)?.data).toMatchObject({ read: false });
      expectInOrder(agent.frames);

      await customer.waitFor((f) => f.some((x) => x.type === 'conversation.assigned'), 'joined');
      const seen = customer.stored();
      expect(seen.every((f) => f.conversationId === id)).toBe(true);
      expect(seen.find((f) => f.type === 'conversation.assigned')?.data).toEqual({ name: 'Ana' });
      // The join note is a stored message, published after the handoff's commit like any other.
      await customer.waitFor((f) => f.some((x) => x.type === 'message.created' && x.data.body === 'Ana se ha unido a la conversación.'), 'the join note');
      expect(customer.stored().filter((f) => f.type === 'message.created' && String(f.data.body).includes('unido'))).toHaveLength(1);
      expect(seen.find((f) => f.type === 'handoff.completed')?.data).toEqual({});
      expect(seen.find((f) => f.type === 'conversation.updated')?.data).toEqual({ status: 'assigned', owner: { name: 'Ana' } });
      expect(seen.some((f) => f.type === 'notification.created')).toBe(false);
      const text = JSON.stringify(seen);
      for (const secret of ['trace', 'enterprise-spanish', 'evaluated', 'candidates', 'es-support', 'trigger']) expect(text).not.toContain(secret);
      expectInOrder(customer.frames);
      await agent.close();
      await customer.close();
    });

    it("tells waiting customers their place in the queue and who joined, and keeps internal notes from them", async () => {
      await t.request({ method: 'PATCH', url: '/api/users/ana/status', headers: ana, payload: { status: 'away' } });
      try {
        const first = await aCustomer({ name: 'First', language: 'en' });
        const second = await aCustomer({ name: 'Second', language: 'en' });
        const firstSocket = await connect(`?token=${first.token}`);
        const secondSocket = await connect(`?token=${second.token}`);
        const a = await first.start();
        expect((await first.human(a)).data.conversation.status).toBe('queued');
        t.clock.advance(1_000);
        const b = await second.start();
        expect((await second.human(b)).data.conversation.status).toBe('queued');
        await t.baton.outbox.drain();
        const positions = (c: Client) => c.stored().filter((f) => f.type === 'queue.position').map((f) => f.data.position);
        await firstSocket.waitFor(() => positions(firstSocket).includes(1), 'first in line');
        await secondSocket.waitFor(() => positions(secondSocket).includes(2), 'second in line');
        expect(firstSocket.stored().find((f) => f.type === 'conversation.updated')?.data).toEqual({ status: 'queued', owner: null });
        expect(firstSocket.stored().find((f) => f.type === 'handoff.started')?.data).toEqual({});

        expect((await reply(a, 'VIP, be nice — internal', olu, true)).statusCode).toBe(201);
        expect((await t.request({ method: 'POST', url: `/api/conversations/${a}/claim`, headers: olu })).statusCode).toBe(200);
        await t.baton.outbox.drain();

        await firstSocket.waitFor((f) => f.some((x) => x.type === 'conversation.assigned'), 'Olu joined');
        expect(firstSocket.stored().find((f) => f.type === 'conversation.assigned')?.data).toEqual({ name: 'Olu' });
        await firstSocket.waitFor(() => positions(firstSocket).at(-1) === null, 'out of the queue');
        await firstSocket.waitFor((f) => f.some((x) => x.type === 'message.created' && String(x.data.body).startsWith('Olu joined')), 'the joined message');
        // The second customer moved up.
        await secondSocket.waitFor(() => positions(secondSocket).at(-1) === 1, 'moved up to 1');
        expect(positions(secondSocket)).toEqual([2, 1]);
        // Its wait is the one its handoff promised, scaled to the new place.
        const promised = (await t.request({ method: 'GET', url: `/api/conversations/${b}`, headers: olu })).data.handoff;
        expect(promised).toMatchObject({ queuePosition: 2, expectedWaitSeconds: expect.any(Number) });
        const waits = secondSocket.stored().filter((f) => f.type === 'queue.position').map((f) => f.data.expectedWaitSeconds);
        expect(waits.at(-1)).toBe(Math.round((promised.expectedWaitSeconds as number) / 2));

        const text = JSON.stringify(firstSocket.frames);
        expect(text).not.toContain('VIP, be nice');
        expect(firstSocket.stored().some((f) => f.type === 'message.created' && f.data.private === true)).toBe(false);
        expect(secondSocket.stored().every((f) => f.conversationId === b)).toBe(true);
        expectInOrder(firstSocket.frames);
        expectInOrder(secondSocket.frames);
        await firstSocket.close();
        await secondSocket.close();
      } finally {
        await t.request({ method: 'PATCH', url: '/api/users/ana/status', headers: ana, payload: { status: 'available' } });
      }
    });
  });

  describe('reconnect and resume', () => {
    it('gets exactly the missed frames, in order, after reconnecting with after=<last seq>', async () => {
      const { customer, id } = await anAssignedConversation('Resumer');
      const before = await connect('', ana);
      await reply(id, 'first reply', ana);
      await t.baton.outbox.drain();
      await before.waitFor((f) => of(f, id, 'message.created').some((x) => x.data.body === 'first reply'), 'the first reply');
      const last = before.stored().at(-1)!.seq;
      await before.close();

      // Missed while away: agent replies, a note and customer messages.
      await reply(id, 'second reply', ana);
      await reply(id, 'a note', ana, true);
      await customer.say(id, 'customer writes');
      await reply(id, 'third reply', ana);
      await t.baton.outbox.drain();

      const expected = await readStream(t.baton.ctx.database.db, { audiences: ['agents', 'user:ana'], after: last, limit: 1_000 });
      expect(expected.map((e) => e.type)).toEqual(['message.created', 'message.created', 'message.created', 'message.created']);
      const after = await connect(`?after=${last}`, ana);
      await after.waitFor((f) => f.filter((x) => !EPHEMERAL.has(x.type)).length >= expected.length, 'the replay');
      // Live again: one more, no duplicate of the replay.
      await reply(id, 'live again', ana);
      await t.baton.outbox.drain();
      await after.waitFor((f) => f.some((x) => x.data.body === 'live again'), 'the live frame');

      const replayed = after.stored().slice(0, expected.length);
      expect(replayed.map((f) => f.seq)).toEqual(expected.map((e) => e.seq));
      expect(replayed.map((f) => f.type)).toEqual(expected.map((e) => e.type));
      expect(after.stored().every((f) => f.seq > last)).toBe(true);
      expect(of(after.stored(), id, 'message.created').map((f) => f.data.body)).toEqual(['second reply', 'a note', 'customer writes', 'third reply', 'live again']);
      expectInOrder(after.frames);
      await after.close();
    });

    it('loses and doubles nothing when frames are published while the replay runs', async () => {
      const { id } = await anAssignedConversation('Racer');
      const start = await connect('', ana);
      const from = start.frames[0]!.seq;
      await start.close();
      for (let i = 0; i < 30; i++) await reply(id, `backlog ${i}`, ana);
      // Publish the backlog and more while the socket replays and goes live.
      const racing = (async () => {
        await t.baton.outbox.drain();
        for (let i = 0; i < 10; i++) await reply(id, `during ${i}`, ana);
        await t.baton.outbox.drain();
      })();
      const client = await connect(`?after=${from}`, ana);
      await racing;
      const ours = (f: Frame[]) => of(f, id, 'message.created').filter((x) => /^(backlog|during) /.test(String(x.data.body)));
      await client.waitFor((f) => ours(f).length === 40, 'all 40 messages');
      expect(ours(client.frames).map((f) => f.data.body)).toEqual([...Array.from({ length: 30 }, (_, i) => `backlog ${i}`), ...Array.from({ length: 10 }, (_, i) => `during ${i}`)]);
      const expected = await readStream(t.baton.ctx.database.db, { audiences: ['agents', 'user:ana'], after: from, limit: 5_000 });
      expect(client.stored().map((f) => f.seq)).toEqual(expected.map((e) => e.seq));
      await client.close();
    });
  });

  describe('bursts', () => {
    it('delivers a burst of messages in one conversation in message order, whatever order the outbox hands them over in', async () => {
      const { customer, id } = await anAssignedConversation('Burst');
      const agent = await connect('', ana);
      const customerSocket = await connect(`?token=${customer.token}`);
      // Same instant (manual clock): the outbox rows tie on time and come out in random-id order.
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => reply(id, `burst ${i}`, ana)));
      expect(results.every((r) => r.statusCode === 201)).toBe(true);
      await t.baton.outbox.drain();
      const burst = (f: Frame[]) => of(f, id, 'message.created').filter((x) => String(x.data.body).startsWith('burst '));
      await agent.waitFor((f) => burst(f).length === 40, '40 messages (agent)');
      await customerSocket.waitFor((f) => burst(f).length === 40, '40 messages (customer)');
      for (const client of [agent, customerSocket]) {
        const seqs = burst(client.frames).map((f) => f.data.seq as number);
        const first = seqs[0]!;
        expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => first + i));
        expectInOrder(client.frames);
      }
      await agent.close();
      await customerSocket.close();
    });
  });

  describe('typing', () => {
    it('relays typing both ways, rate-limited, and keeps a note draft from the customer', async () => {
      const { customer, id } = await anAssignedConversation('Typist');
      const agent = await connect('', ana);
      const customerSocket = await connect(`?token=${customer.token}`);
      t.clock.advance(5_000);
      expect((await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/typing`, headers: customer.headers })).statusCode).toBe(204);
      expect((await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/typing`, headers: customer.headers })).statusCode).toBe(204);
      await agent.waitFor((f) => of(f, id, 'typing').length === 1, 'customer typing');
      expect(of(agent.frames, id, 'typing')[0]!.data).toMatchObject({ author: 'contact', contactId: customer.contactId });

      expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/typing`, headers: ana, payload: { private: true } })).statusCode).toBe(204);
      t.clock.advance(5_000);
      expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/typing`, headers: ana, payload: {} })).statusCode).toBe(204);
      await customerSocket.waitFor((f) => of(f, id, 'typing').length === 1, 'agent typing');
      expect(of(customerSocket.frames, id, 'typing')[0]!.data).toEqual({ author: 'user', name: 'Ana' });
      await agent.waitFor((f) => of(f, id, 'typing').length === 3, 'both agent typing frames');
      // Typing is not stored: a replay has none.
      const replay = await connect('?after=0', ana);
      // Barrier: a stored frame published after the replay socket opened. Frames go out in seq
      // order, replay first, so once it arrives the whole replay has been received.
      expect((await reply(id, 'after the replay', ana)).statusCode).toBe(201);
      await t.baton.outbox.drain();
      await replay.waitFor((f) => of(f, id, 'message.created').some((x) => x.data.body === 'after the replay'), 'the frame after the replay');
      expect(replay.frames.some((f) => f.type === 'typing')).toBe(false);
      await Promise.all([agent.close(), customerSocket.close(), replay.close()]);
    });
  });
  describe('retention', () => {
    it('prunes frames past BATON_STREAM_RETENTION_HOURS, keeps the newest, and tells a client that asks for pruned ones', async () => {
      await anAssignedConversation('Retained');
      await t.baton.outbox.drain();
      const ready = (client: Client) => client.frames.find((f) => f.type === 'stream.ready')!.data;
      const total = (await t.baton.ctx.database.db.selectFrom('stream_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
      const last = await lastStreamSeq(t.baton.ctx.database.db);
      expect(Number(total)).toBeGreaterThan(1);

      // Within retention: nothing goes.
      expect(await pruneRealtimeStream(t.baton.ctx)).toBe(0);
      const before = await connect('?after=0', ana);
      expect(ready(before)).toEqual({ after: 0, truncated: false });
      await before.close();

      // A week and a bit later everything but the newest row is past retention.
      t.clock.advance((t.baton.ctx.env.BATON_STREAM_RETENTION_HOURS + 1) * 3_600_000);
      expect(await pruneRealtimeStream(t.baton.ctx)).toBe(Number(total) - 1);
      expect(await firstStreamSeq(t.baton.ctx.database.db)).toBe(last);
      expect(await lastStreamSeq(t.baton.ctx.database.db)).toBe(last);

      const stale = await connect('?after=0', ana);
      expect(ready(stale)).toEqual({ after: 0, truncated: true });
      const current = await connect(`?after=${last}`, ana);
      expect(ready(current)).toEqual({ after: last, truncated: false });
      await Promise.all([stale.close(), current.close()]);

      // Seqs go on from the newest row: nothing handed out twice.
      await anAssignedConversation('After pruning');
      await t.baton.outbox.drain();
      expect(await firstStreamSeq(t.baton.ctx.database.db)).toBe(last);
      expect(await lastStreamSeq(t.baton.ctx.database.db)).toBeGreaterThan(last);
    });
  });
});
