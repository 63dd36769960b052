/**
 * End-to-end support for the agent app: a real listening Baton on a temporary SQLite file with
 * the demo workspace, the app built with Vite when its build is missing or older than its
 * sources, and the Debian chromium driven by playwright-core (no browser download).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { parseEnv } from '../../src/platform/env.js';
import { packageRoot } from '../../src/platform/package-root.js';
import { appBuildDir } from '../../src/http/routes/app.js';
import { createBaton, type Baton } from '../../src/server.js';

export const CHROMIUM = '/usr/bin/chromium';
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789';
export const DEMO_PASSWORD = 'baton-demo';
export const artifactsDir = (): string => join(packageRoot(), 'test-artifacts');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Build web/app once (Vite's API) unless dist/web/app is newer than every source file. */
export async function ensureAppBuilt(): Promise<void> {
  const index = join(appBuildDir(), 'index.html');
  const sources = join(packageRoot(), 'web', 'app');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(sources, 'src'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(sources, 'vite.config.ts'), logLevel: 'warn' });
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
    messages: async () => (await running.api<{ author: string; body: string }[]>('GET', `/api/widget/conversations/${id}/messages`, undefined, token)).data,
  };
}
