import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { hashToken } from '../../src/platform/secrets.js';
import { findActiveApiToken } from '../../src/store/repositories/users.js';
import { EXAMPLE_CONFIG, EXAMPLE_ENV, eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BROKEN = EXAMPLE_CONFIG.replace('destination: { queue: es-support }', 'destination: { queue: es-suport }').replace(
  'strategy: least_busy',
  'strategy: fastest',
);
/** Two schema problems, and an unknown team in the queue that has one of them (queues[1], "general"). */
const THREE_PROBLEMS = EXAMPLE_CONFIG.replace('strategy: least_busy', 'strategy: fastest')
  .replace('sla: { firstResponse: 1h }', 'sla: { firstResponse: soon }')
  .replace('    name: General\n    team: billing', '    name: General\n    team: bliling');

interface Run {
  code: number;
  out: string;
  err: string;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
  writeFileSync(join(dir, 'baton.yaml'), EXAMPLE_CONFIG);
  writeFileSync(join(dir, 'broken.yaml'), BROKEN);
  writeFileSync(join(dir, 'three-problems.yaml'), THREE_PROBLEMS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function baton(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    env: { ...EXAMPLE_ENV, LOG_LEVEL: 'silent', BATON_DEMO: '0', USER: 'tester', ...env },
    cwd: dir,
  };
  const code = await main(args, io);
  return { code, out, err };
}

describe('baton validate', () => {
  // No database is opened: this URL leads nowhere.
  const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing' };

  it('says valid, with counts, for the docs/configuration.md example', async () => {
    const run = await baton(['validate', '-f', 'baton.yaml'], env);
    expect(run.code).toBe(0);
    expect(run.out).toBe('valid: 2 users, 2 teams, 2 queues, 2 channels, 3 rules\n');
  });

  it('prints every problem with path, line and column, and exits 2', async () => {
    const run = await baton(['validate', '-f', 'broken.yaml'], env);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^teams\[0\]\.strategy: .* \(line \d+, column \d+\)$/m);
    expect(run.err).toMatch(/^handoff\.rules\[0\]\.then\.destination\.queue: unknown queue "es-suport".* \(line \d+, column \d+\)$/m);
    expect(run.err).toContain('2 problems');
  });

  it('reports schema and reference problems in one run, also in the same item, each with its line (exit 2)', async () => {
    const run = await baton(['validate', '-f', 'three-problems.yaml'], env);
    expect(run.code).toBe(2);
    const lines = run.err.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^teams\[0\]\.strategy: must be one of .*"fastest".* \(line 37, column \d+\)$/),
      expect.stringMatching(/^queues\[1\]\.team: unknown team "bliling" \(did you mean "billing"\?\) \(line 58, column \d+\)$/),
      expect.stringMatching(/^queues\[1\]\.sla\.firstResponse: must be a duration .* \(line 60, column \d+\)$/),
      expect.stringMatching(/three-problems\.yaml: 3 problems$/),
    ]);
  });

  it('reads ${VAR} from its environment', async () => {
    const run = await baton(['validate', 'baton.yaml'], { ...env, SMTP_URL: undefined });
    expect(run.code).toBe(2);
    expect(run.err).toContain('notifications.email.smtpUrl');
  });

  it('exits 2 without a file, and reports a file it cannot read', async () => {
    expect((await baton(['validate'], env)).code).toBe(2);
    const missing = await baton(['validate', '-f', 'nothing.yaml'], env);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read the file');
  });
});

describe('baton options', () => {
  // Nothing here may open a database: this URL leads nowhere.
  const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing' };

  it('answers -h/--help for every command with its usage and options (exit 0), before checking anything else', async () => {
    for (const [args, options] of [
      [['serve', '-h'], ['--help']],
      [['validate', '--help', '--bogus'], ['--file']],
      [['apply', '-f', 'missing.yaml', '-h'], ['--file', '--dry-run', '--summary']],
      [['export', '-h'], ['--defaults']],
      [['simulate', '--help'], ['--json']],
      [['token', 'create', '--help'], ['--user', '--name', '--scopes']],
    ] as const) {
      const run = await baton([...args], env);
      expect(run.code, args.join(' ')).toBe(0);
      expect(run.out).toMatch(new RegExp(`^usage: baton ${args[0]}`));
      for (const option of options) expect(run.out).toContain(option);
      expect(run.err).toBe('');
    }
  });

  it('refuses unknown options, missing values and extra arguments with exit 2 and the usage line', async () => {
    for (const [args, message] of [
      [['validate', '-f', 'baton.yaml', '--bogus'], "Unknown option '--bogus'"],
      [['validate', '-f', 'baton.yaml', 'broken.yaml'], 'name the workspace file once'],
      [['validate', 'baton.yaml', 'broken.yaml'], 'unexpected argument "broken.yaml"'],
      [['apply', '-f', 'baton.yaml', '--dryrun'], "Unknown option '--dryrun'"],
      [['apply', '-f', 'baton.yaml', '--summary'], "'--summary <value>' argument missing"],
      [['export', 'extra'], 'unexpected argument "extra"'],
      [['simulate', 'a.yaml', '--verbose'], "Unknown option '--verbose'"],
      [['token', 'create', '--user', 'ana', '--scope', 'read'], "Unknown option '--scope'"],
      [['serve', '--port', '4000'], "Unknown option '--port'"],
    ] as const) {
      const run = await baton([...args], env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toContain(message);
      expect(run.err).toContain(`usage: baton ${args[0]}`);
    }
  });

  it('still takes --file=, -f and the positional file', async () => {
    for (const args of [['validate', '--file=baton.yaml'], ['validate', '--file', 'baton.yaml'], ['validate', '-f', 'baton.yaml'], ['validate', 'baton.yaml']]) {
      const run = await baton(args, env);
      expect(run.code, args.join(' ')).toBe(0);
    }
  });
});

eachDialect('baton apply, export and token', (dialect) => {
  let db: TestDatabase;
  let env: Record<string, string>;
  // Each test its own empty database; those that need a workspace apply baton.yaml first.
  beforeEach(async () => {
    db = await openTestDatabase(dialect);
    env = { DATABASE_URL: db.url };
  });
  afterEach(async () => {
    await db.drop();
  });
  const applyExample = async (): Promise<void> => {
    expect((await baton(['apply', '-f', 'baton.yaml'], env)).code).toBe(0);
  };

  const revisions = async (): Promise<number> => {
    const row = await db.database.db.selectFrom('config_revisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it('exports nothing before anything was applied (exit 6)', async () => {
    const run = await baton(['export'], env);
    expect(run.code).toBe(6);
    expect(run.err).toContain('no configuration yet');
  });

  it('refuses an invalid file with every problem (exit 2) and changes nothing', async () => {
    const run = await baton(['apply', '-f', 'broken.yaml'], env);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/handoff\.rules\[0\]\.then\.destination\.queue: unknown queue "es-suport".*\(line \d+, column \d+\)/);
    expect(run.err).toMatch(/teams\[0\]\.strategy/);
    expect(await revisions()).toBe(0);
  });

  it('apply (the path of PUT /api/config) reports the same three problems at once', async () => {
    const run = await baton(['apply', '-f', 'three-problems.yaml'], env);
    expect(run.code).toBe(2);
    for (const path of ['teams[0].strategy', 'queues[1].team', 'queues[1].sla.firstResponse']) expect(run.err).toMatch(new RegExp(`^${path.replace(/[[\].]/g, '\\$&')}: .*\\(line \\d+`, 'm'));
    expect(await revisions()).toBe(0);
  });

  it('validates only on --dry-run', async () => {
    const run = await baton(['apply', '-f', 'baton.yaml', '--dry-run'], env);
    expect(run.code).toBe(0);
    expect(run.out).toContain('dry run: nothing applied');
    expect(await revisions()).toBe(0);
  });

  it('applies a file: a revision, the rules published, audited as the CLI user', async () => {
    const run = await baton(['apply', '-f', 'baton.yaml', '--summary', 'first setup'], env);
    expect(run.code).toBe(0);
    expect(run.out).toBe('applied: revision 1; published ruleset version 1\n');
    const version = await db.database.db.selectFrom('ruleset_versions').selectAll().executeTakeFirstOrThrow();
    expect(version).toMatchObject({ version: 1, author: 'cli:tester', summary: 'first setup' });
    const again = await baton(['apply', '-f', 'baton.yaml'], env);
    expect(again.out).toBe('unchanged: revision 1, ruleset version 1\n');
    expect(await revisions()).toBe(1);
  });

  it('exports the workspace as YAML that validates and applies back unchanged', async () => {
    await applyExample();
    const run = await baton(['export'], env);
    expect(run.code).toBe(0);
    const doc = parseYaml(run.out) as { users: { id: string }[]; notifications: { slack: { webhookUrl: string } } };
    expect(doc.users.map((u) => u.id)).toEqual(['ana', 'olu']);
    expect(doc.notifications.slack.webhookUrl).toBe('${SLACK_WEBHOOK_URL}');
    writeFileSync(join(dir, `exported-${dialect}.yaml`), run.out);
    expect((await baton(['validate', '-f', `exported-${dialect}.yaml`], env)).code).toBe(0);
    const reapplied = await baton(['apply', '-f', `exported-${dialect}.yaml`], env);
    expect(reapplied.out).toContain('unchanged');
  });

  it('creates a token for a user, printed once on stdout', async () => {
    await applyExample();
    const run = await baton(['token', 'create', '--user', 'olu', '--name', 'ci', '--scopes', 'read,write,admin'], env);
    expect(run.code).toBe(0);
    const token = run.out.trim();
    expect(token).toMatch(/^bt_/);
    expect(run.err).toContain('token "ci" for olu');
    const stored = await findActiveApiToken(db.database.db, hashToken(token));
    expect(stored).toMatchObject({ userId: 'olu', name: 'ci', scopes: ['read', 'write', 'admin'] });
  });

  it('refuses a token for an unknown user (exit 4), bad scopes and a missing user (exit 2)', async () => {
    await applyExample();
    expect((await baton(['token', 'create', '--user', 'ghost'], env)).code).toBe(4);
    const scopes = await baton(['token', 'create', '--user', 'ana', '--scopes', 'read,everything'], env);
    expect(scopes.code).toBe(2);
    expect(scopes.err).toContain('--scopes');
    expect((await baton(['token', 'create', '--user', 'ana', '--scopes', 'admin'], env)).code).toBe(2);
    expect((await baton(['token', 'create'], env)).code).toBe(2);
    expect((await baton(['token'], env)).code).toBe(2);
  });
});

describe('the baton command as a process', () => {
  const exec = promisify(execFile);
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  const childEnv = { ...process.env, ...EXAMPLE_ENV, LOG_LEVEL: 'silent' };

  it('validates the docs/configuration.md example (exit 0) and an invalid file (exit 2)', async () => {
    const ok = await exec(tsx, ['src/cli/main.ts', 'validate', '-f', 'test/fixtures/config-example.yaml'], { cwd: ROOT, env: childEnv });
    expect(ok.stdout).toContain('valid:');
    const failed = await exec(tsx, ['src/cli/main.ts', 'validate', '-f', join(dir, 'broken.yaml')], { cwd: ROOT, env: childEnv }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('unknown queue "es-suport"');
  });
});
