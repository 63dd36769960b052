import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachDialect, startTestApp, WEDNESDAY_MORNING, type TestApp } from '../support/test-app.js';

const DAY_MS = 86_400_000;

// Each test starts from the example workspace at version 1 and builds the history it needs.
eachDialect('rules API', (dialect) => {
  let t: TestApp;
  let agent: Record<string, string>;
  beforeEach(async () => {
    t = await startTestApp(dialect);
    agent = await t.tokenFor('ana');
    t.clock.advance(60_000);
  });
  afterEach(async () => {
    await t.close();
  });

  const versionCount = async (): Promise<number> => {
    const row = await t.baton.ctx.database.db.selectFrom('ruleset_versions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rulesets are edited as JSON here
  const activeRules = async (): Promise<any> => (await t.request({ method: 'GET', url: '/api/ruleset', headers: t.admin })).data.ruleset;

  /** A draft with urgent-flag first and the Spanish rule sending to general (account-owner left out). */
  const saveReorderedDraft = async (): Promise<void> => {
    const rules = await activeRules();
    rules.rules = [rules.rules[1], rules.rules[0]];
    rules.rules[1].then.destination = { queue: 'general' };
    expect((await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: t.admin, payload: rules })).statusCode).toBe(200);
    t.clock.advance(60_000);
  };
  /** Version 2: that draft, published by olu. */
  const publishVersion2 = async (): Promise<void> => {
    await saveReorderedDraft();
    const published = await t.request({ method: 'POST', url: '/api/ruleset/publish', headers: await t.tokenFor('olu'), payload: { summary: 'urgent first; Spanish to general' } });
    expect(published.statusCode).toBe(201);
    t.clock.advance(60_000);
  };

  describe('GET /api/ruleset', () => {
    it('refuses without credentials (401)', async () => {
      expect((await t.request({ method: 'GET', url: '/api/ruleset' })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url: '/api/ruleset/versions' })).statusCode).toBe(401);
    });

    it('shows the active version with its author, time and review date, to agents too', async () => {
      const response = await t.request({ method: 'GET', url: '/api/ruleset', headers: agent });
      expect(response.statusCode).toBe(200);
      expect(response.data).toMatchObject({
        version: 1,
        active: true,
        author: 'test',
        createdAt: new Date(WEDNESDAY_MORNING).toISOString(),
        reviewedAt: new Date(WEDNESDAY_MORNING).toISOString(),
        reviewDueAt: new Date(WEDNESDAY_MORNING + 90 * DAY_MS).toISOString(),
      });
      expect(response.data.ruleset.rules.map((r: { id: string }) => r.id)).toEqual(['enterprise-spanish', 'urgent-flag', 'account-owner']);
    });
  });

  describe('draft', () => {
    it('refuses without credentials (401), agents (403) and an invalid ruleset (422 with ruleset paths), saving nothing', async () => {
      expect((await t.request({ method: 'GET', url: '/api/ruleset/draft' })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url: '/api/ruleset/draft', headers: agent })).statusCode).toBe(403);
      const rules = await activeRules();
      expect((await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: agent, payload: rules })).statusCode).toBe(403);
      rules.rules[2].then.destination = { queue: 'es-suport' };
      rules.rules[0].when = ['customer_requested_humans'];
      rules.fallback.destination = { user: 'contact_owner' };
      const invalid = await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: t.admin, payload: rules });
      expect(invalid.statusCode).toBe(422);
      expect(invalid.data.error.code).toBe('invalid');
      const details = invalid.data.error.details as { path: string; message: string }[];
      expect(details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'rules[2].then.destination.queue', message: expect.stringContaining('unknown queue "es-suport"') }),
          expect.objectContaining({ path: 'rules[0].when[0]' }),
        ]),
      );
      const notObject = await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: t.admin, payload: ['rules'] });
      expect(notObject.statusCode).toBe(422);
      const draft = await t.request({ method: 'GET', url: '/api/ruleset/draft', headers: t.admin });
      expect(draft.data).toMatchObject({ saved: false, changed: false, activeVersion: 1 });
    });

    it('reports a reference problem in the fallback with its ruleset path', async () => {
      const rules = await activeRules();
      rules.fallback.destination = { team: 'oncal' };
      const invalid = await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: t.admin, payload: rules });
      expect(invalid.statusCode).toBe(422);
      expect(invalid.data.error.details).toEqual([expect.objectContaining({ path: 'fallback.destination.team', message: expect.stringContaining('unknown team "oncal"') })]);
    });

    it('saves a valid draft without changing the active rules', async () => {
      const rules = await activeRules();
      rules.rules = [rules.rules[1], rules.rules[0]];
      rules.rules[1].then.destination = { queue: 'general' };
      const saved = await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: t.admin, payload: rules });
      expect(saved.statusCode).toBe(200);
      expect(saved.data).toMatchObject({ saved: true, changed: true, updatedBy: 'admin-token', activeVersion: 1 });
      expect(saved.data.ruleset.rules.map((r: { id: string }) => r.id)).toEqual(['urgent-flag', 'enterprise-spanish']);
      expect((await t.request({ method: 'GET', url: '/api/ruleset/draft', headers: t.admin })).data.saved).toBe(true);
      expect((await activeRules()).rules).toHaveLength(3);
      expect(await versionCount()).toBe(1);
    });
  });

  describe('POST /api/ruleset/publish', () => {
    it('refuses without credentials (401), agents (403) and a missing summary (422)', async () => {
      expect((await t.request({ method: 'POST', url: '/api/ruleset/publish', payload: { summary: 'x' } })).statusCode).toBe(401);
      expect((await t.request({ method: 'POST', url: '/api/ruleset/publish', headers: agent, payload: { summary: 'x' } })).statusCode).toBe(403);
      const invalid = await t.request({ method: 'POST', url: '/api/ruleset/publish', headers: t.admin, payload: {} });
      expect(invalid.statusCode).toBe(422);
      expect(invalid.data.error.details[0].path).toBe('summary');
    });

    it('publishes the draft as the next version, audited, and the workspace routes with it', async () => {
      await saveReorderedDraft();
      const published = await t.request({
        method: 'POST',
        url: '/api/ruleset/publish',
        headers: await t.tokenFor('olu'),
        payload: { summary: 'urgent first; Spanish to general' },
      });
      expect(published.statusCode).toBe(201);
      expect(published.data).toMatchObject({ version: 2, active: true, author: 'olu', summary: 'urgent first; Spanish to general' });
      const current = await t.baton.ctx.workspace.current();
      expect(current.rulesetVersion).toBe(2);
      expect(current.config.handoff.rules.map((r) => r.id)).toEqual(['urgent-flag', 'enterprise-spanish']);
      const audit = await t.request({ method: 'GET', url: '/api/audit?entity=ruleset', headers: t.admin });
      expect(audit.data.items[0]).toMatchObject({ action: 'ruleset.published', actor: 'olu', entityId: '2', data: { previousVersion: 1 } });
    });

    it('refuses to publish a draft that equals the active version (409)', async () => {
      await publishVersion2();
      const again = await t.request({ method: 'POST', url: '/api/ruleset/publish', headers: t.admin, payload: { summary: 'again' } });
      expect(again.statusCode).toBe(409);
      expect(again.data.error.code).toBe('conflict');
      expect(await versionCount()).toBe(2);
    });
  });

  describe('versions', () => {
    it('lists the history newest first and shows one version, or 404', async () => {
      await publishVersion2();
      const list = await t.request({ method: 'GET', url: '/api/ruleset/versions', headers: agent });
      expect(list.statusCode).toBe(200);
      expect(list.data.items.map((v: { version: number; active: boolean; rules: number }) => [v.version, v.active, v.rules])).toEqual([
        [2, true, 2],
        [1, false, 3],
      ]);
      const one = await t.request({ method: 'GET', url: '/api/ruleset/versions/1', headers: agent });
      expect(one.data).toMatchObject({ version: 1, active: false });
      expect(one.data.ruleset.rules).toHaveLength(3);
      expect((await t.request({ method: 'GET', url: '/api/ruleset/versions/99', headers: agent })).statusCode).toBe(404);
      const bad = await t.request({ method: 'GET', url: '/api/ruleset/versions/first', headers: agent });
      expect(bad.statusCode).toBe(422);
      expect(bad.data.error.details[0].path).toBe('params.n');
    });

    it('diffs a version against the one before, rule by rule', async () => {
      await publishVersion2();
      const diff = await t.request({ method: 'GET', url: '/api/ruleset/versions/2/diff', headers: agent });
      expect(diff.statusCode).toBe(200);
      expect(diff.data).toMatchObject({ from: 1, to: 2, identical: false, added: [], fallback: [], settings: [] });
      expect(diff.data.removed.map((r: { id: string }) => r.id)).toEqual(['account-owner']);
      expect(diff.data.changed).toEqual([
        { id: 'enterprise-spanish', fields: [{ field: 'then.destination', before: { queue: 'es-support' }, after: { queue: 'general' } }] },
      ]);
      expect(diff.data.moved).toEqual([expect.objectContaining({ id: expect.any(String) })]);
      const reverse = await t.request({ method: 'GET', url: '/api/ruleset/versions/1/diff?against=2', headers: agent });
      expect(reverse.data.added.map((r: { id: string }) => r.id)).toEqual(['account-owner']);
      const first = await t.request({ method: 'GET', url: '/api/ruleset/versions/1/diff', headers: agent });
      expect(first.statusCode).toBe(422);
      expect(first.data.error.details[0].path).toBe('against');
      expect((await t.request({ method: 'GET', url: '/api/ruleset/versions/2/diff?against=7', headers: agent })).statusCode).toBe(404);
    });

    // Regression (the fuzzer): a version beyond PostgreSQL's `integer` (2^31 − 1) but within
    // JavaScript's safe integers passed validation and failed in the database (500 there).
    it('refuses a version number larger than any stored one (2^31 − 1) as invalid, wherever it is asked', async () => {
      const beyond = 2 ** 31;
      const answers = [
        await t.request({ method: 'GET', url: `/api/ruleset/versions/${beyond}`, headers: agent }),
        await t.request({ method: 'GET', url: `/api/ruleset/versions/1/diff?against=${Number.MAX_SAFE_INTEGER}`, headers: agent }),
        await t.request({ method: 'POST', url: `/api/ruleset/versions/${beyond}/restore`, headers: t.admin, payload: { summary: 'back' } }),
        await t.request({ method: 'POST', url: '/api/simulate', headers: agent, payload: { channel: 'web-chat', messages: ['hola'], ruleset: beyond } }),
      ];
      expect(answers.map((a): [number, string] => [a.statusCode, a.data.error.code as string])).toEqual(Array(4).fill([422, 'invalid']));
      expect((await t.request({ method: 'GET', url: `/api/ruleset/versions/${beyond - 1}`, headers: agent })).statusCode).toBe(404);
    });
  });

  describe('POST /api/ruleset/versions/:n/restore', () => {
    it('refuses without credentials (401), agents (403), an unknown version (404) and the active one (409)', async () => {
      await publishVersion2();
      expect((await t.request({ method: 'POST', url: '/api/ruleset/versions/1/restore', payload: {} })).statusCode).toBe(401);
      expect((await t.request({ method: 'POST', url: '/api/ruleset/versions/1/restore', headers: agent, payload: {} })).statusCode).toBe(403);
      const invalid = await t.request({ method: 'POST', url: '/api/ruleset/versions/1/restore', headers: t.admin, payload: { summary: 3 } });
      expect(invalid.statusCode).toBe(422);
      expect(invalid.data.error.details[0].path).toBe('summary');
      expect((await t.request({ method: 'POST', url: '/api/ruleset/versions/9/restore', headers: t.admin, payload: {} })).statusCode).toBe(404);
      expect((await t.request({ method: 'POST', url: '/api/ruleset/versions/2/restore', headers: t.admin, payload: {} })).statusCode).toBe(409);
    });

    it('publishes an old version again as a new version (rollback), audited', async () => {
      await publishVersion2();
      const restored = await t.request({ method: 'POST', url: '/api/ruleset/versions/1/restore', headers: t.admin, payload: {} });
      expect(restored.statusCode).toBe(201);
      expect(restored.data).toMatchObject({ version: 3, active: true, summary: 'restored version 1' });
      expect(restored.data.ruleset.rules.map((r: { id: string }) => r.id)).toEqual(['enterprise-spanish', 'urgent-flag', 'account-owner']);
      expect((await t.baton.ctx.workspace.current()).rulesetVersion).toBe(3);
      const diff = await t.request({ method: 'GET', url: '/api/ruleset/versions/3/diff?against=1', headers: t.admin });
      expect(diff.data.identical).toBe(true);
      const audit = await t.request({ method: 'GET', url: '/api/audit?action=ruleset.restored', headers: t.admin });
      expect(audit.data.items[0]).toMatchObject({ entityId: '3', data: { restoredFrom: 1, previousVersion: 2 } });
    });

    it('refuses to restore rules that no longer fit the workspace, with their paths', async () => {
      await publishVersion2();
      // Version 2 routes urgent conversations to the on-call team; take the team away from the rules' reach.
      const rules = await activeRules();
      rules.rules = rules.rules.filter((r: { id: string }) => r.id !== 'urgent-flag');
      await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: t.admin, payload: rules });
      expect((await t.request({ method: 'POST', url: '/api/ruleset/publish', headers: t.admin, payload: { summary: 'no on-call rule' } })).statusCode).toBe(201);
      const removed = await t.request({ method: 'DELETE', url: '/api/teams/oncall', headers: t.admin });
      expect(removed.statusCode).toBe(200);
      const before = await versionCount();
      const restore = await t.request({ method: 'POST', url: '/api/ruleset/versions/2/restore', headers: t.admin, payload: {} });
      expect(restore.statusCode).toBe(422);
      expect(restore.data.error.details).toEqual([expect.objectContaining({ path: 'rules[0].then.destination.team', message: expect.stringContaining('unknown team "oncall"') })]);
      expect(await versionCount()).toBe(before);
    });
  });

  describe('draft after other changes', () => {
    it('accepts the handoff section as YAML and says when a newer version makes the draft outdated', async () => {
      const yamlDraft = [
        'rules:',
        '  - id: urgent-flag',
        '    when: [workflow_flag]',
        '    if: { priority: { eq: urgent } }',
        '    then: { destination: { queue: general } }',
        'fallback:',
        '  destination: { queue: general }',
      ].join('\n');
      const saved = await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: yamlDraft });
      expect(saved.statusCode).toBe(200);
      expect(saved.data).toMatchObject({ saved: true, changed: true, outdated: false });
      expect(saved.data.ruleset.rules[0].then).toMatchObject({ destination: { queue: 'general' }, assignment: 'reassign' });
      const broken = await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: { ...t.admin, 'content-type': 'application/yaml' }, payload: 'rules: [\n' });
      expect(broken.statusCode).toBe(422);
      t.clock.advance(1_000);
      // Someone applies baton.yaml with other rules: a new version the draft does not include.
      const document = (await t.request({ method: 'GET', url: '/api/config', headers: t.admin })).data;
      document.handoff.rules[0].description = 'edited in baton.yaml';
      const applied = await t.request({ method: 'PUT', url: '/api/config', headers: t.admin, payload: document });
      expect(applied.data.publishedVersion).toEqual(expect.any(Number));
      const draft = await t.request({ method: 'GET', url: '/api/ruleset/draft', headers: t.admin });
      expect(draft.data).toMatchObject({ saved: true, changed: true, outdated: true });
    });
  });

  describe('POST /api/ruleset/review', () => {
    it('refuses without credentials (401) and agents (403)', async () => {
      expect((await t.request({ method: 'POST', url: '/api/ruleset/review' })).statusCode).toBe(401);
      expect((await t.request({ method: 'POST', url: '/api/ruleset/review', headers: agent })).statusCode).toBe(403);
    });

    it('marks the active version reviewed now, moving the reminder', async () => {
      t.clock.advance(30 * DAY_MS);
      const now = t.clock.now();
      const reviewed = await t.request({ method: 'POST', url: '/api/ruleset/review', headers: t.admin });
      expect(reviewed.statusCode).toBe(200);
      expect(reviewed.data).toMatchObject({ reviewedAt: new Date(now).toISOString(), reviewDueAt: new Date(now + 90 * DAY_MS).toISOString() });
      const active = await t.request({ method: 'GET', url: '/api/ruleset', headers: agent });
      expect(active.data.reviewedAt).toBe(new Date(now).toISOString());
      const audit = await t.request({ method: 'GET', url: '/api/audit?action=ruleset.reviewed', headers: t.admin });
      expect(audit.data.items).toHaveLength(1);
    });
  });

  describe('GET /api/audit', () => {
    it('refuses without credentials (401), agents (403) and a bad cursor (422)', async () => {
      expect((await t.request({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
      expect((await t.request({ method: 'GET', url: '/api/audit', headers: agent })).statusCode).toBe(403);
      const bad = await t.request({ method: 'GET', url: '/api/audit?cursor=nonsense', headers: t.admin });
      expect(bad.statusCode).toBe(422);
      expect(bad.data.error.code).toBe('invalid');
    });

    it('filters by actor and pages with a cursor', async () => {
      await publishVersion2();
      const byOlu = await t.request({ method: 'GET', url: '/api/audit?actor=olu', headers: t.admin });
      expect(byOlu.data.items.every((e: { actor: string }) => e.actor === 'olu')).toBe(true);
      expect(byOlu.data.items.length).toBeGreaterThan(0);
      const first = await t.request({ method: 'GET', url: '/api/audit?limit=2', headers: t.admin });
      expect(first.data.items).toHaveLength(2);
      const second = await t.request({ method: 'GET', url: `/api/audit?limit=2&cursor=${first.data.nextCursor}`, headers: t.admin });
      expect(second.statusCode).toBe(200);
      const ids = [...first.data.items, ...second.data.items].map((e: { id: string }) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
});
