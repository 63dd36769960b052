/**
 * Growth: does a handoff or a claim cost more on a big desk than on a small one?
 *
 * Two desks on each database, measured in one run, side by side:
 * - small: 10 agents, 100 open conversations;
 * - big: 10,000 agents, 100,000 open conversations.
 * Half of the open conversations wait in one line (queue `general`, team `desk`), the other half
 * are assigned, spread over every agent. The desk team has 10 agents, all `away` (they claim, the
 * router gives them nothing), so every measured handoff joins the back of the long line; the other
 * agents are in teams of 10 with a queue each. Every waiting customer has already been told their
 * position (`stream_cursors.queue_position`), as on a desk that has been running.
 *
 * The desks are seeded through the store with bulk inserts (contacts, conversations, the
 * realtime cursors, user states, open loads), not through HTTP; the workspace document is
 * applied as an admin would.
 *
 * Measured, alternating so the line keeps its length: a handoff (`startConversation` on the API
 * channel without an assistant: handed off on arrival, queued at the back of the line) and a
 * claim of the front of the line by a desk agent (`claimConversation`: everyone behind moves up
 * one place). Each is timed twice: the call (its transaction committed) and "settled": the call
 * plus draining the outbox it left (the realtime publisher's stream rows, among them the
 * `queue.position` frames to the customers whose place changed). Workers are off; the bench
 * drains by hand, one operation at a time.
 *
 * `npm run bench -- growth` (both databases; `GROWTH_DB=sqlite|postgres`, `GROWTH_OPS=n`,
 * `GROWTH_RESULT=name` for the result file's name; `GROWTH_DESK=big` measures the big desk alone and
 * writes nothing, for profiling).
 */
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { exportConfig } from '../src/config/export-config.js';
import { parseConfigText } from '../src/config/parse-config-text.js';
import { aWorkspace } from '../src/core/testing/factories.js';
import { parseEnv } from '../src/platform/env.js';
import { createBaton, type Baton } from '../src/server.js';
import { claimConversation } from '../src/services/conversations/claim-conversation.js';
import { startConversation } from '../src/services/conversations/start-conversation.js';
import { applyValidatedConfig } from '../src/services/workspace/apply-validated-config.js';
import { listWaiting } from '../src/store/repositories/routing.js';
import { isMain, round, summarise, writeResult, type LatencySummary } from './lib.js';

const PG_URL = process.env.BATON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DESKS = [
  { name: 'small', agents: 10, open: 100 },
  { name: 'big', agents: 10_000, open: 100_000 },
] as const;
const DESK_TEAM_SIZE = 10;
const TEAM_SIZE = 10;
const OPS = Number(process.env.GROWTH_OPS ?? 400);
const WARMUP = 40;
const GOAL_RATIO = 1.5;
const SEED_BATCH = 500;
const T0 = Date.parse('2026-12-01T00:00:00Z');

type Dialect = 'sqlite' | 'postgres';
type Desk = (typeof DESKS)[number];

const agentId = (i: number): string => `agent-${String(i + 1).padStart(5, '0')}`;

/** Desk team: the first DESK_TEAM_SIZE agents; every other agent in a team of TEAM_SIZE with its queue. */
function workspaceYaml(desk: Desk): string {
  const w = aWorkspace()
    .withSettings({ name: `growth-${desk.name}` })
    .withSchedule('always', { 'mon-sun': ['00:00-24:00'] })
    .withTeam('desk', { name: 'Desk', strategy: 'least_busy' })
    .withQueue('general', { name: 'General', team: 'desk' });
  const teams = Math.ceil((desk.agents - DESK_TEAM_SIZE) / TEAM_SIZE);
  for (let t = 0; t < teams; t += 1) {
    const id = `team-${String(t + 1).padStart(4, '0')}`;
    w.withTeam(id, { name: `Team ${t + 1}`, strategy: 'least_busy' }).withQueue(`q-${String(t + 1).padStart(4, '0')}`, { name: `Queue ${t + 1}`, team: id });
  }
  for (let i = 0; i < desk.agents; i += 1) {
    const id = agentId(i);
    const team = i < DESK_TEAM_SIZE ? 'desk' : `team-${String(Math.floor((i - DESK_TEAM_SIZE) / TEAM_SIZE) + 1).padStart(4, '0')}`;
    w.withAgent(id, {
      name: `Agent ${i + 1}`,
      email: `${id}@bench.test`,
      role: 'agent',
      schedule: 'always',
      status: i < DESK_TEAM_SIZE ? 'away' : 'available',
      capacity: { api: 1_000_000 },
      teams: [team],
    });
  }
  return exportConfig(
    w
      .withChannel('api-in', { type: 'api', assistant: 'none', defaultRoute: { queue: 'general' } })
      .withFallback({ destination: { queue: 'general' }, assignment: 'unassign_to_queue', message: false, notify: ['in_app'] })
      .config(),
  );
}

function teamOf(i: number): { team: string; queue: string } {
  if (i < DESK_TEAM_SIZE) return { team: 'desk', queue: 'general' };
  const t = String(Math.floor((i - DESK_TEAM_SIZE) / TEAM_SIZE) + 1).padStart(4, '0');
  return { team: `team-${t}`, queue: `q-${t}` };
}

interface Opened {
  readonly url: string;
  drop(): Promise<void>;
}

async function openUrl(dialect: Dialect): Promise<Opened> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'baton-growth-'));
    return { url: `sqlite:${join(dir, 'baton.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `baton_growth_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: `${PG_URL}/${name}`,
    async drop() {
      const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Bulk inserts through the store's Kysely handle, one transaction per table. */
async function seed(baton: Baton, desk: Desk): Promise<{ waiting: number }> {
  const db = baton.ctx.database.db;
  const waiting = Math.floor(desk.open / 2);
  const assigned = desk.open - waiting;
  const insertAll = async <R>(table: 'contacts' | 'conversations' | 'stream_cursors' | 'user_state' | 'open_loads', count: number, row: (i: number) => R): Promise<void> => {
    await db.transaction().execute(async (trx) => {
      for (let from = 0; from < count; from += SEED_BATCH) {
        const rows = [];
        for (let i = from; i < Math.min(count, from + SEED_BATCH); i += 1) rows.push(row(i));
        await trx.insertInto(table).values(rows).execute();
      }
    });
  };
  const convId = (i: number): string => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`;
  const contactId = (i: number): string => `00000000-0000-7000-9000-${String(i).padStart(12, '0')}`;
  await insertAll('contacts', desk.open, (i) => ({
    id: contactId(i), external_id: null, name: `Customer ${i}`, email: null, language: 'en', timezone: null,
    owner_id: null, last_owner_id: null, properties: '{}', is_test: 0, created_at: T0, updated_at: T0,
  }));
  const loads = new Map<string, number>();
  await insertAll('conversations', desk.open, (i) => {
    const queued = i < waiting;
    const owner = queued ? null : agentId((i - waiting) % desk.agents);
    if (owner !== null) loads.set(owner, (loads.get(owner) ?? 0) + 1);
    const place = queued ? { team: 'desk', queue: 'general' } : teamOf((i - waiting) % desk.agents);
    const at = T0 + i * 10;
    return {
      id: convId(i), channel_id: 'api-in', channel_type: 'api', contact_id: contactId(i), status: queued ? 'queued' : 'assigned',
      owner_id: owner, team_id: place.team, queue_id: place.queue, priority: 'normal', tags: '[]', properties: '{}',
      language: 'en', intent: null, subject: null, followers: '[]', handed_off_at: at, queued_at: at,
      first_response_due_at: null, first_human_response_at: queued ? null : at + 60_000, last_article_id: null, version: 1,
      created_at: at, updated_at: at, last_activity_at: at, resolved_at: null, csat_score: null, csat_comment: null,
      resolution_seq: null, csat_resolution_seq: null, promised_wait_seconds: null, promised_at_position: null, previous_conversation_id: null,
    };
  });
  // Every waiting customer has been told their place.
  await insertAll('stream_cursors', waiting, (i) => ({ conversation_id: convId(i), last_event_seq: 0, last_message_seq: 0, status: 'queued', queue_position: i + 1, updated_at: T0 }));
  await insertAll('user_state', desk.agents, (i) => ({
    user_id: agentId(i), status: i < DESK_TEAM_SIZE ? 'away' : 'available', status_changed_at: T0, last_assigned_at: T0 + i, password_hash: null,
  }));
  const loadRows = [...loads];
  await insertAll('open_loads', loadRows.length, (i) => ({ user_id: loadRows[i]![0], channel_type: 'api', open: loadRows[i]![1] }));
  if (assigned !== loadRows.reduce((sum, [, n]) => sum + n, 0)) throw new Error('seeded loads do not add up');
  return { waiting };
}

interface Timed {
  readonly call: LatencySummary;
  readonly settled: LatencySummary;
}

interface DeskResult {
  readonly desk: string;
  readonly agents: number;
  readonly openConversations: number;
  readonly waitingLine: number;
  readonly seedSeconds: number;
  readonly handoff: Timed;
  readonly claim: Timed;
  /** stream_events rows written per claim (frames), mean over the timed claims. */
  readonly streamRowsPerClaim: number;
}

async function measureDesk(dialect: Dialect, desk: Desk): Promise<DeskResult> {
  const opened = await openUrl(dialect);
  const processEnv = { DATABASE_URL: opened.url, BATON_DEMO: '0', LOG_LEVEL: 'silent', BATON_RATE_LIMITS: '0' };
  const baton = await createBaton({ env: parseEnv(processEnv), processEnv, workers: false });
  try {
    const parsed = parseConfigText(workspaceYaml(desk), 'yaml', processEnv);
    if (!parsed.ok) throw new Error(`growth workspace is invalid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    await applyValidatedConfig(baton.ctx, { raw: parsed.raw, actor: 'bench' });
    const seedStarted = Date.now();
    const { waiting } = await seed(baton, desk);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    if (dialect === 'postgres') await sql`analyze`.execute(baton.ctx.database.db);
    await baton.outbox.drain();
    const ctx = baton.ctx;
    const db = ctx.database.db;
    const claimers = Array.from({ length: DESK_TEAM_SIZE }, (_, i) => agentId(i));
    const handoffCall: number[] = [];
    const handoffSettled: number[] = [];
    const claimCall: number[] = [];
    const claimSettled: number[] = [];
    let frames = 0;
    const streamRows = async (): Promise<number> =>
      Number((await db.selectFrom('stream_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    for (let op = 0; op < WARMUP + OPS; op += 1) {
      const timed = op >= WARMUP;
      // A handoff: a new customer joins the back of the line.
      let started = process.hrtime.bigint();
      await startConversation(ctx, { channelId: 'api-in', contact: { name: `New ${dialect} ${op}`, email: `new-${op}@bench.test` }, message: 'I need a person, please', actor: 'bench' });
      let called = process.hrtime.bigint();
      await baton.outbox.drain();
      let done = process.hrtime.bigint();
      if (timed) {
        handoffCall.push(Number(called - started));
        handoffSettled.push(Number(done - started));
      }
      // A claim of the front of the line: everyone behind moves up one place.
      const [front] = await listWaiting(db, { limit: 1, queueIds: ['general'] });
      if (front === undefined) throw new Error('the line is empty');
      const before = timed ? await streamRows() : 0;
      started = process.hrtime.bigint();
      await claimConversation(ctx, { conversationId: front.id, userId: claimers[op % claimers.length]!, isAdmin: false });
      called = process.hrtime.bigint();
      await baton.outbox.drain();
      done = process.hrtime.bigint();
      if (timed) {
        claimCall.push(Number(called - started));
        claimSettled.push(Number(done - started));
        frames += (await streamRows()) - before;
      }
    }
    return {
      desk: desk.name,
      agents: desk.agents,
      openConversations: desk.open,
      waitingLine: waiting,
      seedSeconds: round(seedSeconds, 1),
      handoff: { call: summarise(Float64Array.from(handoffCall)), settled: summarise(Float64Array.from(handoffSettled)) },
      claim: { call: summarise(Float64Array.from(claimCall)), settled: summarise(Float64Array.from(claimSettled)) },
      streamRowsPerClaim: round(frames / OPS, 1),
    };
  } finally {
    await baton.close();
    await opened.drop();
  }
}

const ratio = (big: LatencySummary, small: LatencySummary): number => round(big.p99Us / small.p99Us, 2);

export async function run(): Promise<void> {
  const dialects: Dialect[] = process.env.GROWTH_DB === 'sqlite' ? ['sqlite'] : process.env.GROWTH_DB === 'postgres' ? ['postgres'] : ['sqlite', 'postgres'];
  const loadBefore = os.loadavg().map((v) => round(v, 2));
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const dialect of dialects) {
    if (process.env.GROWTH_DESK === 'big') {
      // Profiling aid: the big desk alone, nothing written.
      console.log(JSON.stringify(await measureDesk(dialect, DESKS[1]), null, 1));
      continue;
    }
    const [small, big] = [await measureDesk(dialect, DESKS[0]), await measureDesk(dialect, DESKS[1])];
    const ratios = {
      handoffCallP99: ratio(big.handoff.call, small.handoff.call),
      handoffSettledP99: ratio(big.handoff.settled, small.handoff.settled),
      claimCallP99: ratio(big.claim.call, small.claim.call),
      claimSettledP99: ratio(big.claim.settled, small.claim.settled),
    };
    results[dialect] = { small, big, bigOverSmallP99: ratios, goalMet: Object.values(ratios).every((r) => r <= GOAL_RATIO) };
    const l = (t: LatencySummary): string => `p50 ${round(t.p50Us / 1000, 2)} ms, p99 ${round(t.p99Us / 1000, 2)} ms`;
    for (const d of [small, big]) {
      lines.push(`${dialect} ${d.desk} (${d.agents} agents, ${d.openConversations} open, line ${d.waitingLine}, seeded in ${d.seedSeconds} s):`);
      lines.push(`  handoff call ${l(d.handoff.call)}; settled ${l(d.handoff.settled)}`);
      lines.push(`  claim   call ${l(d.claim.call)}; settled ${l(d.claim.settled)}; ${d.streamRowsPerClaim} stream rows per claim`);
    }
    lines.push(`${dialect} big/small p99: ${JSON.stringify(ratios)}`);
    console.log(lines.slice(-7).join('\n'));
  }
  if (process.env.GROWTH_DESK === 'big') return;
  const loadAfter = os.loadavg().map((v) => round(v, 2));
  const written = writeResult(process.env.GROWTH_RESULT ?? 'growth', {
    parameters: {
      desks: DESKS,
      deskTeam: `${DESK_TEAM_SIZE} agents, all away; every other agent in a team of ${TEAM_SIZE} with its own queue`,
      openConversations: 'half waiting in the one line (queue general), half assigned over every agent; every waiting customer already told their position',
      operations: `${OPS} handoffs and ${OPS} claims alternating (after ${WARMUP} of each unmeasured), one at a time, workers off, the outbox drained by hand after each`,
      timing: 'call: the service call (startConversation / claimConversation) until its transaction committed; settled: the call plus draining the outbox it left (realtime stream rows, queue.position frames)',
      goal: `big p99 ≤ ${GOAL_RATIO} × small p99`,
    },
    machineLoad: { loadAverage1m5m15mBefore: loadBefore, loadAverage1m5m15mAfter: loadAfter, note: 'two cores shared with other sessions' },
    results,
  });
  console.log(`  → bench/results/${written.split('/').pop()}`);
}

if (isMain(import.meta.url)) await run();
