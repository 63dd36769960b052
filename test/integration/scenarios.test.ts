/**
 * Every scenario of test/scenarios/ through `baton simulate`, against a store (each dialect) with the
 * CONFIG.md example applied: each must exit 0 (its `expect` holds). A few also pin the trace's
 * explanation (the first failed condition of a rule, the next opening across a DST change).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Ruleset } from '../../src/contract/config.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { getActiveRuleset, saveRulesetDraft } from '../../src/store/repositories/rulesets.js';
import { EXAMPLE_ENV, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIOS = join(ROOT, 'test', 'scenarios');
const files = readdirSync(SCENARIOS).filter((name) => name.endsWith('.yaml')).sort();

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

/** The draft that draft-email-enterprise.yaml runs: the active rules plus one first rule. */
const ENTERPRISE_EMAIL_RULE = {
  id: 'enterprise-email',
  description: 'Enterprise email goes to on-call (draft).',
  when: ['no_assistant'],
  if: { 'contact.plan': { eq: 'enterprise' } },
  then: { destination: { team: 'oncall' }, assignment: 'reassign', notify: ['in_app'] },
};

eachDialect('baton simulate on every scenario of test/scenarios', (dialect) => {
  let t: TestApp;
  let env: Record<string, string>;
  const tmp = mkdtempSync(join(tmpdir(), 'baton-scenarios-'));

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const db = t.baton.ctx.database.db;
    const active = await getActiveRuleset(db);
    const rules = Ruleset.parse(active?.ruleset);
    await saveRulesetDraft(db, { ruleset: { ...rules, rules: [ENTERPRISE_EMAIL_RULE, ...rules.rules] }, updatedBy: 'olu', now: t.clock.now() });
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

  it('has at least 25 scenarios, the CONFIG.md one among them', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(files).toContain('es-enterprise-human.yaml');
  });

  for (const file of files) {
    it(file, async () => {
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

  it('exits 1 and shows what happened when an expectation differs', async () => {
    const file = join(tmp, 'wrong-assignee.yaml');
    writeFileSync(
      file,
      ['channel: web-chat', 'at: 2026-11-25T10:30:00+01:00', 'contact: { language: en }', 'messages: ["talk to a human"]', 'expect:', '  rule: fallback', '  assignee: olu', ''].join('\n'),
    );
    const run = await simulate(file);
    expect(run.code).toBe(1);
    expect(run.out).toContain('✓ rule: fallback');
    expect(run.out).toContain('✗ assignee: expected olu, got ana');
    expect(run.out).toContain('FAILED: 1 of 2 expectations differ');
  });

  it('exits 2 with every problem and its path when the scenario is invalid', async () => {
    const file = join(tmp, 'invalid.yaml');
    writeFileSync(file, ['channel: 5', 'messages: []', 'ruleset: newest', 'expect: { outcome: lost }', ''].join('\n'));
    const run = await simulate(file);
    expect(run.code).toBe(2);
    for (const path of ['channel', 'messages', 'ruleset', 'expect.outcome']) expect(run.err).toContain(`  ${path}: `);
  });

  it('exits 2 naming unknown channels and users, and with a YAML syntax error', async () => {
    const unknown = join(tmp, 'unknown.yaml');
    writeFileSync(unknown, ['channel: fax', 'messages: ["hi"]', 'agents:', '  zoe: { status: away }', ''].join('\n'));
    const run = await simulate(unknown);
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

  it('runs as a program: the CONFIG.md scenario prints a readable trace and exits 0', async () => {
    let code = 0;
    let stdout = '';
    let stderr = '';
    try {
      const child = await promisify(execFile)('npx', ['tsx', 'src/cli/main.ts', 'simulate', 'test/scenarios/es-enterprise-human.yaml'], {
        cwd: ROOT,
        env: { ...process.env, ...env },
      });
      stdout = child.stdout;
      stderr = child.stderr;
    } catch (error) {
      const failure = error as { code?: number; stdout?: string; stderr?: string };
      code = failure.code ?? -1;
      stdout = failure.stdout ?? '';
      stderr = failure.stderr ?? '';
    }
    expect(code, `${stdout}${stderr}`).toBe(0);
    expect(stdout).toContain('with the draft ruleset');
    expect(stdout).toContain('trigger          customer_requested_human');
    expect(stdout).toContain('✓ enterprise-spanish: matched');
    expect(stdout).toContain('destination      queue es-support');
    expect(stdout).toContain('assignee         ana');
    expect(stdout).toContain('customer messages');
    expect(stdout).toContain('notifications');
    expect(stdout).toContain('callback → ana');
    expect(stdout).toContain('✓ assignee: ana');
    expect(stdout).toContain('PASSED');
  }, 60_000);
});
