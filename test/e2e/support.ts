/**
 * End-to-end support, shared by every screen's e2e tests (the widget, the agent app): a real
 * listening Baton on a free port over a temporary SQLite file with the demo workspace, and
 * Debian's chromium driven by playwright-core (no browser download; `.ci/run` installs the
 * package when it is missing).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { parseEnv } from '../../src/platform/env.js';
import type { Clock } from '../../src/platform/runtime.js';
import { createBaton, type Baton } from '../../src/server.js';
import { buildWidget } from '../../web/widget/build.js';

export const CHROMIUM_PATH = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789';
/** Screenshots for people to look at (not in git). */
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', 'test-artifacts');

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface E2eServer {
  readonly url: string;
  readonly port: number;
  readonly databaseUrl: string;
  baton: Baton;
  /**
   * Stop the server, start a new process-equivalent Baton on the same SQLite file, run `whileDown`
   * against it before it listens (nothing can reach it over the network yet), then listen on the
   * same port again.
   */
  restart(whileDown?: (baton: Baton) => Promise<void>): Promise<void>;
  /** JSON over real HTTP; `as` is a bearer token (default: the admin token). */
  api<T = unknown>(method: string, path: string, body?: unknown, as?: string): Promise<{ status: number; data: T }>;
  /** A bearer token acting as a demo user (`olu`, `ana`, `maria`, `sam`). */
  tokenFor(userId: string): Promise<string>;
  close(): Promise<void>;
}

export interface E2eServerOptions {
  /** Extra environment (e.g. `BATON_DEMO: '0'`). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The server's clock (default the system clock). A moving clock only: the outbox and the sweep
   * run on it — e.g. `{ now: () => Date.now() + offset }` to be on a Saturday.
   */
  readonly clock?: Clock;
  /** Build the widget bundle first (default true, so the test runs the current source). */
  readonly buildWidget?: boolean;
}

export async function startE2eServer(options: E2eServerOptions = {}): Promise<E2eServer> {
  if (options.buildWidget !== false) await buildWidget();
  const dir = mkdtempSync(join(tmpdir(), 'baton-e2e-'));
  const databaseUrl = `sqlite:${join(dir, 'baton.db')}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = parseEnv({ DATABASE_URL: databaseUrl, BATON_ADMIN_TOKEN: E2E_ADMIN_TOKEN, BATON_DEMO: '1', LOG_LEVEL: 'silent', BATON_SWEEP_MS: '1000', ...options.env });
  const start = async (): Promise<Baton> => createBaton({ env, processEnv: {}, ...(options.clock === undefined ? {} : { clock: options.clock }) });
  const listen = async (baton: Baton): Promise<void> => {
    await baton.app.listen({ host: '127.0.0.1', port });
  };
  const tokens = new Map<string, string>();

  const server: E2eServer = {
    url,
    port,
    databaseUrl,
    baton: await start(),
    async restart(whileDown) {
      await server.baton.close();
      server.baton = await start();
      if (whileDown !== undefined) await whileDown(server.baton);
      await listen(server.baton);
    },
    async api<T>(method: string, path: string, body?: unknown, as = E2E_ADMIN_TOKEN) {
      const response = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${as}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, data: (text === '' ? undefined : JSON.parse(text)) as T };
    },
    async tokenFor(userId) {
      let token = tokens.get(userId);
      if (token === undefined) {
        const created = await server.api<{ token: string }>('POST', `/api/users/${userId}/tokens`, { name: 'e2e', scopes: ['read', 'write'] });
        if (created.status !== 201 && created.status !== 200) throw new Error(`token for ${userId}: HTTP ${created.status} ${JSON.stringify(created.data)}`);
        token = created.data.token;
        tokens.set(userId, token);
      }
      return token;
    },
    async close() {
      await server.baton.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await listen(server.baton);
  return server;
}

/** Debian's chromium, headless; a clear error when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`e2e tests need chromium at ${CHROMIUM_PATH}: sudo apt-get install -y chromium (or set BATON_CHROMIUM)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
}

/** A fresh context (its own storage: no state leaks between tests). */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return { context, page };
}

/** Save a screenshot under test-artifacts/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
