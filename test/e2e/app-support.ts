/**
 * End-to-end support for the agent app: a real listening Baton on a temporary SQLite file with
 * the demo workspace, the app built with Vite when its build is missing or older than its
 * sources, and the Debian chromium driven by playwright-core (no browser download).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { parseEnv } from '../../src/platform/env.js';
import { packageRoot } from '../../src/platform/package-root.js';
import { appBuildDir } from '../../src/http/routes/app.js';
import { createBaton, type Baton } from '../../src/server.js';

export const CHROMIUM = '/usr/bin/chromium';
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789';
export const DEMO_PASSWORD = 'baton-demo';
export const artifactsDir = (): string => join(packageRoot(), 'test-artifacts');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The build is stale when any app source, its Vite config or this builder is newer than it. */
function appBuildIsFresh(): boolean {
  const index = join(appBuildDir(), 'index.html');
  if (!existsSync(index)) return false;
  const app = join(packageRoot(), 'web', 'app');
  const inputs = [join(app, 'src'), join(app, 'index.html'), join(app, 'vite.config.ts'), fileURLToPath(import.meta.url)];
  return statSync(index).mtimeMs >= Math.max(...inputs.map(newestMtime));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `vite build --mode production` in a child process with NODE_ENV=production: vitest sets
 * NODE_ENV=test, and a Vite build in this process would bundle React's development build (twice
 * the size, a chunk-size warning) instead of what `npm run build:app` serves to users.
 */
function buildAppForProduction(): Promise<void> {
  const vite = join(packageRoot(), 'node_modules', 'vite', 'bin', 'vite.js');
  const config = join(packageRoot(), 'web', 'app', 'vite.config.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--mode', 'production', '--config', config, '--logLevel', 'warn'], {
      cwd: packageRoot(),
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${String(code)}:\n${output}`))));
  });
}

/**
 * Build web/app once unless dist/web/app is newer than every input. E2E files run in parallel
 * workers: a lock file (created with O_EXCL) lets one of them build while the others wait for it.
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
      if (Date.now() > deadline || Date.now() - lockedAt > 120_000) rmSync(lock, { force: true });
      await sleep(200);
      continue;
    }
    try {
      if (!appBuildIsFresh()) await buildAppForProduction();
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
    return;
  }
}

export interface RunningBaton {
  readonly baton: Baton;
  readonly url: string;
  /** JSON over real HTTP with a bearer token (the admin token by default; '' for none). */
  api<T = unknown>(method: string, path: string, body?: unknown, bearer?: string): Promise<{ status: number; data: T }>;
  close(): Promise<void>;
}

/** createBaton on a free port with the demo workspace (its users sign in with `baton-demo`). */
export async function startBaton(): Promise<RunningBaton> {
  const dir = mkdtempSync(join(tmpdir(), 'baton-e2e-'));
  const env = parseEnv({
    DATABASE_URL: `sqlite:${join(dir, 'baton.db')}`,
    BATON_DEMO: '1',
    BATON_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const baton = await createBaton({ env, processEnv: {} });
  await baton.app.listen({ host: '127.0.0.1', port: 0 });
  const address = baton.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('Baton is not listening on a TCP port');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    baton,
    url,
    async api<T>(method: string, path: string, body?: unknown, bearer: string = E2E_ADMIN_TOKEN) {
      const response = await fetch(url + path, {
        method,
        headers: { ...(bearer === '' ? {} : { authorization: `Bearer ${bearer}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, data: (text === '' ? undefined : JSON.parse(text)) as T };
    },
    async close() {
      await baton.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(artifactsDir(), { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
}

export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

/** A customer on the website chat, through the widget REST API (API.md "Customers"). */
export async function aCustomer(running: RunningBaton, contact: Record<string, unknown>) {
  const session = await running.api<{ token: string }>('POST', '/api/widget/sessions', { channel: 'web-chat', contact }, '');
  if (session.status !== 201 && session.status !== 200) throw new Error(`widget session: ${session.status} ${JSON.stringify(session.data)}`);
  const token = session.data.token;
  const started = await running.api<{ conversation: { id: string } }>('POST', '/api/widget/conversations', {}, token);
  if (started.status >= 300) throw new Error(`widget conversation: ${started.status} ${JSON.stringify(started.data)}`);
  const id = started.data.conversation.id;
  return {
    id,
    say: (body: string) => running.api('POST', `/api/widget/conversations/${id}/messages`, { body }, token),
    askForHuman: () => running.api('POST', `/api/widget/conversations/${id}/human`, {}, token),
    /** "The customer is typing" (ephemeral; the server relays at most one a second). */
    typing: () => running.api('POST', `/api/widget/conversations/${id}/typing`, undefined, token),
    messages: async () => (await running.api<{ author: string; body: string }[]>('GET', `/api/widget/conversations/${id}/messages`, undefined, token)).data,
  };
}
