/**
 * Redis stopped mid-run and restarted (issue 20): a cluster (test/cluster/harness.ts) on a Redis
 * of this test's own, started with `redis-server` on a free port, killed with SIGKILL while
 * handoffs are being made and started again. Redis holds nothing Baton cannot lose: the handoffs
 * go on, and the durable stream (`stream_events`) keeps every frame for `?after=`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { allConversations, orphanProblems } from '../support/assignment-invariants.js';
import { startHttpReceiver, type HttpReceiver } from '../support/loopback-receivers.js';
import { admin, ADMIN_TOKEN, applyWorkspace, call, clusterEnabled, eventually, startCluster, startRedis, StreamClient, tokenFor, type Cluster, type RedisServer } from './harness.js';
import { clusterWorkspace, DESK, PICKERS } from './workspace.js';

const USERS: readonly string[] = [...PICKERS, ...DESK, 'w1', 'boss'];

/** One handoff (a conversation on `api-main`) through `base`; its id. */
async function handOff(base: string, name: string): Promise<string> {
  const started = await call(base, 'POST', '/api/conversations', admin, { channel: 'api-main', contact: { name }, message: 'Hello, I need a person' });
  if (started.status !== 201) throw new Error(`handoff ${name} through ${base}: ${started.status} ${JSON.stringify(started.data)}`);
  return started.data.conversation.id as string;
}

async function agentsStream(cluster: Cluster, after: number): Promise<number[]> {
  const rows = await cluster.database.db.selectFrom('stream_events').select('seq').where('audience', '=', 'agents').where('seq', '>', after).orderBy('seq').execute();
  return rows.map((r) => Number(r.seq));
}

describe.skipIf(!clusterEnabled)('a cluster whose Redis is stopped mid-run and restarted', () => {
  let dir: string;
  let redis: RedisServer;
  let cluster: Cluster;
  let hooks: HttpReceiver;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baton-redis-'));
    redis = await startRedis(dir);
    hooks = await startHttpReceiver();
    cluster = await startCluster({ redisUrl: redis.url, logs: [redis.log] });
    await applyWorkspace(cluster.url, clusterWorkspace({ hookUrl: `${hooks.url}/hook`, routedQueue: 'routed-a' }));
  }, 240_000);

  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
    await hooks?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const tailsOnFailure = (): void =>
    onTestFailed(() => {
      console.error(`cluster logs (${cluster.dir}):\n${cluster.tails()}`);
    });

  it('handoffs go on while Redis is down and after it is back; none is lost, and the stream replays every frame in order', async () => {
    tailsOnFailure();
    const start = (await agentsStream(cluster, 0)).at(-1) ?? 0;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await handOff(cluster.url, `Before ${i}`));
    await redis.kill9();
    for (let i = 0; i < 6; i++) ids.push(await handOff(cluster.url, `During ${i}`));
    await redis.start();
    for (let i = 0; i < 6; i++) ids.push(await handOff(cluster.url, `After ${i}`));

    const handed = await cluster.database.db.selectFrom('conversation_events').select('conversation_id').where('conversation_id', 'in', ids).where('type', '=', 'handoff.completed').execute();
    expect(new Set(handed.map((r) => r.conversation_id))).toEqual(new Set(ids));
    expect(orphanProblems(await allConversations(cluster.database.db), USERS)).toEqual([]);

    // Every handoff's frames reach the stream; a socket resuming after `start` gets them all, once, in order.
    const last = await eventually('every handoff on the stream', async () => {
      const frames = await cluster.database.db.selectFrom('stream_events').select(['seq', 'conversation_id']).where('type', '=', 'handoff.completed').where('audience', '=', 'agents').where('conversation_id', 'in', ids).execute();
      return frames.length === ids.length ? Math.max(...frames.map((f) => Number(f.seq))) : undefined;
    });
    const expected = (await agentsStream(cluster, start)).filter((seq) => seq <= last);
    const resumed = new StreamClient(cluster.url, ADMIN_TOKEN, { after: start, reconnect: false });
    await resumed.open();
    await resumed.until(() => (resumed.lastSeq ?? 0) >= last, 30_000, `replay through ${last}`);
    resumed.close();
    expect(resumed.frames.map((f) => f.seq).filter((seq) => seq <= last)).toEqual(expected);
  }, 120_000);

  // Redis carries what each process commits to the others; while it is down they read the stream
  // (within 2 s: the ping alone would take up to 30 s) and /readyz says `redis: degraded`.
  it('fan-out between processes falls back to the stream while Redis is down and recovers once it is back', async () => {
    tailsOnFailure();
    const [a, b] = cluster.nodes;
    const client = new StreamClient(a.url, await tokenFor(a.url, 'd1'));
    await client.open();
    const start = client.readies[0]!;
    const heard = async (id: string, withinMs: number): Promise<void> => {
      await client.frame((f) => f.type === 'handoff.completed' && f.conversationId === id, withinMs, `handoff.completed of ${id} on A`);
    };
    const notDegraded = async (): Promise<void> => {
      for (const node of cluster.nodes) {
        await eventually(`${node.name} /readyz no longer degraded`, async () => ((await call(node.url, 'GET', '/readyz', {})).data?.redis !== 'degraded' ? true : undefined), 20_000);
      }
    };
    try {
      // The test before restarted Redis: both processes are connected again.
      await notDegraded();
      await heard(await handOff(b.url, 'Up'), 1_000);

      await redis.kill9();
      for (const node of cluster.nodes) {
        await eventually(`${node.name} /readyz says redis: degraded`, async () => ((await call(node.url, 'GET', '/readyz', {})).data?.redis === 'degraded' ? true : undefined), 10_000);
      }
      await heard(await handOff(b.url, 'Down'), 2_000);

      await redis.start();
      await notDegraded();
      await heard(await handOff(b.url, 'Back'), 1_000);

      // Nothing missed or doubled on the way (up to the stream's end as read now: frames written
      // after this read — a queue position told late — may already have arrived, and are not judged).
      const expected = await agentsStream(cluster, start);
      const last = expected.at(-1)!;
      await client.until(() => (client.lastSeq ?? 0) >= last, 10_000, 'the end of the stream');
      expect(client.frames.map((f) => f.seq).filter((seq) => seq <= last)).toEqual(expected);
    } finally {
      client.close();
    }
  }, 120_000);
});
