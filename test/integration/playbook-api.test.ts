import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect('GET /api/playbook', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses without credentials', async () => {
    const response = await t.request({ method: 'GET', url: '/api/playbook' });
    expect(response.statusCode).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await t.request({ method: 'GET', url: '/api/openapi.json' });
    expect(Object.keys(doc.data.paths['/api/playbook'])).toEqual(['get']);
  });

  it('states the active rules in plain language to every agent, and follows a newly published version', async () => {
    const ana = await t.tokenFor('ana');
    const before = await t.request({ method: 'GET', url: '/api/playbook', headers: ana });
    expect(before.statusCode).toBe(200);
    expect(before.data.entries.at(-1)).toMatchObject({ id: 'fallback', title: 'Everything else (the fallback)' });
    const ids = (before.data.entries as { id: string }[]).map((e) => e.id);

    const draft = await t.request({ method: 'GET', url: '/api/ruleset/draft', headers: t.admin });
    const ruleset = draft.data.ruleset as { rules: { id: string; enabled?: boolean }[] };
    const first = ruleset.rules[0]!;
    expect((await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: t.admin, payload: { ...ruleset, rules: ruleset.rules.map((r) => (r.id === first.id ? { ...r, enabled: false } : r)) } })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: '/api/ruleset/publish', headers: t.admin, payload: { summary: 'pause the first rule' } })).statusCode).toBeLessThan(300);

    const after = await t.request({ method: 'GET', url: '/api/playbook', headers: ana });
    expect((after.data.entries as { id: string }[]).map((e) => e.id)).toEqual(ids.filter((id) => id !== first.id));
    expect(after.data.rulesetVersion).toBeGreaterThan(before.data.rulesetVersion ?? 0);
  });
});
