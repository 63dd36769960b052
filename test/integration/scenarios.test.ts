/**
 * Every scenario of test/scenarios/ through `baton simulate`, against the demo workspace
 * (demo/baton.yaml, seeded into an empty store as `npm start` does): each must exit 0 (its
 * `expect` holds) on a fresh demo store and again once the demo has been used — conversations
 * assigned, agents' loads and statuses changed — because every scenario that expects an owner
 * pins the agents it depends on (`agents:`). A few also pin the trace's explanation (the first
 * failed condition of a rule, the next opening across a DST change). The folder mode
 * (`baton simulate test/scenarios`) runs as a real process: one line per scenario, a summary,
 * exit 1 when one differs.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Ruleset } from '../../src/contract/config.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { getActiveRuleset, saveRulesetDraft } from '../../src/store/repositories/rulesets.js';
import { EXAMPLE_ENV, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIOS = join(ROOT, 'test', 'scenarios');
const files = readdirSync(SCENARIOS).filter((name) => name.endsWith('.yaml')).sort();
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

/** For these scenarios, the rule that did not match and the condition the trace names. */
const FAILED_CONDITIONS: Readonly<Record<string, { rule: string; failed: string }>> = {
  'enterprise-spanish-fails-channel.yaml': { rule: 'enterprise-spanish', failed: 'channel in ["web-chat"]' },
  'enterprise-spanish-fails-plan.yaml': { rule: 'enterprise-spanish', failed: 'contact.plan eq "enterprise"' },
  'enterprise-spanish-fails-language.yaml': { rule: 'enterprise-spanish', failed: 'language eq "es"' },
  'urgent-flag-fails-priority.yaml': { rule: 'urgent-flag', failed: 'priority eq "urgent"' },
  'account-owner-fails-intent.yaml': { rule: 'account-owner', failed: 'intent eq "billing_dispute"' },
  'account-owner-fails-owner.yaml': { rule: 'account-owner', failed: 'contact.owner exists true' },
  'no-assistant-email.yaml': { rule: 'enterprise-spanish', failed: 'trigger no_assistant not in [customer_requested_human, unsupported_topic]' },
};

/** Out-of-hours scenarios: when the Spanish desk opens next (Madrid 09:00, CET or CEST). */
const NEXT_OPENING: Readonly<Record<string, string>> = {
  'out-of-hours-saturday.yaml': '2026-11-30T08:00:00.000Z',
  'out-of-hours-weekday-evening.yaml': '2026-11-26T08:00:00.000Z',
  'out-of-hours-holiday.yaml': '2026-12-28T08:00:00.000Z',
  'out-of-hours-lunch-break.yaml': '2026-11-25T13:00:00.000Z',
  'dst-sunday-change-day.yaml': '2027-03-29T07:00:00.000Z',
  'dst-friday-before-change.yaml': '2027-03-26T08:00:00.000Z',
};

/** A draft of the tests' own (the demo ships none): the active rules plus one first rule. */
const ENTERPRISE_EMAIL_RULE = {
  id: 'enterprise-email',
  description: 'Enterprise email goes to on-call (draft).',
  when: ['no_assistant'],
  if: { 'contact.plan': { eq: 'enterprise' } },
  then: { destination: { team: 'oncall' }, assignment: 'reassign', notify: ['in_app'] },
};

/** The README's scenario as it was shipped before its agents were pinned. */
const UNPINNED_README_SCENARIO = readFileSync(join(SCENARIOS, 'es-enterprise-human.yaml'), 'utf8').replace(/^# Pinned:.*\nagents:\n(?: {2}.*\n)+/m, '');

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

eachDialect('baton simulate on every scenario of test/scenarios, against the demo workspace', (dialect) => {
  let t: TestApp;
  let env: Record<string, string>;
  const tmp = mkdtempSync(join(tmpdir(), 'baton-scenarios-'));

  beforeAll(async () => {
    // An empty store seeded with the demo workspace, as `npm start` does (BATON_DEMO=1).
    t = await startTestApp(dialect, { config: null, env: { BATON_DEMO: '1' } });
    env = { ...EXAMPLE_ENV, DATABASE_URL: t.url, LOG_LEVEL: 'silent', BATON_DEMO: '0' };
  });
  afterAll(async () => {
    await t.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function simulate(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { out: (text) => (out += text), err: (text) => (err += text), env, cwd: ROOT };
    const code = await main(['simulate', ...args], io);
    return { code, out, err };
  }

  /** The real `baton` process (src/cli/main.ts under tsx): its exit code is the one a CI job sees. */
  function simulateProcess(...args: string[]): Promise<Exit> {
    return new Promise((done) => {
      execFile(process.execPath, ['--import', TSX, MAIN, 'simulate', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string }) | null;
        done({ code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null, stdout, stderr });
      });
    });
  }

  function scenarioFile(name: string, lines: readonly string[], folder = tmp): string {
    const file = join(folder, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  }

  it('has at least 25 scenarios, the docs/configuration.md one among them', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(files).toContain('es-enterprise-human.yaml');
  });

  for (const file of files) {
    it(`${file} on a fresh demo store`, async () => {
      const run = await simulate(join('test', 'scenarios', file));
      expect(run.code, `${run.out}${run.err}`).toBe(0);
      expect(run.out).toContain('PASSED');

      const failed = FAILED_CONDITIONS[file];
      const opening = NEXT_OPENING[file];
      if (failed === undefined && opening === undefined) return;
      const json = await simulate(join('test', 'scenarios', file), '--json');
      const result = JSON.parse(json.out);
      if (failed !== undefined) {
        expect(result.trace.evaluated).toContainEqual({ rule: failed.rule, matched: false, failed: failed.failed });
      }
      if (opening !== undefined) {
        expect(result.trace.outOfHours).toBe(true);
        expect(result.trace.nextOpenAt).toBe(opening);
      }
    });
  }

  it('runs the folder as a program: one line per scenario, a summary line, exit 0 when all hold', async () => {
    const run = await simulateProcess('test/scenarios');
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('✓ '))).toHaveLength(files.length);
    for (const file of files) expect(run.stdout).toMatch(new RegExp(`^✓ ${file.replace(/\./g, '\\.')} `, 'm'));
    expect(lines.at(-1)).toBe(`${files.length} scenarios in test/scenarios: ${files.length} passed`);
    expect(run.stdout).toMatch(/^✓ es-enterprise-human\.yaml +customer_requested_human → enterprise-spanish → owner ana$/m);
  }, 60_000);

  it('runs every scenario green again once the demo has been used: conversations assigned, loads and statuses changed', async () => {
    // Customers hand off to people: the General queue's round robin shares them out.
    for (let n = 0; n < 4; n++) {
      const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: `Customer ${n}`, language: 'en' } } });
      const auth = { authorization: `Bearer ${session.data.token}` };
      const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers: auth, payload: {} });
      const turn = await t.request({ method: 'POST', url: `/api/widget/conversations/${started.data.conversation.id}/human`, headers: auth });
      expect(turn.statusCode).toBe(200);
      // Ana ends up with three chats (her capacity): the README's "expected ana, got maria".
      if (turn.data.conversation.owner?.name !== 'Ana') {
        const moved = await t.request({ method: 'POST', url: `/api/conversations/${started.data.conversation.id}/assign`, headers: t.admin, payload: { user: 'ana' } });
        if (moved.statusCode !== 200) expect(moved.data.error.code).toBe('over_capacity');
      }
    }
    for (const [user, status] of [['olu', 'away'], ['sam', 'offline']] as const) {
      expect((await t.request({ method: 'PATCH', url: `/api/users/${user}/status`, headers: t.admin, payload: { status } })).statusCode).toBe(200);
    }

    // The README's scenario as it was shipped (no `agents:`) now decides differently …
    const unpinned = await simulate(scenarioFile('unpinned-readme.yaml', [UNPINNED_README_SCENARIO]));
    expect(unpinned.code, unpinned.out).toBe(1);
    expect(unpinned.out).toContain('✗ assignee: expected ana, got maria');

    // … and every shipped one, pinned, holds.
    for (const file of files) {
      const run = await simulate(join('test', 'scenarios', file));
      expect(run.code, `${file}: ${run.out}${run.err}`).toBe(0);
    }
    const folder = await simulate('test/scenarios');
    expect(folder.code, folder.out).toBe(0);
    expect(folder.out).toContain(`${files.length} scenarios in test/scenarios: ${files.length} passed`);
    const json = await simulate('test/scenarios', '--json');
    expect(json.code).toBe(0);
    const entries = JSON.parse(json.out) as { file: string; result: { passed: boolean } }[];
    expect(entries.map((e) => e.file)).toEqual(files);
    expect(entries.every((e) => e.result.passed)).toBe(true);
  });

  it('exits 1 in folder mode when one scenario differs, naming it and what differed', async () => {
    const folder = join(tmp, 'mixed');
    mkdirSync(folder);
    scenarioFile('a-holds.yaml', ['channel: web-chat', 'at: 2026-11-25T10:30:00+01:00', 'contact: { language: en }', 'messages: ["I want a refund"]', 'expect: { trigger: unsupported_topic, rule: fallback }'], folder);
    scenarioFile('b-differs.yaml', ['channel: web-chat', 'at: 2026-11-25T10:30:00+01:00', 'contact: { language: en }', 'messages: ["talk to a human"]', 'expect: { rule: urgent-flag }'], folder);
    scenarioFile('notes.txt', ['not a scenario'], folder);
    const run = await simulateProcess(folder);
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(/^✓ a-holds\.yaml /m);
    expect(run.stdout).toMatch(/^✗ b-differs\.yaml +rule expected urgent-flag, got fallback$/m);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(`2 scenarios in ${folder}: 1 passed, 1 differ`);

    scenarioFile('c-invalid.yaml', ['channel: 5', 'messages: []'], folder);
    const invalid = await simulate(folder);
    expect(invalid.code).toBe(2);
    expect(invalid.out).toMatch(/^! c-invalid\.yaml +invalid: channel: /m);
    expect(invalid.out).toContain('3 scenarios in');
    expect(invalid.out).toContain('1 passed, 1 differ, 1 invalid');
  }, 60_000);

  it('exits 1 and shows what happened when an expectation differs', async () => {
    const file = scenarioFile('wrong-assignee.yaml', [
      'channel: web-chat',
      'at: 2026-11-25T10:30:00+01:00',
      'contact: { language: en }',
      'messages: ["talk to a human"]',
      'agents: { ana: { status: available, load: { chat: 0 } }, sam: { status: away }, maria: { status: away } }',
      'expect:',
      '  rule: fallback',
      '  assignee: olu',
    ]);
    const run = await simulate(file);
    expect(run.code).toBe(1);
    expect(run.out).toContain('✓ rule: fallback');
    expect(run.out).toContain('✗ assignee: expected olu, got ana');
    expect(run.out).toContain('FAILED: 1 of 2 expectations differ');
  });

  it('exits 2 with every problem and its path when the scenario is invalid', async () => {
    const file = scenarioFile('invalid.yaml', ['channel: 5', 'messages: []', 'ruleset: newest', 'expect: { outcome: lost }']);
    const run = await simulate(file);
    expect(run.code).toBe(2);
    for (const path of ['channel', 'messages', 'ruleset', 'expect.outcome']) expect(run.err).toContain(`  ${path}: `);
  });

  it('exits 2 naming unknown channels and users, and with a YAML syntax error', async () => {
    const run = await simulate(scenarioFile('unknown.yaml', ['channel: fax', 'messages: ["hi"]', 'agents:', '  zoe: { status: away }']));
    expect(run.code).toBe(2);
    expect(run.err).toContain('  channel: unknown channel "fax"');
    expect(run.err).toContain('  agents.zoe: unknown user "zoe"');

    const broken = join(tmp, 'broken.yaml');
    writeFileSync(broken, 'channel: web-chat\nmessages: ["hi"\n');
    const syntax = await simulate(broken);
    expect(syntax.code).toBe(2);
    expect(syntax.err).toMatch(/line \d+, column \d+/);
  });

  it('prints the JSON result with --json', async () => {
    const run = await simulate(join('test', 'scenarios', 'fallback-general.yaml'), '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out);
    expect(result).toMatchObject({ at: '2026-11-25T09:30:00.000Z', ruleset: 1, passed: true, trace: { rule: 'fallback', queue: 'general' } });
  });

  it('runs as a program: the docs/configuration.md scenario prints a readable trace and exits 0', async () => {
    const run = await simulateProcess('test/scenarios/es-enterprise-human.yaml');
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0);
    // The demo ships no draft: `ruleset: draft` runs the active rules.
    expect(run.stdout).toContain('with ruleset version 1');
    expect(run.stdout).toContain('trigger          customer_requested_human');
    expect(run.stdout).toContain('✓ enterprise-spanish: matched');
    expect(run.stdout).toContain('destination      queue es-support');
    expect(run.stdout).toContain('assignee         ana');
    expect(run.stdout).toContain('customer messages');
    expect(run.stdout).toContain('notifications');
    expect(run.stdout).toContain('callback → ana');
    expect(run.stdout).toContain('✓ assignee: ana');
    expect(run.stdout).toContain('PASSED');
  }, 60_000);

  // Last: it saves a draft, which `ruleset: draft` scenarios would then run.
  it('runs a saved draft: enterprise email goes to on-call under the draft, to General under the active rules', async () => {
    const db = t.baton.ctx.database.db;
    const rules = Ruleset.parse((await getActiveRuleset(db))?.ruleset);
    await saveRulesetDraft(db, { ruleset: { ...rules, rules: [ENTERPRISE_EMAIL_RULE, ...rules.rules] }, updatedBy: 'olu', now: t.clock.now() });
    const lines = (ruleset: string, rule: string) => [
      'channel: support-email',
      'at: 2026-11-25T10:30:00+01:00',
      'contact: { name: Grace, language: en, properties: { plan: enterprise } }',
      'messages: ["Our invoices are missing the VAT number"]',
      `ruleset: ${ruleset}`,
      'agents: { olu: { status: available, load: { email: 0 } } }',
      `expect: { trigger: no_assistant, rule: ${rule} }`,
    ];
    const draft = await simulate(scenarioFile('draft.yaml', [...lines('draft', 'enterprise-email'), '']), '--json');
    expect(draft.code, draft.out).toBe(0);
    expect(JSON.parse(draft.out)).toMatchObject({ ruleset: 'draft', trace: { destination: { team: 'oncall' }, assignee: 'olu' } });
    const active = await simulate(scenarioFile('active.yaml', lines('active', 'fallback')));
    expect(active.code, active.out).toBe(0);
  });
});
