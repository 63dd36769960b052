/**
 * Crash test (issue 17): `baton serve` as a real process on a real port, under handoff load from
 * several concurrent clients (widget customers asking for a person, agents claiming, releasing,
 * resolving and replying), is killed with SIGKILL at a seeded random moment, started again on the
 * same store and, once ready and its outbox drained, checked:
 *
 * - every write answered 2xx before the kill is in the store (conversations, messages, claims,
 *   releases, resolutions; no conversation's version went back);
 * - no handed-off conversation is without an owner or a queue, none has two owners (the row and
 *   its latest assignment event agree), and each agent's `open_loads` counter equals the open
 *   conversations they own (test/support/assignment-invariants.ts, as the property test);
 * - every notification due before the kill was delivered: each `notify.in_app` row's entry per
 *   recipient in the notification centre, and to the loopback receivers each `notify.email`
 *   row's mail (by its Message-ID) and a signed webhook for every
 *   `handoff.completed`/`conversation.assigned`/`conversation.status_changed` event in the store
 *   (by conversation and seq);
 * - every committed event and message reached the realtime stream an app replays on reconnect.
 *
 * Redeliveries are allowed only with the same Message-ID / `webhook-id`, which a receiver
 * de-duplicates; they are counted and printed.
 *
 * On SQLite (a temporary file) and PostgreSQL (a throwaway database). `BATON_CRASH_ROUNDS`
 * rounds per database (default 1, to keep `npm test` short; `npm run crash` runs 20), `BATON_CRASH_SEED` picks the kill
 * moments (default 17; printed with each round).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { messageIdFor } from '../../src/delivery/channels/email.js';
import { openDatabase, type Database, type Dialect } from '../../src/store/database.js';
import { allConversations, counterProblems, orphanProblems } from '../support/assignment-invariants.js';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../support/loopback-receivers.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

const ROUNDS = Math.max(1, Number(process.env.BATON_CRASH_ROUNDS ?? '1'));
const SEED = Number(process.env.BATON_CRASH_SEED ?? '17');

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const ADMIN_TOKEN = 'crash-test-admin-token-0123456789';
const AGENTS = ['a1', 'a2', 'a3', 'a4'] as const;
const USERS: readonly string[] = [...AGENTS, 'boss'];
const WEBHOOK_EVENTS = ['handoff.completed', 'conversation.assigned', 'conversation.status_changed'] as const;
/** Customers and agents driving the load side by side. */
const CUSTOMERS = 5;

/** mulberry32 (as bench/lib.ts): the same seed gives the same kill moments and choices. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function workspaceYaml(smtpUrl: string, hookUrl: string): string {
  const agents = AGENTS.map(
    (id) => `  - { id: ${id}, name: Agent ${id}, email: ${id}@crash.test, role: agent, skills: [lang:en], capacity: { chat: 3 }, schedule: always, status: available }`,
  );
  return [
    'workspace: { name: Crash desk, timezone: UTC }',
    'schedules:',
    '  - { id: always, timezone: UTC, hours: { mon-sun: ["00:00-24:00"] } }',
    'users:',
    ...agents,
    '  - { id: boss, name: The Boss, email: boss@crash.test, role: admin, skills: [lang:en], schedule: always, status: offline }',
    'teams:',
    `  - { id: desk, name: Desk, members: [${AGENTS.join(', ')}], leads: [boss], strategy: least_busy }`,
    'queues:',
    '  - { id: main, name: Main, team: desk, strategy: least_busy, sla: { firstResponse: 1h } }',
    // Waits until someone claims it: the agents' claims race each other and the releases.
    '  - { id: picks, name: Picks, team: desk, strategy: manual, sla: { firstResponse: 1h } }',
    'channels:',
    '  - { id: web-chat, type: chat, assistant: builtin, defaultRoute: { queue: main } }',
    'handoff:',
    '  rules:',
    '    - id: pro-picks',
    '      when: [customer_requested_human]',
    '      if: { contact.plan: { eq: pro } }',
    '      then:',
    '        destination: { queue: picks }',
    '        assignment: unassign_to_queue',
    '        notify: [in_app, email]',
    '  fallback:',
    '    destination: { queue: main }',
    '    assignment: unassign_to_queue',
    '    notify: [in_app, email]',
    'notifications:',
    `  email: { smtpUrl: "${smtpUrl}", from: "Crash desk <desk@crash.test>" }`,
    '  allowPrivateNetworks: true',
    '  webhooks:',
    `    - { url: "${hookUrl}", secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, events: [${WEBHOOK_EVENTS.join(', ')}] }`,
    '',
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

// ── The server process ──────────────────────────────────────────────────────────────────────────

interface ServerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** The last few kilobytes of stderr, for a failure's message. */
  readonly stderr: { text: string };
}

function spawnServer(env: NodeJS.ProcessEnv): ServerProcess {
  // Its own process group, so the kill reaches anything it started.
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const stderr = { text: '' };
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.text = (stderr.text + chunk.toString()).slice(-8_000);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { child, exited, stderr };
}

function running(server: ServerProcess): boolean {
  return server.child.exitCode === null && server.child.signalCode === null;
}

/**
 * Waits until /readyz answers 200; fails when the process exits first or after 120 s (a cold
 * start under tsx takes 10–20 s on a busy 2-core machine).
 */
async function ready(server: ServerProcess, base: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (!running(server)) throw new Error(`the server exited before it was ready:\n${server.stderr.text}`);
    try {
      if ((await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await Promise.race([server.exited, new Promise((done) => setTimeout(done, 100))]);
  }
  throw new Error(`not ready after 120 s:\n${server.stderr.text}`);
}

async function killHard(server: ServerProcess): Promise<void> {
  if (!running(server) || server.child.pid === undefined) return;
  process.kill(-server.child.pid, 'SIGKILL');
  await server.exited;
}

// ── The load ────────────────────────────────────────────────────────────────────────────────────

type Ack =
  | { readonly kind: 'conversation'; readonly conversationId: string; readonly messageIds: readonly string[] }
  | { readonly kind: 'message'; readonly conversationId: string; readonly messageIds: readonly string[] }
  | { readonly kind: 'claim' | 'release' | 'resolve'; readonly conversationId: string; readonly userId: string; readonly version: number };

interface Load {
  readonly acks: Ack[];
  /** Answers ≥ 500 before the kill (a finding: none expected). */
  readonly serverErrors: string[];
  stopped: boolean;
  /** Requests sent and not yet answered (those at the kill get no answer). */
  inFlight: number;
}

class Unreachable extends Error {}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
type Json = any;

/** One JSON request; a network failure (the kill) throws Unreachable. */
async function call(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown, load?: Load): Promise<{ status: number; data: Json }> {
  if (load !== undefined) load.inFlight += 1;
  try {
    return await exchange(base, method, path, headers, body);
  } finally {
    if (load !== undefined) load.inFlight -= 1;
  }
}

async function exchange(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; data: Json }> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(20_000),
    });
  } catch (error) {
    throw new Unreachable(String(error));
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // The headers came, the body did not: not an answer the client can act on.
    throw new Unreachable(String(error));
  }
  let data: unknown;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = text;
  }
  return { status: response.status, data };
}

const ok = (status: number): boolean => status >= 200 && status < 300;

async function customer(base: string, load: Load, rnd: () => number, n: number): Promise<void> {
  const note = (what: string, r: { status: number; data: unknown }): void => {
    if (r.status >= 500 && !load.stopped) load.serverErrors.push(`${what}: ${r.status} ${JSON.stringify(r.data)}`);
  };
  for (let i = 0; !load.stopped; i++) {
    const session = await call(base, 'POST', '/api/widget/sessions', {}, { channel: 'web-chat', contact: { name: `Customer ${n}-${i}`, language: 'en', properties: { plan: rnd() < 0.5 ? 'pro' : 'free' } } }, load);
    note('session', session);
    if (!ok(session.status)) continue;
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const started = await call(base, 'POST', '/api/widget/conversations', headers, { message: 'Hello, my parcel has not arrived yet' }, load);
    note('start', started);
    if (!ok(started.status)) continue;
    const id = started.data.conversation.id as string;
    load.acks.push({ kind: 'conversation', conversationId: id, messageIds: (started.data.messages as { id: string }[]).map((m) => m.id) });
    const asked =
      rnd() < 0.5
        ? await call(base, 'POST', `/api/widget/conversations/${id}/human`, headers, {}, load)
        : await call(base, 'POST', `/api/widget/conversations/${id}/messages`, headers, { body: 'I want to talk to a human, please' }, load);
    note('ask for a person', asked);
    if (ok(asked.status)) load.acks.push({ kind: 'message', conversationId: id, messageIds: (asked.data.messages as { id: string }[]).map((m) => m.id) });
    if (rnd() < 0.5) {
      const more = await call(base, 'POST', `/api/widget/conversations/${id}/messages`, headers, { body: `One more detail (${i})` }, load);
      note('customer message', more);
      if (ok(more.status)) load.acks.push({ kind: 'message', conversationId: id, messageIds: (more.data.messages as { id: string }[]).map((m) => m.id) });
    }
  }
}

async function agent(base: string, load: Load, rnd: () => number, userId: string, token: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  const note = (what: string, r: { status: number; data: unknown }): void => {
    if (r.status >= 500 && !load.stopped) load.serverErrors.push(`${userId} ${what}: ${r.status} ${JSON.stringify(r.data)}`);
  };
  const transition = (kind: 'claim' | 'release' | 'resolve', r: { status: number; data: Json }): void => {
    note(kind, r);
    if (ok(r.status)) load.acks.push({ kind, conversationId: r.data.id as string, userId, version: r.data.version as number });
  };
  while (!load.stopped) {
    const mine = await call(base, 'GET', '/api/conversations?view=mine&limit=20', headers, undefined, load);
    note('mine', mine);
    const own = ok(mine.status) ? (mine.data.items as { id: string }[]) : [];
    const pick = rnd();
    if (own.length > 0 && pick < 0.6) {
      const id = own[Math.floor(rnd() * own.length)]!.id;
      const action = rnd();
      if (action < 0.35) {
        const reply = await call(base, 'POST', `/api/conversations/${id}/messages`, headers, { body: 'Looking into it now.' }, load);
        note('reply', reply);
        if (ok(reply.status)) load.acks.push({ kind: 'message', conversationId: id, messageIds: [reply.data.id as string] });
      } else if (action < 0.65) {
        transition('release', await call(base, 'POST', `/api/conversations/${id}/release`, headers, {}, load));
      } else {
        transition('resolve', await call(base, 'POST', `/api/conversations/${id}/resolve`, headers, {}, load));
      }
    } else {
      const queued = await call(base, 'GET', '/api/conversations?view=unassigned&limit=20', headers, undefined, load);
      note('unassigned', queued);
      const items = ok(queued.status) ? (queued.data.items as { id: string }[]) : [];
      if (items.length === 0) continue;
      transition('claim', await call(base, 'POST', `/api/conversations/${items[Math.floor(rnd() * items.length)]!.id}/claim`, headers, {}, load));
    }
  }
}

/** Runs the clients until the server goes away under them; resolves once every client has stopped. */
async function drive(base: string, load: Load, rnd: () => number, tokens: ReadonlyMap<string, string>): Promise<void> {
  const clients = [
    ...Array.from({ length: CUSTOMERS }, (_, n) => customer(base, load, random(Math.floor(rnd() * 2 ** 32)), n)),
    ...AGENTS.map((id) => agent(base, load, random(Math.floor(rnd() * 2 ** 32)), id, tokens.get(id)!)),
  ];
  await Promise.all(
    clients.map((client) =>
      client.catch((error: unknown) => {
        load.stopped = true;
        if (!(error instanceof Unreachable)) throw error;
      }),
    ),
  );
}

// ── The checks ──────────────────────────────────────────────────────────────────────────────────

/** Rows the outbox still owes: due and not settled, or taken by a worker (a dead process's lease). */
async function owed(db: Database['db']): Promise<{ kind: string; status: string; last_error: string | null }[]> {
  return db
    .selectFrom('outbox')
    .select(['kind', 'status', 'last_error'])
    .where((eb) => eb.or([eb('status', '=', 'processing'), eb.and([eb('status', 'in', ['pending', 'failed']), eb('available_at', '<=', Date.now())])]))
    .execute();
}

async function ackProblems(db: Database['db'], acks: readonly Ack[]): Promise<string[]> {
  const problems: string[] = [];
  const conversationIds = [...new Set(acks.map((a) => a.conversationId))];
  const conversations = new Map<string, { version: number }>();
  for (let i = 0; i < conversationIds.length; i += 500) {
    for (const row of await db.selectFrom('conversations').select(['id', 'version']).where('id', 'in', conversationIds.slice(i, i + 500)).execute()) {
      conversations.set(row.id, row);
    }
  }
  const messageIds = [...new Set(acks.flatMap((a) => ('messageIds' in a ? a.messageIds : [])))];
  const messages = new Set<string>();
  for (let i = 0; i < messageIds.length; i += 500) {
    for (const row of await db.selectFrom('messages').select('id').where('id', 'in', messageIds.slice(i, i + 500)).execute()) messages.add(row.id);
  }
  const events = new Map<string, { type: string; data: Record<string, unknown> }[]>();
  for (let i = 0; i < conversationIds.length; i += 500) {
    const rows = await db
      .selectFrom('conversation_events')
      .select(['conversation_id', 'type', 'data'])
      .where('conversation_id', 'in', conversationIds.slice(i, i + 500))
      .where('type', 'in', ['conversation.assigned', 'conversation.status_changed'])
      .execute();
    for (const row of rows) {
      const list = events.get(row.conversation_id) ?? [];
      list.push({ type: row.type, data: JSON.parse(row.data) as Record<string, unknown> });
      events.set(row.conversation_id, list);
    }
  }
  for (const ack of acks) {
    const stored = conversations.get(ack.conversationId);
    if (stored === undefined) {
      problems.push(`${ack.kind} acknowledged, conversation ${ack.conversationId} missing`);
      continue;
    }
    if ('messageIds' in ack) {
      for (const id of ack.messageIds) if (!messages.has(id)) problems.push(`${ack.kind} acknowledged, message ${id} of ${ack.conversationId} missing`);
      continue;
    }
    if (stored.version < ack.version) problems.push(`${ack.kind} by ${ack.userId} acknowledged at version ${ack.version}, ${ack.conversationId} is at ${stored.version}`);
    const its = events.get(ack.conversationId) ?? [];
    const found =
      ack.kind === 'claim'
        ? its.some((e) => e.type === 'conversation.assigned' && e.data.to === ack.userId)
        : ack.kind === 'release'
          ? its.some((e) => e.type === 'conversation.assigned' && e.data.from === ack.userId && e.data.to === null)
          : its.some((e) => e.type === 'conversation.status_changed' && e.data.to === 'resolved');
    if (!found) problems.push(`${ack.kind} by ${ack.userId} acknowledged, no event of it on ${ack.conversationId}`);
  }
  return problems;
}

/** The row's owner is the one its latest assignment event names: one owner, not two. */
async function ownerProblems(db: Database['db']): Promise<string[]> {
  const rows = await db
    .selectFrom('conversation_events')
    .select(['conversation_id', 'seq', 'data'])
    .where('type', '=', 'conversation.assigned')
    .orderBy('conversation_id')
    .orderBy('seq')
    .execute();
  const latest = new Map<string, unknown>();
  for (const row of rows) latest.set(row.conversation_id, (JSON.parse(row.data) as { to: unknown }).to);
  const problems: string[] = [];
  for (const c of await allConversations(db)) {
    if (!latest.has(c.id)) continue;
    if (latest.get(c.id) !== c.owner_id) problems.push(`${c.id}: owner ${c.owner_id}, its latest assignment names ${String(latest.get(c.id))}`);
  }
  return problems;
}

/** Every committed event and message reached the realtime stream (what a reconnecting app replays). */
async function streamProblems(db: Database['db']): Promise<string[]> {
  const rows = await db
    .selectFrom('conversations as c')
    .leftJoin('stream_cursors as s', 's.conversation_id', 'c.id')
    .select(['c.id', 'c.last_event_seq', 'c.last_message_seq', 's.last_event_seq as streamed_event_seq', 's.last_message_seq as streamed_message_seq'])
    .execute();
  return rows
    .filter((r) => (r.streamed_event_seq ?? 0) !== r.last_event_seq || (r.streamed_message_seq ?? 0) !== r.last_message_seq)
    .map((r) => `${r.id}: events 1…${r.last_event_seq}, messages 1…${r.last_message_seq}; streamed up to ${r.streamed_event_seq ?? 0}, ${r.streamed_message_seq ?? 0}`);
}

interface Deliveries {
  readonly problems: string[];
  readonly expected: number;
  readonly redelivered: number;
}

/** Every notify.email row's mail and every subscribed event's webhook arrived; duplicates only with the same id. */
async function deliveryProblems(db: Database['db'], smtp: SmtpReceiver, hooks: HttpReceiver, before: number): Promise<Deliveries> {
  const problems: string[] = [];
  const mailIds = new Map<string, number>();
  for (const mail of smtp.mails) {
    const id = mail.parsed.messageId ?? '';
    mailIds.set(id, (mailIds.get(id) ?? 0) + 1);
  }
  const hookKeys = new Map<string, number>();
  const hookIds = new Map<string, number>();
  for (const request of hooks.requests) {
    const body = JSON.parse(request.body) as { type: string; data: { conversationId: string; seq: number } };
    const key = `${body.data.conversationId}:${body.data.seq}:${body.type}`;
    hookKeys.set(key, (hookKeys.get(key) ?? 0) + 1);
    const id = String(request.headers['webhook-id']);
    hookIds.set(id, (hookIds.get(id) ?? 0) + 1);
  }
  let expected = 0;
  const emails = await db.selectFrom('outbox').select(['idempotency_key', 'payload', 'status']).where('kind', '=', 'notify.email').where('created_at', '<=', before).execute();
  for (const row of emails) {
    const payload = JSON.parse(row.payload) as { recipients: string[] };
    for (const userId of payload.recipients) {
      expected += 1;
      const id = messageIdFor(row.idempotency_key, userId, 'localhost');
      if (!mailIds.has(id)) problems.push(`notify.email ${row.idempotency_key} (${row.status}) never arrived`);
    }
  }
  // In-app: the notification centre's row per recipient (nobody here switched a channel off).
  const inApp = await db.selectFrom('outbox').select(['idempotency_key', 'payload', 'status']).where('kind', '=', 'notify.in_app').where('created_at', '<=', before).execute();
  const keys = inApp.flatMap((row) => (JSON.parse(row.payload) as { recipients: string[] }).recipients.map((userId) => `${row.idempotency_key}:${userId}`));
  const stored = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    for (const row of await db.selectFrom('notifications').select('idempotency_key').where('idempotency_key', 'in', keys.slice(i, i + 500)).execute()) {
      if (row.idempotency_key !== null) stored.add(row.idempotency_key);
    }
  }
  expected += keys.length;
  for (const key of keys) if (!stored.has(key)) problems.push(`in-app notification ${key} never written`);
  const events = await db
    .selectFrom('conversation_events')
    .select(['conversation_id', 'seq', 'type'])
    .where('type', 'in', [...WEBHOOK_EVENTS])
    .where('created_at', '<=', before)
    .execute();
  for (const event of events) {
    expected += 1;
    const key = `${event.conversation_id}:${event.seq}:${event.type}`;
    if (!hookKeys.has(key)) problems.push(`webhook for ${key} never arrived`);
  }
  // A redelivery must carry the id of the first: the same number of copies per id as per event.
  let redelivered = 0;
  for (const count of mailIds.values()) redelivered += count - 1;
  let hookCopies = 0;
  for (const count of hookKeys.values()) hookCopies += count - 1;
  let hookIdCopies = 0;
  for (const count of hookIds.values()) hookIdCopies += count - 1;
  if (hookCopies !== hookIdCopies) problems.push(`${hookCopies} webhooks delivered twice, but only ${hookIdCopies} with the webhook-id of their first copy`);
  redelivered += hookCopies;
  return { problems, expected, redelivered };
}

// ── The test ────────────────────────────────────────────────────────────────────────────────────

eachDialect('kill -9 under handoff load, then restart', (dialect: Dialect) => {
  let store: TestDatabase;
  let smtp: SmtpReceiver;
  let hooks: HttpReceiver;
  let server: ServerProcess | null = null;
  let env: NodeJS.ProcessEnv;
  let base: string;
  const tokens = new Map<string, string>();

  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  async function start(): Promise<void> {
    server = spawnServer(env);
    await ready(server, base);
  }

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    hooks = await startHttpReceiver();
    // An empty store the server migrates itself (its own pool; this one is closed at once).
    store = await openTestDatabase(dialect, { migrate: false, checks: false });
    await store.database.close();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { ...process.env, DATABASE_URL: store.url, HOST: '127.0.0.1', PORT: String(port), BATON_DEMO: '0', BATON_ADMIN_TOKEN: ADMIN_TOKEN, BATON_RATE_LIMITS: '0', LOG_LEVEL: 'warn' };
    await start();
    const put = await fetch(`${base}/api/config`, { method: 'PUT', headers: { ...admin, 'content-type': 'application/yaml' }, body: workspaceYaml(smtp.url, `${hooks.url}/hook`) });
    expect(put.status, await put.text()).toBe(200);
    for (const id of AGENTS) {
      const created = await call(base, 'POST', `/api/users/${id}/tokens`, admin, { name: 'crash', scopes: ['read', 'write'] });
      expect(created.status).toBe(201);
      tokens.set(id, created.data.token as string);
    }
  }, 180_000);

  afterAll(async () => {
    if (server !== null) await killHard(server);
    await smtp?.close();
    await hooks?.close();
    await store?.drop();
  });

  it(`loses no acknowledged write, breaks no assignment invariant and delivers every due notification (${ROUNDS} rounds)`, async () => {
    const rnd = random(SEED + (dialect === 'postgres' ? 1_000 : 0));
    const summary: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const load: Load = { acks: [], serverErrors: [], stopped: false, inFlight: 0 };
      // The moment: once a seeded number of writes have been answered, plus a seeded few ms.
      const killAfterAcks = 5 + Math.floor(rnd() * 40);
      const extraMs = Math.floor(rnd() * 50);
      let clientsDone = false;
      const driving = drive(base, load, rnd, tokens).finally(() => {
        clientsDone = true;
      });
      let killedAt = 0;
      let inFlightAtKill = 0;
      const loadStarted = Date.now();
      await new Promise<void>((done, fail) => {
        const look = setInterval(() => {
          if (!running(server!)) {
            clearInterval(look);
            fail(new Error(`the server died on its own:\n${server!.stderr.text}`));
          } else if (clientsDone) {
            clearInterval(look);
            fail(new Error(`the clients stopped after ${load.acks.length} answered writes, before the kill: ${load.serverErrors.join('; ')}`));
          } else if (load.acks.length >= killAfterAcks) {
            clearInterval(look);
            setTimeout(() => {
              killedAt = Date.now();
              inFlightAtKill = load.inFlight;
              killHard(server!).then(done, fail);
            }, extraMs);
          }
        }, 5);
      });
      load.stopped = true;
      await driving;
      const acknowledged = load.acks.length;
      const byKind = new Map<string, number>();
      for (const ack of load.acks) byKind.set(ack.kind, (byKind.get(ack.kind) ?? 0) + 1);
      const mailsBefore = smtp.mails.length;
      const hooksBefore = hooks.requests.length;

      await start();
      const restarted = Date.now();
      const reader = await openDatabase(store.url);
      try {
        // Drained: nothing due is left unsettled and no dead process's lease is outstanding
        // (an external send taken just before the kill waits out its 30 s lease). Bounded at 120 s.
        await expect.poll(() => owed(reader.db).then((rows) => rows.map((r) => `${r.kind} ${r.status} ${r.last_error ?? ''}`)), { timeout: 120_000, interval: 200 }).toEqual([]);
        const drainedMs = Date.now() - restarted;
        const dead = await reader.db.selectFrom('outbox').select(['kind', 'idempotency_key', 'last_error']).where('status', 'in', ['dead', 'cancelled']).execute();
        expect(dead, 'dead-lettered or cancelled outbox rows').toEqual([]);

        expect(load.serverErrors, 'answers ≥ 500 before the kill').toEqual([]);
        expect((await ackProblems(reader.db, load.acks)).join('\n'), 'acknowledged writes missing').toBe('');
        expect(orphanProblems(await allConversations(reader.db), USERS).join('\n'), 'routing state').toBe('');
        expect((await ownerProblems(reader.db)).join('\n'), 'two owners').toBe('');
        expect((await counterProblems(reader.db)).join('\n'), 'loads').toBe('');
        expect((await streamProblems(reader.db)).join('\n'), 'realtime stream').toBe('');
        const deliveries = await deliveryProblems(reader.db, smtp, hooks, killedAt);
        expect(deliveries.problems.join('\n'), 'notifications due before the kill').toBe('');
        const conversations = await reader.db.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        summary.push(
          `round ${round} (seed ${SEED}, killed after ${killAfterAcks} acks + ${extraMs} ms, ${killedAt - loadStarted} ms of load, ${inFlightAtKill} requests in flight): ` +
            `${acknowledged} writes acknowledged (${[...byKind].map(([kind, n]) => `${n} ${kind}`).join(', ')}), restart ${restarted - killedAt} ms, outbox drained ${drainedMs} ms later, ` +
            `${Number(conversations.n)} conversations in the store, ${deliveries.expected} notifications due checked ` +
            `(mails ${mailsBefore}→${smtp.mails.length}, webhooks ${hooksBefore}→${hooks.requests.length}), ${deliveries.redelivered} redelivered with the same id so far`,
        );
      } finally {
        await reader.close();
      }
    }
    console.log(`crash test [${dialect}]\n  ${summary.join('\n  ')}`);
  }, 150_000 * ROUNDS);
});
