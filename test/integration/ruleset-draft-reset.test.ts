/**
 * Publishing or restoring resets the draft to the rules now active (issue 16 §2: after restoring
 * an older version, the editor still showed the newer rule as a saved draft with a red warning);
 * a restore keeps the draft only when the admin asks (`keepDraft: true`).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect('the draft after publish and restore', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  const ids = (ruleset: { rules: { id: string }[] }): string[] => ruleset.rules.map((r) => r.id);
  const draft = async (): Promise<{ ruleset: { rules: { id: string }[] } } & Record<string, unknown>> =>
    (await t.request({ method: 'GET', url: '/api/ruleset/draft', headers: t.admin })).data as { ruleset: { rules: { id: string }[] } } & Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rulesets are edited as JSON here
  const saveDraft = async (edit: (rules: any) => void) => {
    const rules = (await t.request({ method: 'GET', url: '/api/ruleset', headers: t.admin })).data.ruleset;
    edit(rules);
    t.clock.advance(1_000);
    expect((await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: t.admin, payload: rules })).statusCode).toBe(200);
  };

  it('shows the restored rules, not the newer draft, after a restore; keeps the draft only when asked', async () => {
    // Version 2 drops account-owner.
    await saveDraft((rules) => {
      rules.rules = rules.rules.filter((r: { id: string }) => r.id !== 'account-owner');
    });
    t.clock.advance(1_000);
    expect((await t.request({ method: 'POST', url: '/api/ruleset/publish', headers: t.admin, payload: { summary: 'no account owner' } })).statusCode).toBe(201);
    expect(await draft()).toMatchObject({ saved: false, changed: false, outdated: false, activeVersion: 2 });

    // Restore version 1: the editor shows version 1's rules, with no warning.
    t.clock.advance(1_000);
    const restored = await t.request({ method: 'POST', url: '/api/ruleset/versions/1/restore', headers: t.admin, payload: {} });
    expect(restored.statusCode).toBe(201);
    const afterRestore = await draft();
    expect(afterRestore).toMatchObject({ saved: false, changed: false, outdated: false, activeVersion: 3 });
    expect(ids(afterRestore.ruleset)).toEqual(['enterprise-spanish', 'urgent-flag', 'account-owner']);

    // A draft in progress survives a restore when the admin says so.
    await saveDraft((rules) => {
      rules.rules = rules.rules.filter((r: { id: string }) => r.id !== 'urgent-flag');
    });
    t.clock.advance(1_000);
    const kept = await t.request({ method: 'POST', url: '/api/ruleset/versions/2/restore', headers: t.admin, payload: { keepDraft: true } });
    expect(kept.statusCode).toBe(201);
    const afterKeep = await draft();
    expect(afterKeep).toMatchObject({ saved: true, changed: true, activeVersion: 4 });
    expect(ids(afterKeep.ruleset)).toEqual(['enterprise-spanish', 'account-owner']);
    const audit = await t.request({ method: 'GET', url: '/api/audit?action=ruleset.restored', headers: t.admin });
    expect(audit.data.items.map((e: { data: { keptDraft: boolean } }) => e.data.keptDraft)).toEqual([true, false]);
  });
});
