/**
 * A Baton cluster for tests: a throwaway PostgreSQL database, two `baton serve` processes (child
 * processes from the sources, under tsx, on real free ports) and nginx in front of them, running
 * the site file docs/deployment.md recommends (docs/nginx/baton.conf) with only its addresses,
 * ports, certificate lines and log path replaced. Every child's output goes to a file in the
 * cluster's temporary folder; `tails()` prints the end of each, for a failing test's message.
 *
 * Environment: `BATON_CLUSTER_LOG_LEVEL` (the processes' LOG_LEVEL, default warn),
 * `BATON_CLUSTER_KEEP=1` (keep the temporary folder), `BATON_TEST_PG_URL`, `BATON_TEST_REDIS_URL`
 * (default redis://127.0.0.1:6379), `BATON_TEST_NGINX` (default /usr/sbin/nginx),
 * `BATON_TEST_REDIS_SERVER` (default redis-server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import WebSocket from 'ws';
import { openDatabase, type Database } from '../../src/store/database.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
/** The nginx site docs/deployment.md includes verbatim. */
export const NGINX_SITE = join(ROOT, 'docs', 'nginx', 'baton.conf');
const NGINX = process.env.BATON_TEST_NGINX ?? '/usr/sbin/nginx';
const PG_URL = process.env.BATON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const ADMIN_TOKEN = 'cluster-test-admin-token-0123456789';
export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` } as const;

/** The cluster suite needs PostgreSQL; `BATON_TEST_PG=0` (SQLite only) leaves it out. */
export const clusterEnabled = process.env.BATON_TEST_PG !== '0';

export function freePort(): Promise<number> {
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

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** The last `bytes` of a file, or a note that it is missing. */
function tailOf(file: string, bytes = 4_000): string {
  if (!existsSync(file)) return `(${file}: not written)`;
  const text = readFileSync(file, 'utf8');
  return text.length <= bytes ? text : `…${text.slice(-bytes)}`;
}

/** A child process whose stdout and stderr go to one log file; in its own process group. */
interface Child {
  readonly process: ChildProcess;
  readonly exited: Promise<void>;
  readonly log: string;
}

/** Children still running when the test process exits (a timeout, a crash) are killed with it. */
const living = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of living) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function spawnLogged(command: string, args: readonly string[], env: NodeJS.ProcessEnv, log: string): Child {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd], detached: true });
    living.add(child);
    child.once('exit', () => living.delete(child));
    const exited = new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) done();
      else child.once('exit', () => done());
    });
    child.once('error', () => undefined);
    return { process: child, exited, log };
  } finally {
    closeSync(fd);
  }
}

const alive = (child: Child): boolean => child.process.exitCode === null && child.process.signalCode === null;

async function killGroup(child: Child, signal: NodeJS.Signals): Promise<void> {
  if (!alive(child) || child.process.pid === undefined) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    // already gone
  }
  await child.exited;
}

/** One `baton serve` process of the cluster. */
export interface BatonNode {
  readonly name: string;
  readonly port: number;
  /** Its own address, not through nginx. */
  readonly url: string;
  readonly log: string;
  running(): boolean;
  /** SIGKILL (kill -9): no shutdown, sockets and requests cut. */
  kill9(): Promise<void>;
  /** SIGTERM: the graceful shutdown. */
  stop(): Promise<void>;
  /** Start it again on the same port and wait until /readyz answers 200. */
  start(): Promise<void>;
}

export interface ClusterOptions {
  /** Default the machine's Redis, 127.0.0.1:6379. */
  readonly redisUrl?: string;
  /** Extra environment for every Baton process. */
  readonly env?: Readonly<Record<string, string>>;
  /** Other log files to show in `tails()` (a Redis of the test's own). */
  readonly logs?: readonly string[];
}

export interface Cluster {
  readonly dir: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /** The database, for the tests' SQL checks (no migrations, no checking mode). */
  readonly database: Database;
  readonly nodes: readonly [BatonNode, BatonNode];
  /** nginx in front of both processes. */
  readonly url: string;
  /** The nginx config it runs (docs/nginx/baton.conf with ports and paths replaced). */
  readonly nginxSite: string;
  /** The last lines of every child's log, for a failure's message. */
  tails(): string;
  close(): Promise<void>;
}

/**
 * docs/nginx/baton.conf for this cluster: the two upstream servers on the processes' ports, the
 * sites on free loopback ports without TLS, and the access log in the temporary folder. Each
 * replacement must match exactly once, so a change to the documented file that the test would
 * silently stop covering fails here instead.
 */
export function nginxSiteFor(documented: string, ports: { readonly a: number; readonly b: number; readonly http: number; readonly redirect: number }, accessLog: string): string {
  const replacements: [RegExp, string][] = [
    [/server 127\.0\.0\.1:3001 /, `server 127.0.0.1:${ports.a} `],
    [/server 127\.0\.0\.1:3002 /, `server 127.0.0.1:${ports.b} `],
    [/listen 80;/, `listen 127.0.0.1:${ports.redirect};`],
    [/listen 443 ssl http2;/, `listen 127.0.0.1:${ports.http};`],
    [/\n\s*ssl_certificate\s[^\n]*/, ''],
    [/\n\s*ssl_certificate_key\s[^\n]*/, ''],
    [/access_log \/var\/log\/nginx\/baton\.access\.log baton;/, `access_log ${accessLog} baton;`],
  ];
  let text = documented;
  for (const [pattern, replacement] of replacements) {
    const count = text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
    if (count !== 1) throw new Error(`docs/nginx/baton.conf: expected ${pattern} once, found it ${count} times`);
    text = text.replace(pattern, replacement);
  }
  return text;
}

async function createDatabase(): Promise<{ readonly url: string; readonly drop: () => Promise<void> }> {
  const name = `baton_cluster_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  return { url: `${PG_URL}/${name}`, drop: () => run(`drop database if exists ${name} with (force)`) };
}

/** Polls /readyz until 200; fails when the process exits first or after `timeoutMs`. */
async function ready(child: Child, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(child)) throw new Error(`exited before it was ready:\n${tailOf(child.log)}`);
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await Promise.race([child.exited, pause(100)]);
  }
  throw new Error(`not ready after ${timeoutMs} ms:\n${tailOf(child.log)}`);
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-cluster-'));
  // BATON_CLUSTER_KEEP=1 keeps the folder (logs, nginx config) after the run, to read at leisure.
  const cleanups: (() => Promise<void>)[] = [async () => (process.env.BATON_CLUSTER_KEEP === '1' ? undefined : rmSync(dir, { recursive: true, force: true }))];
  const children: Child[] = [];
  const logs: string[] = [...(options.logs ?? [])];
  const tails = (): string => logs.map((log) => `── ${log} ──\n${tailOf(log)}`).join('\n');
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const created = await createDatabase();
    cleanups.push(created.drop);
    const redisUrl = options.redisUrl ?? process.env.BATON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const redisPrefix = `baton-cluster-${randomBytes(6).toString('hex')}:`;
    const [portA, portB, httpPort, redirectPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const baseEnv: NodeJS.ProcessEnv = {
      ...process.env,
      HOST: '127.0.0.1',
      DATABASE_URL: created.url,
      REDIS_URL: redisUrl,
      BATON_REDIS_PREFIX: redisPrefix,
      BATON_DEMO: '0',
      BATON_ADMIN_TOKEN: ADMIN_TOKEN,
      BATON_RATE_LIMITS: '0',
      BATON_TRUST_PROXY: '1',
      BATON_PUBLIC_URL: `http://127.0.0.1:${httpPort}`,
      LOG_LEVEL: process.env.BATON_CLUSTER_LOG_LEVEL ?? 'warn',
      ...options.env,
    };
    delete baseEnv.VITEST;
    delete baseEnv.NODE_ENV;

    const node = (name: string, port: number): BatonNode => {
      const log = join(dir, `baton-${name}.log`);
      logs.push(log);
      let child: Child | null = null;
      const url = `http://127.0.0.1:${port}`;
      const it: BatonNode = {
        name,
        port,
        url,
        log,
        running: () => child !== null && alive(child),
        async kill9() {
          if (child !== null) await killGroup(child, 'SIGKILL');
        },
        async stop() {
          if (child !== null) await killGroup(child, 'SIGTERM');
        },
        async start() {
          if (child !== null && alive(child)) throw new Error(`${name} is running`);
          writeFileSync(log, `\n── start ${new Date().toISOString()} ──\n`, { flag: 'a' });
          child = spawnLogged(process.execPath, ['--import', TSX, MAIN, 'serve'], { ...baseEnv, PORT: String(port) }, log);
          children.push(child);
          await ready(child, url);
        },
      };
      cleanups.push(() => it.kill9());
      return it;
    };
    const a = node('A', portA);
    const b = node('B', portB);
    // Both at once on the empty database: each migration runs once (the other waits on
    // PostgreSQL's migration lock), as when a deploy starts every process together.
    await Promise.all([a.start(), b.start()]);

    // nginx, as a foreground child with everything under the temporary folder.
    const nginxDir = join(dir, 'nginx');
    mkdirSync(join(nginxDir, 'temp'), { recursive: true });
    const site = nginxSiteFor(readFileSync(NGINX_SITE, 'utf8'), { a: portA, b: portB, http: httpPort, redirect: redirectPort }, join(nginxDir, 'access.log'));
    writeFileSync(join(nginxDir, 'baton.conf'), site);
    const temp = (what: string): string => `${what}_temp_path ${join(nginxDir, 'temp', what)};`;
    const main = [
      // As root, nginx's workers would run as nobody, who cannot write the temporary folder.
      ...(process.getuid?.() === 0 ? [`user ${userInfo().username};`] : []),
      // One worker: its round-robin is the only one, so consecutive connections alternate A, B.
      'worker_processes 1;',
      'daemon off;',
      `pid ${join(nginxDir, 'nginx.pid')};`,
      `error_log ${join(nginxDir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      `  ${temp('client_body')}`,
      `  ${temp('proxy')}`,
      `  ${temp('fastcgi')}`,
      `  ${temp('uwsgi')}`,
      `  ${temp('scgi')}`,
      `  include ${join(nginxDir, 'baton.conf')};`,
      '}',
      '',
    ].join('\n');
    writeFileSync(join(nginxDir, 'nginx.conf'), main);
    const nginxLog = join(nginxDir, 'output.log');
    logs.push(nginxLog, join(nginxDir, 'error.log'));
    const nginx = spawnLogged(NGINX, ['-p', `${nginxDir}/`, '-e', join(nginxDir, 'error.log'), '-c', join(nginxDir, 'nginx.conf')], process.env, nginxLog);
    children.push(nginx);
    // SIGQUIT would wait for open WebSockets; SIGTERM closes them.
    cleanups.push(() => killGroup(nginx, 'SIGTERM'));
    const url = `http://127.0.0.1:${httpPort}`;
    await ready(nginx, url, 20_000);

    const database = await openDatabase(created.url, { migrate: false, checks: false, poolSize: 4 });
    cleanups.push(() => database.close());
    return { dir, databaseUrl: created.url, redisUrl, redisPrefix, database, nodes: [a, b], url, nginxSite: site, tails, close };
  } catch (error) {
    const message = `${error instanceof Error ? error.message : String(error)}\n${tails()}`;
    await close();
    throw new Error(`the cluster did not start: ${message}`, { cause: error });
  }
}

// ── HTTP ────────────────────────────────────────────────────────────────────────────────────────

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
export type Json = any;

/** A JSON request; a network failure throws. */
export async function call(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; data: Json }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let data: unknown;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = text;
  }
  return { status: response.status, data };
}

export const ok = (status: number): boolean => status >= 200 && status < 300;

/** Applies a workspace document through `base`; throws with the problems when refused. */
export async function applyWorkspace(base: string, yaml: string): Promise<void> {
  const response = await fetch(`${base}/api/config`, { method: 'PUT', headers: { ...admin, 'content-type': 'application/yaml' }, body: yaml });
  if (response.status !== 200) throw new Error(`PUT /api/config: ${response.status} ${await response.text()}`);
}

/** An API token (read, write) acting as `userId`. */
export async function tokenFor(base: string, userId: string): Promise<string> {
  const created = await call(base, 'POST', `/api/users/${userId}/tokens`, admin, { name: 'cluster', scopes: ['read', 'write'] });
  if (created.status !== 201) throw new Error(`token for ${userId}: ${created.status} ${JSON.stringify(created.data)}`);
  return created.data.token as string;
}

/** Polls `check` until it returns a value other than undefined; fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not after ${timeoutMs} ms: ${what}`);
    await pause(50);
  }
}

// ── Realtime ────────────────────────────────────────────────────────────────────────────────────

export interface Frame {
  readonly seq: number;
  readonly type: string;
  readonly conversationId: string | null;
  readonly data: Json;
}

/**
 * A realtime client as docs/realtime.md describes one: it keeps the last `seq` it received and,
 * when the socket closes, reconnects with `?after=` that seq (after 100 ms, then 200, 400 … up
 * to 2 s) until `close()`. `frames` holds the stored frames received (not `stream.ready`, not
 * `typing`), in the order received, duplicates included.
 */
export class StreamClient {
  readonly frames: Frame[] = [];
  /** Close codes of the connections that ended without `close()`. */
  readonly drops: number[] = [];
  /** The `after` each connection opened with (`stream.ready`'s `data.after`). */
  readonly readies: number[] = [];
  lastSeq: number | null;
  private socket: WebSocket | null = null;
  private stopped = false;
  private delay = 100;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly base: string,
    private readonly token: string,
    options: { readonly after?: number; readonly reconnect?: boolean } = {},
  ) {
    this.lastSeq = options.after ?? null;
    this.reconnect = options.reconnect ?? true;
  }

  private readonly reconnect: boolean;

  /** Connects; resolves once `stream.ready` arrived. */
  async open(): Promise<void> {
    const readies = this.readies.length;
    this.connect();
    await this.until(() => this.readies.length > readies, 20_000, 'stream.ready');
  }

  private connect(): void {
    if (this.stopped) return;
    const url = new URL('/api/realtime', this.base);
    url.protocol = 'ws:';
    if (this.lastSeq !== null) url.searchParams.set('after', String(this.lastSeq));
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${this.token}` } });
    this.socket = socket;
    socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as Frame;
      if (frame.type === 'stream.ready') {
        this.delay = 100;
        this.readies.push(frame.seq);
      } else if (frame.type !== 'typing') {
        this.frames.push(frame);
      }
      this.lastSeq = frame.seq;
      for (const wake of [...this.waiters]) wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', (code: number) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      this.drops.push(code);
      for (const wake of [...this.waiters]) wake();
      if (!this.reconnect) return;
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 2_000);
    });
  }

  get connected(): boolean {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Resolves once `predicate` holds (checked on every frame and drop); rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((done, fail) => {
      const wake = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        done();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        fail(new Error(`no ${what} within ${timeoutMs} ms (last seq ${this.lastSeq}, ${this.frames.length} frames)`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  /** The first frame matching `match`, once it has arrived. */
  async frame(match: (frame: Frame) => boolean, timeoutMs: number, what: string): Promise<Frame> {
    await this.until(() => this.frames.some(match), timeoutMs, what);
    return this.frames.find(match)!;
  }

  close(): void {
    this.stopped = true;
    this.socket?.close();
    this.socket = null;
  }
}

/**
 * Every stored frame after `after` up to `through`, as a fresh socket replays them: the stream as
 * the database holds it, to compare a live client's frames with.
 */
export async function replay(base: string, token: string, after: number, through: number): Promise<Frame[]> {
  const client = new StreamClient(base, token, { after, reconnect: false });
  try {
    await client.open();
    await client.until(() => (client.lastSeq ?? 0) >= through, 30_000, `replay through seq ${through}`);
    return client.frames.filter((f) => f.seq <= through);
  } finally {
    client.close();
  }
}

// ── A Redis of the test's own ───────────────────────────────────────────────────────────────────

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly log: string;
  /** SIGKILL: gone at once, connections reset. */
  kill9(): Promise<void>;
  /** Start it again on the same port (empty: it keeps nothing on disk); resolves once it answers PING. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    const finish = (result: boolean): void => {
      socket.destroy();
      done(result);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk: Buffer) => finish(chunk.toString().startsWith('+PONG')));
  });
}

/** `redis-server` on a free loopback port, without persistence, logging to `dir`. */
export async function startRedis(dir: string): Promise<RedisServer> {
  const port = await freePort();
  const log = join(dir, `redis-${port}.log`);
  let child: Child | null = null;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    log,
    async kill9() {
      if (child !== null) await killGroup(child, 'SIGKILL');
    },
    async start() {
      if (child !== null && alive(child)) throw new Error('redis is running');
      const started = spawnLogged(process.env.BATON_TEST_REDIS_SERVER ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], process.env, log);
      child = started;
      const deadline = Date.now() + 20_000;
      while (!(await answersPing(port))) {
        if (!alive(started) || Date.now() > deadline) throw new Error(`redis-server did not start:\n${tailOf(log)}`);
        await pause(50);
      }
    },
    close: () => server.kill9(),
  };
  await server.start();
  return server;
}
