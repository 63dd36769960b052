/**
 * The `baton` command as a process: `bin/baton.js` and src/cli/main.ts run in a child Node, so
 * exit codes and signals are the real ones. bin/baton.js imports the built CLI
 * (dist/src/cli/main.js); here a copy of it runs beside a dist/ whose main.js re-exports the
 * sources, so its exit-code handling is tested on the code of this tree without a build.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_ENV } from '../support/test-app.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** tsx's loader by absolute URL, so a child whose cwd is a temporary folder still finds it. */
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

let dir: string;
let bin: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-cli-process-'));
  const fake = join(dir, 'package');
  mkdirSync(join(fake, 'bin'), { recursive: true });
  mkdirSync(join(fake, 'dist', 'src', 'cli'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'baton.js'), join(fake, 'bin', 'baton.js'));
  writeFileSync(join(fake, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(fake, 'dist', 'src', 'cli', 'main.js'), `export { main } from ${JSON.stringify(pathToFileURL(MAIN).href)};\n`);
  bin = join(fake, 'bin', 'baton.js');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh, empty working directory: the default DATABASE_URL (sqlite:./data/baton.db) lands here. */
function emptyCwd(name: string): string {
  const cwd = join(dir, name);
  mkdirSync(cwd);
  return cwd;
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...EXAMPLE_ENV, LOG_LEVEL: 'silent', BATON_DEMO: '0', ...extra };
  delete env.DATABASE_URL;
  delete env.PORT;
  return env;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end; a command that does not end within 30 s is killed and fails. */
function runCli(args: string[], cwd: string, env = childEnv()): Promise<Exit> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, env, timeout: 30_000 }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
      done({ code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null, signal: failure?.signal ?? null, stdout, stderr });
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => done({ code, signal }));
  });
}

/** Waits for the "Baton is serving on …" log line; fails if the process exits first. */
function servingAddress(child: ChildProcess, output: { text: string }): Promise<string> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`not serving after 20 s:\n${output.text}`)), 20_000);
    const look = (): void => {
      const address = /"address":"(http:\/\/[^"]+)"/.exec(output.text)?.[1];
      if (address !== undefined) {
        clearTimeout(timer);
        child.off('exit', early);
        done(address);
      }
    };
    const early = (code: number | null): void => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code} before serving:\n${output.text}`));
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      output.text += chunk.toString();
      look();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output.text += chunk.toString();
    });
    child.once('exit', early);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe('baton serve as a process', () => {
  for (const [name, entry] of [
    ['bin/baton.js', (): string[] => ['--import', TSX, bin, 'serve']],
    ['src/cli/main.ts', (): string[] => ['--import', TSX, MAIN, 'serve']],
  ] as const) {
    it(`${name}: stays up, answers /healthz and exits 0 on SIGTERM after shutting down`, async () => {
      const cwd = emptyCwd(`serve-${name.replace(/\W/g, '-')}`);
      const env = childEnv({ LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: `sqlite:${join(cwd, 'baton.db')}` });
      const child = spawn(process.execPath, entry(), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const output = { text: '' };
      try {
        const address = await servingAddress(child, output);
        // Still running a moment after it said so (it used to exit 255 right there).
        await sleep(500);
        expect(child.exitCode).toBeNull();
        const health = await fetch(`${address}/healthz`);
        expect(health.status).toBe(200);
        child.kill('SIGTERM');
        const end = await exited(child);
        expect(end, output.text).toEqual({ code: 0, signal: null });
        expect(output.text).toContain('shutting down');
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }, 40_000);
  }
});

describe('baton <command> --help', () => {
  const OPTIONS: Readonly<Record<string, readonly string[]>> = {
    serve: ['--help'],
    validate: ['-f, --file <file>', '--help'],
    apply: ['-f, --file <file>', '--dry-run', '--summary <text>', '--help'],
    export: ['--defaults', '--help'],
    simulate: ['--json', '--help'],
    token: ['--user <id>', '--name <n>', '--scopes <list>', '--help'],
    user: ['--help'],
  };

  it('prints the usage with every option and exits 0 for each command, doing nothing else', async () => {
    // Three at a time: each child loads the whole CLI under tsx.
    const commands = Object.keys(OPTIONS);
    const runs: { command: string; flag: string; cwd: string; run: Exit }[] = [];
    for (let i = 0; i < commands.length; i += 3) {
      const batch = commands.slice(i, i + 3).map(async (command, j) => {
        const flag = j % 2 === 0 ? '--help' : '-h';
        const cwd = emptyCwd(`help-${command}`);
        // The default database is ./data/baton.db in cwd; serve would listen on 3000.
        return { command, flag, cwd, run: await runCli([command, flag], cwd) };
      });
      runs.push(...(await Promise.all(batch)));
    }
    for (const { command, flag, cwd, run } of runs) {
      const label = `baton ${command} ${flag}: ${run.stderr}`;
      expect(run.code, label).toBe(0);
      expect(run.stdout, label).toMatch(new RegExp(`^usage: baton ${command}`));
      for (const option of OPTIONS[command] ?? []) expect(run.stdout, label).toContain(option);
      // No database opened (none created), nothing exported.
      expect(readdirSync(cwd), label).toEqual([]);
      expect(run.stdout, label).not.toContain('workspace:');
    }
  }, 120_000);

  it('baton --help and baton help exit 0; baton alone prints the usage and exits 2', async () => {
    const cwd = emptyCwd('help-top');
    const [help, word, bare] = await Promise.all([runCli(['--help'], cwd), runCli(['help'], cwd), runCli([], cwd)]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: baton <command>');
    expect(word.code).toBe(0);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('usage: baton <command>');
  }, 30_000);

  it('refuses an unknown option with exit 2 and the usage line, doing nothing', async () => {
    const cwd = emptyCwd('unknown-option');
    const [serve, exported] = await Promise.all([runCli(['serve', '--port', '4000'], cwd), runCli(['export', '--bogus'], cwd)]);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain("Unknown option '--port'");
    expect(serve.stderr).toContain('usage: baton serve');
    expect(exported.code).toBe(2);
    expect(exported.stderr).toContain("Unknown option '--bogus'");
    expect(exported.stderr).toContain('usage: baton export');
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  }, 30_000);
});
