/**
 * Saving the rules draft is audited like publishing: GET /api/audit has an entry per save, with who
 * saved it and what changed in a sentence. A refused draft (422) is not saved and not audited.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect('audit of draft saves', (dialect) => {
  let t: TestApp;
  let olu: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    olu = await t.tokenFor('olu');
  });
  afterAll(async () => {
    await t.close();
  });

  const saves = async () =>
    (await t.request({ method: 'GET', url: '/api/audit?action=ruleset.draft_saved', headers: t.admin })).data.items as { actor: string; entity: string; entityId: string; data: Record<string, unknown> }[];

  it('records each save with who and a summary of the change', async () => {
    const active = (await t.request({ method: 'GET', url: '/api/ruleset', headers: olu })).data;
    const ruleset = active.ruleset as { rules: { id: string }[]; reviewEvery: string };
    expect(await saves()).toEqual([]);

    const first = await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: olu, payload: { ...ruleset, reviewEvery: '30d' } });
    expect(first.statusCode).toBe(200);
    const second = await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: olu, payload: { ...ruleset, reviewEvery: '30d', rules: ruleset.rules.slice(1) } });
    expect(second.statusCode).toBe(200);
    const refused = await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: olu, payload: { ...ruleset, reviewEvery: 'soon' } });
    expect(refused.statusCode).toBe(422);

    const entries = await saves();
    expect(entries).toHaveLength(2);
    // Newest first: the second save is described against the first draft, the first against the active rules.
    expect(entries[0]).toMatchObject({ actor: 'olu', entity: 'ruleset', entityId: 'draft', data: { summary: `removed rule ${ruleset.rules[0]!.id}`, rules: ruleset.rules.length - 1, activeVersion: active.version } });
    expect(entries[1]).toMatchObject({ actor: 'olu', data: { summary: `reviewEvery ${ruleset.reviewEvery} → 30d`, rules: ruleset.rules.length } });
  });
});
