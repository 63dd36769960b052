/**
 * `baton user password <id>` as a process (the cli-process.test.ts way): the operator pipes a
 * password into a real child Node, which writes the hash to the SQLite file in its working folder.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/platform/secrets.js';
import { openDatabase } from '../../src/store/database.js';
import { getPasswordHash } from '../../src/store/repositories/users.js';
import { EXAMPLE_ENV } from '../support/test-app.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const EXAMPLE = join(ROOT, 'test', 'fixtures', 'config-example.yaml');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], cwd: string, stdin?: string): Promise<Exit> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...EXAMPLE_ENV, LOG_LEVEL: 'silent', BATON_DEMO: '0' };
  delete env.DATABASE_URL;
  return new Promise((done) => {
    const child = execFile(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number | string }) | null;
      done({ code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}

async function storedHash(cwd: string, userId: string): Promise<string | null> {
  const database = await openDatabase(`sqlite:${join(cwd, 'data', 'baton.db')}`, { migrate: false });
  try {
    return await getPasswordHash(database.db, userId);
  } finally {
    await database.close();
  }
}

describe('baton user password', () => {
  let cwd: string;
  // Each test its own working folder and database, so a password one test sets is not there for the next.
  beforeEach(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'baton-cli-user-'));
    mkdirSync(join(cwd, 'data'));
    const applied = await runCli(['apply', '-f', EXAMPLE], cwd);
    expect(applied.code, applied.stderr).toBe(0);
  }, 60_000);
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('prints its usage and exits 0 with --help, doing nothing', async () => {
    const help = await runCli(['user', '--help'], cwd);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: baton user password <id>/);
  }, 30_000);

  it('refuses a common password (exit 2, the reason said) and an unknown user (exit 4), changing nothing', async () => {
    const weak = await runCli(['user', 'password', 'ana'], cwd, 'password123\n');
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('this password is on a list of commonly used passwords; choose another');
    expect(await storedHash(cwd, 'ana')).toBeNull();
    const unknown = await runCli(['user', 'password', 'nobody'], cwd, 'plum tractor sunrise 42\n');
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('user "nobody" not found');
  }, 60_000);

  it('sets the password read from a pipe: the first line, without its line ending', async () => {
    const set = await runCli(['user', 'password', 'ana'], cwd, 'plum tractor sunrise 42\nignored\n');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toContain('password set for ana');
    expect(set.stdout).toBe('');
    const hash = await storedHash(cwd, 'ana');
    expect(hash).not.toBeNull();
    expect(await verifyPassword('plum tractor sunrise 42', hash!)).toBe(true);
  }, 30_000);

  // A terminal: util-linux `script` gives the child a pseudo-terminal; what it prints is what a
  // person would see. The password is typed after each prompt and must never be echoed.
  it.skipIf(!existsSync('/usr/bin/script'))('reads the password twice without echo on a terminal', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...EXAMPLE_ENV, LOG_LEVEL: 'silent', BATON_DEMO: '0' };
    delete env.DATABASE_URL;
    const command = ['node', '--import', TSX, MAIN, 'user', 'password', 'olu'].map((part) => `'${part}'`).join(' ');
    const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let seen = '';
    const typed = 'kettle orbit lantern 77';
    const prompts = ['New password for olu: ', 'Again: '];
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const next = prompts[0];
      if (next !== undefined && seen.includes(next)) {
        prompts.shift();
        child.stdin.write(`${typed}\r`);
      }
    });
    const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
    expect(code, seen).toBe(0);
    expect(seen).toContain('password set for olu');
    expect(seen).not.toContain(typed);
    const hash = await storedHash(cwd, 'olu');
    expect(await verifyPassword(typed, hash!)).toBe(true);
  }, 30_000);
});
