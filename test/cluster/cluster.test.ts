/**
 * Baton as a cluster (issue 20): two `baton serve` processes on one PostgreSQL database and the
 * machine's Redis (a prefix of this run's own), with nginx in front running the site file
 * docs/deployment.md recommends (test/cluster/harness.ts). Requests through nginx go round-robin
 * to both processes; some tests talk to one process directly to say which one does what.
 *
 * The tests run in order on one cluster; the kill -9 comes last (it leaves one process).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { allConversations, counterProblems, orphanProblems } from '../support/assignment-invariants.js';
import { startHttpReceiver, type HttpReceiver } from '../support/loopback-receivers.js';
import { admin, ADMIN_TOKEN, applyWorkspace, call, clusterEnabled, eventually, ok, startCluster, StreamClient, tokenFor, type Cluster, type Frame } from './harness.js';
import { clusterWorkspace, DESK, PICKER_CAPACITY, PICKERS } from './workspace.js';

const USERS: readonly string[] = [...PICKERS, ...DESK, 'w1', 'boss'];

/** Starts `count` conversations on `channel` through `base`, `concurrency` at a time; their ids, in order. */
async function startConversations(base: string, channel: string, count: number, concurrency: number): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      const started = await call(base, 'POST', '/api/conversations', admin, { channel, contact: { name: `Customer ${channel} ${n}` }, message: 'Hello, I need a person' });
      if (started.status !== 201) throw new Error(`POST /api/conversations on ${channel}: ${started.status} ${JSON.stringify(started.data)}`);
      ids[n] = started.data.conversation.id as string;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/** The seqs of the agents' stream after `after`, in order, as the database holds them. */
async function agentsStream(cluster: Cluster, after: number): Promise<number[]> {
  const rows = await cluster.database.db.selectFrom('stream_events').select('seq').where('audience', '=', 'agents').where('seq', '>', after).orderBy('seq').execute();
  return rows.map((r) => Number(r.seq));
}

/** Conversations whose committed events or messages have not all reached the realtime stream. */
async function unpublished(cluster: Cluster): Promise<number> {
  const rows = await cluster.database.db
    .selectFrom('conversations as c')
    .leftJoin('stream_cursors as s', 's.conversation_id', 'c.id')
    .select(['c.last_event_seq', 'c.last_message_seq', 's.last_event_seq as streamed_event_seq', 's.last_message_seq as streamed_message_seq'])
    .execute();
  return rows.filter((r) => (r.streamed_event_seq ?? 0) !== r.last_event_seq || (r.streamed_message_seq ?? 0) !== r.last_message_seq).length;
}

/** Outbox rows still to run or running (due or not). */
async function outboxOpen(cluster: Cluster, kinds: readonly string[]): Promise<number> {
  const rows = await cluster.database.db.selectFrom('outbox').select('id').where('kind', 'in', [...kinds]).where('status', 'in', ['pending', 'processing', 'failed']).execute();
  return rows.length;
}

describe.skipIf(!clusterEnabled)('two Baton processes behind nginx, on PostgreSQL and Redis', () => {
  let cluster: Cluster;
  let hooks: HttpReceiver;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    hooks = await startHttpReceiver();
    cluster = await startCluster();
    await applyWorkspace(cluster.url, clusterWorkspace({ hookUrl: `${hooks.url}/hook`, routedQueue: 'routed-a' }));
    for (const id of [...PICKERS, ...DESK]) tokens.set(id, await tokenFor(cluster.url, id));
  }, 240_000);

  afterAll(async () => {
    await cluster?.close();
    await hooks?.close();
  });

  const tailsOnFailure = (): void =>
    onTestFailed(() => {
      console.error(`cluster logs (${cluster.dir}):\n${cluster.tails()}`);
    });

  it('serves through nginx from both processes, sockets included', async () => {
    tailsOnFailure();
    for (const node of cluster.nodes) expect((await call(node.url, 'GET', '/readyz', {})).data).toMatchObject({ ok: true, database: 'postgres' });
    expect((await call(cluster.url, 'GET', '/healthz', {})).data).toEqual({ ok: true });
    const client = new StreamClient(cluster.url, ADMIN_TOKEN);
    await client.open();
    client.close();
    // nginx's access log names the process that answered (upstream=…): both did.
    const log = readFileSync(join(cluster.dir, 'nginx', 'access.log'), 'utf8');
    for (const node of cluster.nodes) expect(log).toContain(`upstream=127.0.0.1:${node.port}`);
  });

  it('200 conversations claimed by 8 agents through both processes at once: one winner each, no cap exceeded', async () => {
    tailsOnFailure();
    const ids = await startConversations(cluster.url, 'api-picks', 200, 8);
    const queued = await cluster.database.db.selectFrom('conversations').select(['id', 'status', 'queue_id', 'owner_id']).where('id', 'in', ids).execute();
    expect(queued.filter((c) => c.status !== 'queued' || c.queue_id !== 'picks' || c.owner_id !== null)).toEqual([]);
    const accessLogBefore = readFileSync(join(cluster.dir, 'nginx', 'access.log'), 'utf8').length;

    // Agents in pairs, each pair in the same order from its own quarter of the list, three claims
    // in flight per agent: the two of a pair race for every conversation, and an agent whose
    // quarter runs out races the next pair. An agent stops at its first "at capacity" answer,
    // with its other claims still in flight: the claims at the cap race each other too.
    const wins = new Map<string, string[]>();
    const unexpected: string[] = [];
    await Promise.all(
      PICKERS.map(async (userId, i) => {
        const headers = { authorization: `Bearer ${tokens.get(userId)!}` };
        const offset = Math.floor(i / 2) * (ids.length / 4);
        const order = [...ids.slice(offset), ...ids.slice(0, offset)];
        let next = 0;
        let full = false;
        const worker = async (): Promise<void> => {
          while (!full && next < order.length) {
            const id = order[next++]!;
            const claimed = await call(cluster.url, 'POST', `/api/conversations/${id}/claim`, headers, {});
            if (ok(claimed.status)) wins.set(id, [...(wins.get(id) ?? []), userId]);
            else if (claimed.status === 409 && claimed.data?.error?.code === 'over_capacity') full = true;
            else if (claimed.status !== 409) unexpected.push(`${userId} claim ${id}: ${claimed.status} ${JSON.stringify(claimed.data)}`);
          }
        };
        await Promise.all([worker(), worker(), worker()]);
      }),
    );
    expect(unexpected).toEqual([]);

    // One winner per conversation, and the row names it.
    expect([...wins].filter(([, users]) => users.length > 1)).toEqual([]);
    const rows = await cluster.database.db.selectFrom('conversations').select(['id', 'status', 'owner_id', 'queue_id']).where('id', 'in', ids).execute();
    for (const row of rows) expect({ id: row.id, owner: row.owner_id }).toEqual({ id: row.id, owner: wins.get(row.id)?.[0] ?? null });
    // Every agent filled up to their cap and no further; the rest still wait in the queue.
    const perAgent = new Map<string, number>();
    for (const row of rows) if (row.owner_id !== null) perAgent.set(row.owner_id, (perAgent.get(row.owner_id) ?? 0) + 1);
    expect(Object.fromEntries(perAgent)).toEqual(Object.fromEntries(PICKERS.map((id) => [id, PICKER_CAPACITY])));
    expect(rows.filter((r) => r.owner_id === null && r.status === 'queued' && r.queue_id === 'picks')).toHaveLength(200 - PICKERS.length * PICKER_CAPACITY);
    // The counters routing and the capacity check read agree with the rows.
    const open = await cluster.database.db.selectFrom('open_loads').select(['user_id', 'open']).where('user_id', 'in', [...PICKERS]).where('channel_type', '=', 'api').execute();
    expect(Object.fromEntries(open.map((r) => [r.user_id, Number(r.open)]))).toEqual(Object.fromEntries(PICKERS.map((id) => [id, PICKER_CAPACITY])));
    expect(await counterProblems(cluster.database.db)).toEqual([]);
    expect(orphanProblems(await allConversations(cluster.database.db), USERS)).toEqual([]);

    // Both processes took claims.
    const claims = readFileSync(join(cluster.dir, 'nginx', 'access.log'), 'utf8').slice(accessLogBefore).split('\n').filter((line) => line.includes('/claim '));
    for (const node of cluster.nodes) expect(claims.filter((line) => line.includes(`upstream=127.0.0.1:${node.port}`)).length).toBeGreaterThan(50);
  }, 120_000);

  it('SLA timers and webhook deliveries with both processes running: each fires once and is sent once', async () => {
    tailsOnFailure();
    const ids = await startConversations(cluster.url, 'api-slow', 20, 4);
    // Each breaches once (2 s after its handoff) and is re-routed to `escalated`, which has no SLA.
    await eventually(
      'every conversation breached and re-routed',
      async () => {
        const rows = await cluster.database.db.selectFrom('conversations').select(['id', 'queue_id']).where('id', 'in', ids).execute();
        return rows.every((r) => r.queue_id === 'escalated') ? true : undefined;
      },
      60_000,
    );
    // Quiet: no timer, publication or delivery left to run anywhere, so none can come twice later.
    await eventually('the outbox settled', async () => ((await outboxOpen(cluster, ['timer.sla.first_response', 'notify.webhook', 'deliver.webhook'])) === 0 && (await unpublished(cluster)) === 0 ? true : undefined), 60_000);
    await eventually('every delivery settled', async () => {
      const open = await cluster.database.db.selectFrom('outbox').select('id').where('status', 'in', ['pending', 'processing', 'failed']).where('kind', 'like', 'deliver.%').execute();
      return open.length === 0 ? true : undefined;
    });

    const events = await cluster.database.db
      .selectFrom('conversation_events')
      .select(['conversation_id', 'seq', 'type'])
      .where('conversation_id', 'in', ids)
      .where('type', 'in', ['sla.breached', 'handoff.completed'])
      .execute();
    const count = (type: string): Record<string, number> => {
      const out: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
      for (const e of events) if (e.type === type) out[e.conversation_id] = (out[e.conversation_id] ?? 0) + 1;
      return out;
    };
    // One breach each; two handoffs each (the first, and the re-route the breach made).
    expect(count('sla.breached')).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    expect(count('handoff.completed')).toEqual(Object.fromEntries(ids.map((id) => [id, 2])));

    // Every one of those events was sent to the webhook exactly once.
    const mine = new Set(ids);
    const sent = new Map<string, number>();
    const webhookIds = new Map<string, number>();
    for (const request of hooks.requests) {
      const body = JSON.parse(request.body) as { type: string; data: { conversationId: string; seq: number } };
      if (!mine.has(body.data.conversationId)) continue;
      const key = `${body.data.conversationId}:${body.data.seq}:${body.type}`;
      sent.set(key, (sent.get(key) ?? 0) + 1);
      const id = String(request.headers['webhook-id']);
      webhookIds.set(id, (webhookIds.get(id) ?? 0) + 1);
    }
    const expected = Object.fromEntries(events.map((e) => [`${e.conversation_id}:${e.seq}:${e.type}`, 1]));
    expect(Object.fromEntries(sent)).toEqual(expected);
    expect([...webhookIds.values()].filter((n) => n > 1)).toEqual([]);
  }, 120_000);

  // Through Redis (REDIS_URL): without it a frame written by B reaches a socket on A only at A's
  // next ping (up to 30 s) or A's next own write — the 1 s bound tells the two apart.
  it('an agent socket on A hears a handoff made through B within 1 s', async () => {
    tailsOnFailure();
    const [a, b] = cluster.nodes;
    const client = new StreamClient(a.url, tokens.get('d1')!);
    await client.open();
    try {
      for (let round = 0; round < 3; round++) {
        const [id] = await startConversations(b.url, 'api-main', 1, 1);
        // From the answer: the handoff is committed; its frames are published after commit.
        await client.frame((f) => f.type === 'handoff.completed' && f.conversationId === id, 1_000, `handoff.completed of ${id} on A`);
      }
    } finally {
      client.close();
    }
  }, 60_000);

  it('a config applied through A routes the next handoff on B', async () => {
    tailsOnFailure();
    const [a, b] = cluster.nodes;
    // B has decided with the current workspace (and cached it).
    const [before] = await startConversations(b.url, 'api-config', 1, 1);
    expect((await call(b.url, 'GET', `/api/conversations/${before}`, admin)).data.queue).toBe('routed-a');
    await applyWorkspace(a.url, clusterWorkspace({ hookUrl: `${hooks.url}/hook`, routedQueue: 'routed-b' }));
    const [after] = await startConversations(b.url, 'api-config', 1, 1);
    expect((await call(b.url, 'GET', `/api/conversations/${after}`, admin)).data.queue).toBe('routed-b');
    await applyWorkspace(a.url, clusterWorkspace({ hookUrl: `${hooks.url}/hook`, routedQueue: 'routed-a' }));
  }, 60_000);

  it('kill -9 of one process under handoff load: no acknowledged handoff lost, none without owner or queue, sockets resume on the other with no gap or duplicate', async () => {
    tailsOnFailure();
    const [a] = cluster.nodes;
    // Four sockets through nginx, opened one after another: nginx's one worker alternates A, B.
    const clients = Array.from({ length: 4 }, () => new StreamClient(cluster.url, ADMIN_TOKEN));
    for (const client of clients) await client.open();
    const starts = clients.map((c) => c.readies[0]!);

    const acked: string[] = [];
    const failures: string[] = [];
    let stop = false;
    let killed = false;
    let ackedAfterKill = 0;
    const maker = async (n: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        let answer: { status: number; data: { conversation?: { id: string } } };
        try {
          answer = await call(cluster.url, 'POST', '/api/conversations', admin, { channel: 'api-main', contact: { name: `Load ${n}-${i}` }, message: 'Hello, I need a person' });
        } catch (error) {
          failures.push(`maker ${n}: ${String(error)}`);
          continue;
        }
        if (answer.status === 201 && answer.data.conversation !== undefined) {
          acked.push(answer.data.conversation.id);
          if (killed) ackedAfterKill += 1;
        } else if (!(killed && answer.status === 502)) {
          // Only the requests A had when it died may fail, with nginx's 502.
          failures.push(`maker ${n}: ${answer.status} ${JSON.stringify(answer.data)}`);
        }
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, n) => maker(n)));
    await eventually('40 handoffs acknowledged', async () => (acked.length >= 40 ? true : undefined), 60_000);
    killed = true;
    await a.kill9();
    await eventually('40 handoffs acknowledged after the kill', async () => (ackedAfterKill >= 40 ? true : undefined), 60_000);
    stop = true;
    await load;
    const before502s = failures.filter((f) => !f.includes(' 502 '));
    expect(before502s).toEqual([]);

    // Every acknowledged handoff is in the database, handed off.
    const handed = await cluster.database.db.selectFrom('conversation_events').select('conversation_id').where('conversation_id', 'in', acked).where('type', '=', 'handoff.completed').execute();
    expect(new Set(handed.map((r) => r.conversation_id)).size).toBe(new Set(acked).size);
    const conversations = await allConversations(cluster.database.db);
    expect(orphanProblems(conversations, USERS)).toEqual([]);
    expect(conversations.filter((c) => acked.includes(c.id) && c.status === 'bot')).toEqual([]);
    expect(await counterProblems(cluster.database.db)).toEqual([]);

    // Everything committed reached the stream (B publishes what A left), and each socket — those
    // on A after reconnecting to B through nginx — received exactly the stream, in order.
    await eventually('every commit published', async () => ((await unpublished(cluster)) === 0 ? true : undefined), 60_000);
    const dropped = clients.filter((c) => c.drops.length > 0);
    expect(dropped.length).toBeGreaterThan(0);
    for (const [i, client] of clients.entries()) {
      const expected = await agentsStream(cluster, starts[i]!);
      const last = expected.at(-1)!;
      await client.until(() => (client.lastSeq ?? 0) >= last, 30_000, `client ${i} at seq ${last}`);
      const seqs = client.frames.map((f: Frame) => f.seq).filter((seq) => seq <= last);
      expect({ client: i, seqs }).toEqual({ client: i, seqs: expected });
    }
    for (const client of dropped) expect(client.readies.length).toBeGreaterThan(1);
    for (const client of clients) client.close();
  }, 180_000);
});
