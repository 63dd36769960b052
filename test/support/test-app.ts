/**
 * Each integration test builds its own Baton on its own database: a temporary SQLite file, or a
 * throwaway PostgreSQL database created for the test file and dropped after. Every database
 * a test opens runs in the store's checking mode (src/store/INTERNALS.md): a write path that
 * breaks one of the store's invariants fails the test that drives it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Migrator, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { describe } from 'vitest';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import { parseEnv } from '../../src/platform/env.js';
import { manualClock, type Clock } from '../../src/platform/runtime.js';
import { hashPassword } from '../../src/platform/secrets.js';
import { createBaton, type Baton } from '../../src/server.js';
import { applyValidatedConfig } from '../../src/services/workspace/apply-validated-config.js';
import { openDatabase, type Database, type Dialect } from '../../src/store/database.js';
import { migrations } from '../../src/store/migrations/index.js';
import { setPasswordHash } from '../../src/store/repositories/users.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_PASSWORD = 'correct horse battery staple';
/** A full workspace (test/fixtures/config-example.yaml), the example the reference grew from. */
export const EXAMPLE_CONFIG = readFileSync(new URL('../fixtures/config-example.yaml', import.meta.url), 'utf8');
/** What `${VAR}` in the example reads. */
export const EXAMPLE_ENV: Readonly<Record<string, string>> = {
  SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/slack',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
};

const PG_URL = process.env.BATON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const dialects: readonly Dialect[] = process.env.BATON_TEST_PG === '0' ? ['sqlite'] : ['sqlite', 'postgres'];

/** `describe` once per dialect: the same integration tests on SQLite and PostgreSQL. */
export function eachDialect(title: string, fn: (dialect: Dialect) => void): void {
  describe.each(dialects.map((d) => [d]))(`${title} [%s]`, (dialect) => fn(dialect));
}

export interface TestDatabase {
  readonly database: Database;
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database of the dialect, migrated unless `migrate` is false (a migration's own test
 * runs the migrations up to it, writes rows under the old schema, then migrates on).
 */
/**
 * A test database migrated only up to `migration` (inclusive), to write rows under the schema of
 * that time and then test what a later migration does to them.
 */
export async function openTestDatabaseAt(dialect: Dialect, migration: string): Promise<TestDatabase> {
  const test = await openTestDatabase(dialect, { migrate: false });
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const result = await new Migrator({ db: test.database.db, provider }).migrateTo(migration);
  if (result.error !== undefined) {
    await test.drop();
    throw new Error(`migrating to ${migration} failed`, { cause: result.error });
  }
  return test;
}

/**
 * `checks: false` only for a test that counts how often the production path runs transaction
 * bodies (the checking mode rehearses every transaction, so each body runs once more).
 */
export async function openTestDatabase(
  dialect: Dialect,
  options: { readonly migrate?: boolean; readonly checks?: boolean; readonly countRoundTrips?: boolean } = {},
): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  const checks = options.checks ?? true;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'baton-test-'));
    const url = `sqlite:${join(dir, 'baton.db')}`;
    const database = await openDatabase(url, { migrate, checks });
    return {
      database,
      url,
      async drop() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `baton_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = `${PG_URL}/${name}`;
  const database = await openDatabase(url, { migrate, poolSize: 12, checks, countRoundTrips: options.countRoundTrips === true });
  return {
    database,
    url,
    async drop() {
      await database.close();
      const client = new pg.Client({ connectionString: `${PG_URL}/postgres` });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TestApp {
  readonly baton: Baton;
  readonly clock: Clock & { set(at: number): void; advance(ms: number): void };
  readonly dialect: Dialect;
  readonly url: string;
  /** `Authorization` header of the bootstrap admin token. */
  readonly admin: Record<string, string>;
  /** Fastify's in-process request (no socket), with JSON parsed. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
  request(options: InjectOptions): Promise<LightMyRequestResponse & { body: string; data: any }>;
  /** A bearer header acting as `userId` (an API token created through the service). */
  tokenFor(userId: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Workspace YAML to apply; default the docs/configuration.md example. null applies none. */
  readonly config?: string | null;
  /** Default 2026-11-25T10:30:00+01:00, a Wednesday morning in Madrid. */
  readonly now?: number;
  readonly env?: Readonly<Record<string, string>>;
  /** How often open sockets re-check their credentials (default the server's, 5 s). */
  readonly realtimeRecheckMs?: number;
  /**
   * The store's checking mode (default on). Off only for a test that counts what the production
   * path sends (the commit checks add statements of their own).
   */
  readonly checks?: boolean;
  /** PostgreSQL: count the statements sent (`baton.ctx.database.roundTrips`). */
  readonly countRoundTrips?: boolean;
}

export const WEDNESDAY_MORNING = Date.parse('2026-11-25T10:30:00+01:00');

export async function startTestApp(dialect: Dialect, options: TestAppOptions = {}): Promise<TestApp> {
  const test = await openTestDatabase(dialect, {
    ...(options.checks === undefined ? {} : { checks: options.checks }),
    ...(options.countRoundTrips === undefined ? {} : { countRoundTrips: options.countRoundTrips }),
  });
  return buildTestApp(dialect, test, options);
}

/**
 * A second Baton on the database of `first`, as another process of the same desk would be (its
 * own connections, caches, hub and clock): for what must hold between processes. The workspace
 * is `first`'s (none is applied); closing it leaves the database to `first`.
 */
export async function startPeerApp(first: TestApp, options: Omit<TestAppOptions, 'config'> = {}): Promise<TestApp> {
  const database = await openDatabase(first.url, { migrate: true, checks: true, ...(first.dialect === 'postgres' ? { poolSize: 12 } : {}) });
  return buildTestApp(first.dialect, { database, url: first.url, drop: () => database.close() }, { ...options, config: null });
}

async function buildTestApp(dialect: Dialect, test: TestDatabase, options: TestAppOptions): Promise<TestApp> {
  const clock = manualClock(options.now ?? WEDNESDAY_MORNING);
  const processEnv = { ...EXAMPLE_ENV, ...options.env };
  // Request limits off unless a test turns them on: a test world makes many sessions in a minute.
  const env = parseEnv({ BATON_ADMIN_TOKEN: ADMIN_TOKEN, BATON_DEMO: '0', LOG_LEVEL: 'silent', DATABASE_URL: test.url, BATON_RATE_LIMITS: '0', ...options.env });
  const baton = await createBaton({
    env,
    processEnv,
    database: test.database,
    clock,
    workers: false,
    ...(options.realtimeRecheckMs === undefined ? {} : { realtimeRecheckMs: options.realtimeRecheckMs }),
  });
  const text = options.config === undefined ? EXAMPLE_CONFIG : options.config;
  if (text !== null) {
    const parsed = parseConfigText(text, 'yaml', processEnv);
    if (!parsed.ok) throw new Error(`test config invalid: ${JSON.stringify(parsed.problems)}`);
    await applyValidatedConfig(baton.ctx, { raw: parsed.raw, actor: 'test' });
    const hash = await hashPassword(TEST_PASSWORD);
    for (const user of parsed.config.users) await setPasswordHash(test.database.db, user.id, hash);
  }
  const tokens = new Map<string, string>();
  return {
    baton,
    clock,
    dialect,
    url: test.url,
    admin: { authorization: `Bearer ${ADMIN_TOKEN}` },
    async request(opts) {
      const response = await baton.app.inject(opts);
      let data: unknown = undefined;
      try {
        data = response.body === '' ? undefined : JSON.parse(response.body);
      } catch {
        data = undefined;
      }
      return Object.assign(response, { data });
    },
    async tokenFor(userId) {
      let token = tokens.get(userId);
      if (token === undefined) {
        const { createUserToken } = await import('../../src/services/auth/authenticate.js');
        const role = (await baton.ctx.workspace.current()).model.users.get(userId)?.role;
        token = (await createUserToken(baton.ctx, userId, { name: 'test', scopes: role === 'admin' ? ['read', 'write', 'admin'] : ['read', 'write'] }, 'test')).token;
        tokens.set(userId, token);
      }
      return { authorization: `Bearer ${token}` };
    },
    async close() {
      await baton.close();
      await test.drop();
    },
  };
}
