/**
 * The one end-to-end harness, shared by every screen's e2e tests (the widget, the agent app): a
 * real listening Baton on a fixed free port over a temporary SQLite file with the demo workspace
 * (stop and start again on the same port and file: `restart`), the widget and the agent app built
 * from the current source, and Debian's chromium driven by playwright-core (no browser download;
 * `.ci/run` installs the package when it is missing). Screenshots go to test-artifacts/.
 */
import { execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, watch } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { appBuildDir } from '../../src/http/routes/app.js';
import { parseEnv } from '../../src/platform/env.js';
import { packageRoot } from '../../src/platform/package-root.js';
import type { Clock } from '../../src/platform/runtime.js';
import { createBaton, type Baton } from '../../src/server.js';
import { buildWidget } from '../../web/widget/build.js';

export const CHROMIUM_PATH = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
/** The same path under the agent app tests' older name. */
export const CHROMIUM = CHROMIUM_PATH;
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789';
/** The demo users' password (demo/baton.yaml, README "The demo workspace"). */
export const DEMO_PASSWORD = 'baton-demo';
/** Screenshots for people to look at (not in git). */
export const ARTIFACTS_DIR = join(import.meta.dirname, '..', '..', 'test-artifacts');
export const artifactsDir = (): string => ARTIFACTS_DIR;

/**
 * Tests that need a browser are skipped (not failed) where chromium is not installed on a
 * developer's machine; in CI (`CI=true`, as .ci/run runs) a missing browser fails them instead,
 * with the install hint, so a green CI never means "the e2e tests did not run".
 */
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM_PATH) || process.env.CI === 'true';

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The build is stale when any app source, its Vite config or this harness is newer than it. */
function appBuildIsFresh(): boolean {
  const index = join(appBuildDir(), 'index.html');
  if (!existsSync(index)) return false;
  const app = join(packageRoot(), 'web', 'app');
  const inputs = [join(app, 'src'), join(packageRoot(), 'web', 'shared'), join(app, 'index.html'), join(app, 'vite.config.ts'), fileURLToPath(import.meta.url)];
  return statSync(index).mtimeMs >= Math.max(...inputs.map(newestMtime));
}

/**
 * Resolves when `lock` is gone (the other worker's build finished: an fs.watch event, no
 * polling) or at `staleAt`, when a lock that old belongs to a crashed run.
 */
function lockReleased(lock: string, staleAt: number): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dirname(lock), (_event, name) => {
      if ((name === null || name === basename(lock)) && !existsSync(lock)) done();
    });
    const timer = setTimeout(done, Math.max(0, staleAt - Date.now()));
    function done(): void {
      clearTimeout(timer);
      watcher.close();
      resolve();
    }
    // Removed between the failed open and the watch.
    if (!existsSync(lock)) done();
  });
}

/**
 * Build web/app into dist/web/app unless the build is newer than every input. A production build
 * (`vite build --mode production`, NODE_ENV=production) in a child process: vitest runs with
 * NODE_ENV=test, under which an in-process build would bundle React's development build — not the
 * app people are served. E2E files run in parallel workers: a lock file (created with O_EXCL)
 * lets one of them build while the others wait for it.
 */
export async function ensureAppBuilt(): Promise<void> {
  const lock = join(appBuildDir(), '..', '.app-build.lock');
  const deadline = Date.now() + 120_000;
  // While the lock exists a build may be half written (index.html before its assets): wait.
  while (existsSync(lock) || !appBuildIsFresh()) {
    mkdirSync(join(appBuildDir(), '..'), { recursive: true });
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another worker is building; a lock older than two minutes belongs to a crashed run.
      const lockedAt = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() > deadline || Date.now() - lockedAt > 120_000) {
        rmSync(lock, { force: true });
        continue;
      }
      await lockReleased(lock, Math.min(deadline, lockedAt + 120_000) + 1);
      continue;
    }
    try {
      if (!appBuildIsFresh()) {
        const app = join(packageRoot(), 'web', 'app');
        const vite = join(packageRoot(), 'node_modules', 'vite', 'bin', 'vite.js');
        await promisify(execFile)(process.execPath, [vite, 'build', '--config', join(app, 'vite.config.ts'), '--mode', 'production', '--logLevel', 'warn'], {
          cwd: packageRoot(),
          env: { ...process.env, NODE_ENV: 'production' },
          maxBuffer: 16 * 1024 * 1024,
        });
      }
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
    return;
  }
}

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
  /** JSON over real HTTP; `as` is a bearer token (default: the admin token; '' for none). */
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
  const env = parseEnv({ DATABASE_URL: databaseUrl, BATON_ADMIN_TOKEN: E2E_ADMIN_TOKEN, BATON_DEMO: '1', LOG_LEVEL: 'silent', BATON_SWEEP_MS: '1000', BATON_RATE_LIMITS: '0', ...options.env });
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
        headers: { ...(as === '' ? {} : { authorization: `Bearer ${as}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
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

/** The agent app tests' name for the server. */
export type RunningBaton = E2eServer;

/** A server for the agent app tests: the demo workspace, no widget build. */
export async function startBaton(options: Omit<E2eServerOptions, 'buildWidget'> = {}): Promise<E2eServer> {
  return startE2eServer({ ...options, buildWidget: false });
}

/** A customer on a channel (default the website chat), through the widget REST API (docs/api.md "Customers"). */
export async function aCustomer(server: Pick<E2eServer, 'api'>, contact: Record<string, unknown>, channel = 'web-chat') {
  const session = await server.api<{ token: string }>('POST', '/api/widget/sessions', { channel, contact }, '');
  if (session.status !== 201 && session.status !== 200) throw new Error(`widget session: ${session.status} ${JSON.stringify(session.data)}`);
  const token = session.data.token;
  const started = await server.api<{ conversation: { id: string } }>('POST', '/api/widget/conversations', {}, token);
  if (started.status >= 300) throw new Error(`widget conversation: ${started.status} ${JSON.stringify(started.data)}`);
  const id = started.data.conversation.id;
  return {
    id,
    token,
    say: (body: string) => server.api('POST', `/api/widget/conversations/${id}/messages`, { body }, token),
    askForHuman: () => server.api('POST', `/api/widget/conversations/${id}/human`, {}, token),
    /** "The customer is typing" (ephemeral; the server relays at most one a second). */
    typing: () => server.api('POST', `/api/widget/conversations/${id}/typing`, undefined, token),
    messages: async () => (await server.api<{ author: string; body: string }[]>('GET', `/api/widget/conversations/${id}/messages`, undefined, token)).data,
  };
}

/** Debian's chromium, headless; a clear error when it is not installed. Files use `useChromium()`. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`e2e tests need chromium at ${CHROMIUM_PATH}: sudo apt-get install -y chromium (or set BATON_CHROMIUM)`);
  }
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
}

/** Save a screenshot under test-artifacts/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Open `url` (the app asks to sign in first) and sign in as a demo user with the demo password. */
export async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export interface HarnessPageOptions extends BrowserContextOptions {
  /** The page's default timeout for actions and waits (playwright's default otherwise). */
  readonly timeout?: number;
  /** A script run in every page of the context before the page's own (e.g. a spy). */
  readonly initScript?: string;
}

/**
 * The e2e browser harness, one per file: Chromium launched once (beforeAll) and closed after the
 * file (afterAll); every page in a fresh context of its own (no state leaks between them), by
 * default 1280×800, its uncaught page errors collected in `pageErrors`.
 */
export interface ChromiumHarness {
  /** The file's browser (only inside tests and hooks, after the harness's beforeAll). */
  readonly browser: Browser;
  /** `pageerror` messages of every page opened through the harness, in order. */
  readonly pageErrors: string[];
  newPage(options?: HarnessPageOptions): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * A test's own page: a fresh context signed in as `email` and opened at `url`, closed after the
   * test. The sign-in form is filled once per person and server; later pages start from that
   * session's cookies, so each test begins from `url` with nothing another test navigated, typed
   * or opened. (A test that signs out ends the session the next test would reuse: it signs in
   * with `newPage` and `signIn` instead.)
   */
  signedInPage(url: string, email: string, options?: HarnessPageOptions): Promise<{ context: BrowserContext; page: Page }>;
}

/** Call inside a `describe` (or at the top of a file): registers the launch and the close. */
export function useChromium(): ChromiumHarness {
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  /** Cookies of a signed-in session, by server origin and email. */
  const sessions = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();
  /** Contexts of `signedInPage`, closed after the test that opened them. */
  const perTest: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const context of perTest.splice(0)) await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  const harness: ChromiumHarness = {
    get browser(): Browser {
      if (browser === undefined) throw new Error('the browser is launched in beforeAll: use it inside tests and hooks');
      return browser;
    },
    pageErrors,
    async newPage(options = {}) {
      const { timeout, initScript, ...contextOptions } = options;
      if (browser === undefined) throw new Error('the browser is launched in beforeAll: use it inside tests and hooks');
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
      if (initScript !== undefined) await context.addInitScript({ content: initScript });
      const page = await context.newPage();
      if (timeout !== undefined) page.setDefaultTimeout(timeout);
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return { context, page };
    },
    async signedInPage(url, email, options = {}) {
      const key = `${new URL(url).origin} ${email}`;
      const storageState = sessions.get(key);
      const opened = await harness.newPage(storageState === undefined ? options : { ...options, storageState });
      perTest.push(opened.context);
      if (storageState === undefined) {
        await signIn(opened.page, url, email);
        // Signed in once the form is gone (the button alone changes its name while it submits).
        await opened.page.getByRole('heading', { name: 'Sign in to your inbox' }).waitFor({ state: 'detached' });
        sessions.set(key, await opened.context.storageState());
      } else {
        await opened.page.goto(url);
      }
      return opened;
    },
  };
  return harness;
}
