/**
 * The Baton process: opens the store (migrations run here), builds the service context, seeds
 * the demo workspace into an empty store, serves HTTP and runs the after-commit workers.
 * `baton serve` and the tests both start Baton through `createBaton`.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { Registry, collectDefaultMetrics, Histogram } from 'prom-client';
import { parseConfigText } from './config/parse-config-text.js';
import { closeMailTransports } from './delivery/channels/email.js';
import { closeGracefully } from './http/close-gracefully.js';
import { buildJobs } from './delivery/jobs.js';
import { registerHandoffMetrics } from './delivery/metrics/handoff-metrics.js';
import { createOutboxWorker, type OutboxWorker } from './delivery/outbox-worker.js';
import { createStreamPruner, type StreamPruner } from './delivery/workers/stream-pruner.js';
import { createLocalHub } from './delivery/realtime/local-hub.js';
import { createRedisHub, type RedisHub } from './delivery/realtime/redis-hub.js';
import { audiencesMovedBetween, streamHead } from './services/realtime/read-stream.js';
import type { RealtimeHub } from './services/realtime/hub.js';
import { createRealtimePublisher } from './delivery/subscribers/realtime-stream.js';
import { buildHttpApp } from './http/app.js';
import { allRoutes } from './http/routes/index.js';
import { startMetricsListener, type MetricsListener } from './http/metrics-listener.js';
import { startSmtpListener, type SmtpListener } from './inbound/smtp-listener.js';
import { registerRealtimeSocket } from './http/routes/realtime.js';
import { registerWidgetCors } from './http/routes/web.js';
import { trustProxyOf, type Env } from './platform/env.js';
import { hashPassword } from './platform/secrets.js';
import { openRedis, type RedisConnection } from './platform/redis.js';
import { packageRoot } from './platform/package-root.js';
import { createId as defaultCreateId, systemClock, type Clock, type CreateId } from './platform/runtime.js';
import { applyValidatedConfig } from './services/workspace/apply-validated-config.js';
import { authenticate } from './services/auth/authenticate.js';
import { createLoginThrottle, type LoginThrottle } from './services/auth/login-throttle.js';
import { createRedisLoginThrottle } from './services/auth/redis-login-throttle.js';
import type { AfterCommitWork, ServiceContext } from './services/context.js';
import { createWaitingAssigner, type WaitingAssigner } from './delivery/workers/waiting-assigner.js';
import { createWorkspaceCache } from './services/workspace/workspace-cache.js';
import { openDatabase, type Database } from './store/database.js';
import { getCurrentConfig } from './store/repositories/config.js';
import { setPasswordHash } from './store/repositories/users.js';

export const DEMO_PASSWORD = 'baton-demo';
export const demoConfigPath = (): string => join(packageRoot(), 'demo', 'baton.yaml');

export interface BatonOptions {
  readonly env: Env;
  /** The raw process environment, for `${VAR}` in the workspace document. */
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** An open database (tests); otherwise `env.DATABASE_URL` is opened and migrated. */
  readonly database?: Database;
  readonly clock?: Clock;
  readonly createId?: CreateId;
  /** Start the outbox worker and the backlog sweep (default true). Tests drain by hand. */
  readonly workers?: boolean;
  /** How often open sockets re-check their credentials (default 5 s; tests set it long). */
  readonly realtimeRecheckMs?: number;
}

export interface Baton {
  readonly app: FastifyInstance;
  readonly ctx: ServiceContext;
  readonly outbox: OutboxWorker;
  readonly assigner: WaitingAssigner;
  /** Prunes the realtime stream hourly, once per hour across the processes of the database. */
  readonly streamPruner: StreamPruner;
  readonly metrics: Registry;
  /** Realtime fan-out to the connected WebSockets. */
  readonly hub: RealtimeHub;
  /** Inbound email over SMTP, when `BATON_SMTP_PORT` is set (its bound port, for port 0). */
  readonly smtp: SmtpListener | null;
  /** /metrics on a port of its own, when `BATON_METRICS_PORT` is set (its bound port, for port 0). */
  readonly metricsListener: MetricsListener | null;
  /**
   * Shut down (SIGTERM): stop accepting connections, tell realtime sockets 1001, answer the
   * requests in flight, let the outbox commit its batch in progress and finish its sends
   * (`jobGraceMs`), give back the deliveries it still holds so another process takes them at once,
   * then close the database. Bounded: each step has its grace.
   */
  close(options?: CloseOptions): Promise<void>;
}

export interface CloseOptions {
  /** How long realtime sockets get to answer the close frame (default 1 s). */
  readonly socketGraceMs?: number;
  /** How long requests in flight get to be answered (default 5 s). */
  readonly requestGraceMs?: number;
  /** How long external sends in flight get to finish before they are given back (default 10 s). */
  readonly jobGraceMs?: number;
}

export async function createBaton(options: BatonOptions): Promise<Baton> {
  const { env } = options;
  const logger = pino({ level: env.LOG_LEVEL });
  const ownsDatabase = options.database === undefined;
  const database = options.database ?? (await openDatabase(env.DATABASE_URL, { migrate: true }));
  const clock = options.clock ?? systemClock;

  let outbox: OutboxWorker | null = null;
  let assigner: WaitingAssigner | null = null;
  // Open sockets re-check their credentials when someone is signed out: this process's at once,
  // other processes' when the Redis hub tells them (else at their periodic re-check).
  const signedOutListeners = new Set<() => void>();
  const recheckSockets = (): void => {
    for (const listener of signedOutListeners) listener();
  };
  let redisHub: RedisHub | null = null;
  const afterCommit = (work: AfterCommitWork): void => {
    if (work.kind === 'outbox') outbox?.kick();
    else if (work.kind === 'assign_waiting') assigner?.kick();
    else {
      recheckSockets();
      redisHub?.signedOut();
    }
  };

  const ctx: ServiceContext = {
    database,
    clock,
    createId: options.createId ?? defaultCreateId,
    env,
    processEnv: options.processEnv,
    workspace: createWorkspaceCache({ executor: database.db, processEnv: options.processEnv }),
    logger,
    afterCommit,
  };

  // REDIS_URL: the request limits, the sign-in brake and realtime fan-out between processes go
  // through Redis; a Redis that is down is logged and never fails the start or a request.
  const redis: RedisConnection | null = env.REDIS_URL === undefined ? null : await openRedis(env.REDIS_URL, env.BATON_REDIS_PREFIX, logger);
  // Fan-out: in this process only (the embedded default), or to every process through Redis.
  redisHub =
    redis === null
      ? null
      : await createRedisHub({
          client: redis.client,
          prefix: redis.prefix,
          stream: { head: () => streamHead(ctx), audiencesBetween: (after, upTo, limit) => audiencesMovedBetween(ctx, after, upTo, limit) },
          logger,
          onSignedOut: recheckSockets,
        });
  const hub: RealtimeHub = redisHub ?? createLocalHub();
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const handoffMetrics = registerHandoffMetrics({
    registry: metrics,
    executor: database.db,
    workspace: ctx.workspace,
    hub,
    clock,
    onError: (error) => logger.warn({ err: error }, 'a metrics gauge could not be read'),
  });
  // Which process took a period of the cluster's periodic work (cluster_leases), for diagnostics.
  const processId = `${hostname()}:${process.pid}:${ctx.createId().slice(-8)}`;
  outbox = createOutboxWorker({
    database,
    clock,
    leaseMs: env.BATON_OUTBOX_LEASE_MS,
    jobs: buildJobs({ ctx, realtime: createRealtimePublisher({ ctx, hub }), metrics: handoffMetrics }),
    onError: (error) => logger.error({ err: error }, 'outbox worker failed'),
  });
  assigner = createWaitingAssigner(ctx, { sweepMs: env.BATON_SWEEP_MS, holder: processId });
  const streamPruner = createStreamPruner(ctx, { holder: processId });

  if (env.BATON_DEMO === '1') await seedDemo(ctx, options.processEnv);

  const httpDuration = new Histogram({
    name: 'baton_http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics],
  });

  const loginThrottle: LoginThrottle = redis === null ? createLoginThrottle(clock) : createRedisLoginThrottle(redis.client, redis.prefix, clock, logger);

  const shared = redisHub;
  const routes = allRoutes({ ctx, metrics, hub, loginThrottle, ...(shared === null ? {} : { redisHealth: () => shared.health() }) });
  const app = await buildHttpApp({
    routes,
    authenticate: (credentials) => authenticate(ctx, credentials),
    logLevel: env.LOG_LEVEL,
    onResponse: (route, method, status, seconds) => httpDuration.observe({ route, method, status: String(status) }, seconds),
    emailBodyLimit: env.BATON_SMTP_MAX_BYTES,
    publicUrl: env.BATON_PUBLIC_URL,
    trustProxy: trustProxyOf(env),
    rateLimits: env.BATON_RATE_LIMITS === '1',
    ...(redis === null ? {} : { redis }),
  });
  await registerRealtimeSocket(app, {
    ctx,
    hub,
    authenticate: (credentials) => authenticate(ctx, credentials),
    ...(options.realtimeRecheckMs === undefined ? {} : { reauthenticateMs: options.realtimeRecheckMs }),
    onSignedOut: (listener) => {
      signedOutListeners.add(listener);
      return () => signedOutListeners.delete(listener);
    },
  });
  registerWidgetCors(app);

  let metricsListener: MetricsListener | null = null;
  if (env.BATON_METRICS_PORT !== undefined) {
    try {
      metricsListener = await startMetricsListener({
        registry: metrics,
        host: env.HOST,
        port: env.BATON_METRICS_PORT,
        onError: (error) => logger.error({ err: error }, 'metrics could not be collected'),
      });
      logger.info({ host: metricsListener.host, port: metricsListener.port }, 'serving /metrics without credentials on its own port');
    } catch (error) {
      await app.close();
      await hub.close();
      await redis?.close();
      if (ownsDatabase) await database.close();
      throw error;
    }
  }

  let smtp: SmtpListener | null = null;
  if (env.BATON_SMTP_PORT !== undefined) {
    try {
      smtp = await startSmtpListener(ctx, { host: env.BATON_SMTP_HOST, port: env.BATON_SMTP_PORT, maxBytes: env.BATON_SMTP_MAX_BYTES });
      logger.info({ host: smtp.host, port: smtp.port }, 'listening for inbound email over SMTP');
    } catch (error) {
      // The port is taken (or not ours to bind): fail the start without leaking what is open.
      await metricsListener?.close();
      await app.close();
      await hub.close();
      await redis?.close();
      if (ownsDatabase) await database.close();
      throw error;
    }
  }

  if (options.workers !== false) {
    outbox.start();
    assigner.start();
    streamPruner.start();
  }

  return {
    app,
    ctx,
    outbox,
    assigner,
    streamPruner,
    metrics,
    hub,
    smtp,
    metricsListener,
    async close(closeOptions: CloseOptions = {}) {
      await smtp?.close();
      await metricsListener?.close();
      await closeGracefully(app, {
        ...(closeOptions.socketGraceMs === undefined ? {} : { socketGraceMs: closeOptions.socketGraceMs }),
        ...(closeOptions.requestGraceMs === undefined ? {} : { requestGraceMs: closeOptions.requestGraceMs }),
      });
      await hub.close();
      await assigner?.stop();
      await streamPruner.stop();
      await outbox?.stop(closeOptions.jobGraceMs === undefined ? {} : { graceMs: closeOptions.jobGraceMs });
      closeMailTransports();
      await redis?.close();
      if (ownsDatabase) await database.close();
    },
  };
}

/**
 * An empty store gets the demo workspace (BATON_DEMO=1, the default) so `npm start` shows a
 * working help desk at once; every demo user signs in with DEMO_PASSWORD.
 */
export async function seedDemo(ctx: ServiceContext, processEnv: Readonly<Record<string, string | undefined>>): Promise<boolean> {
  if ((await getCurrentConfig(ctx.database.db)) !== null) return false;
  const text = await readFile(demoConfigPath(), 'utf8');
  const parsed = parseConfigText(text, 'yaml', processEnv);
  if (!parsed.ok) {
    throw new Error(`demo/baton.yaml is invalid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  await applyValidatedConfig(ctx, { raw: parsed.raw, actor: 'system', summary: 'demo workspace' });
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const user of parsed.config.users) await setPasswordHash(ctx.database.db, user.id, hash);
  ctx.logger.info({ users: parsed.config.users.map((u) => u.email) }, `demo workspace seeded; password "${DEMO_PASSWORD}"`);
  return true;
}
