import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** The example with one edit, as YAML text. */
const exampleWith = (from: string, to: string): string => {
  if (!EXAMPLE_CONFIG.includes(from)) throw new Error(`the example has no "${from}"`);
  return EXAMPLE_CONFIG.replace(from, to);
};

eachDialect('workspace configuration API', (dialect) => {
  let t: TestApp;
  // Each test its own world: no test sees what another wrote (any order, any one alone).
  beforeEach(async () => {
    t = await startTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });

  const counts = async (): Promise<{ revisions: number; versions: number }> => {
    const db = t.baton.ctx.database.db;
    const revisions = await db.selectFrom('config_revisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const versions = await db.selectFrom('ruleset_versions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return { revisions: Number(revisions.n), versions: Number(versions.n) };
  };

  describe('GET /api/config', () => {
    it('refuses without credentials (401) and agents (403)', async () => {
      expect((await t.request({ method: 'GET', url: '/api/config' })).statusCode).toBe(401);
      const agent = await t.request({ method: 'GET', url: '/api/config', headers: await t.tokenFor('ana') });
      expect(agent.statusCode).toBe(403);
      expect(agent.data.error.code).toBe('forbidden');
    });

    it('returns the document as written, with ${VAR} references and not the secrets', async () => {
      const response = await t.request({ method: 'GET', url: '/api/config', headers: t.admin });
      expect(response.statusCode).toBe(200);
      expect(response.data.workspace.name).toBe('Acme Support');
      expect(response.data.users.map((u: { id: string }) => u.id)).toEqual(['ana', 'olu']);
      expect(response.data.notifications.slack.webhookUrl).toBe('${SLACK_WEBHOOK_URL}');
      expect(response.body).not.toContain('whsec_');
      expect(response.data.handoff.rules.map((r: { id: string }) => r.id)).toEqual(['enterprise-spanish', 'urgent-flag', 'account-owner']);
    });

    it('writes baton.yaml when asked for YAML, and an admin user may read it too', async () => {
      const response = await t.request({ method: 'GET', url: '/api/config', headers: { ...(await t.tokenFor('olu')), accept: 'application/yaml' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('application/yaml');
      const doc = parseYaml(response.body) as { queues: { id: string }[]; notifications: { email: { smtpUrl: string } } };
      expect(doc.queues.map((q) => q.id)).toEqual(['es-support', 'general']);
      expect(doc.notifications.email.smtpUrl).toBe('${SMTP_URL}');
    });
  });

  describe('PUT /api/config', () => {
    it('refuses without credentials (401) and agents (403)', async () => {
      const anonymous = await t.request({ method: 'PUT', url: '/api/config', headers: { 'content-type': 'application/yaml' }, payload: EXAMPLE_CONFIG });
      expect(anonymous.statusCode).toBe(401);
      const agent = await t.request({
        method: 'PUT',
        url: '/api/config',
        headers: { ...(await t.tokenFor('ana')), 'content-type': 'application/yaml' },
        payload: EXAMPLE_CONFIG,
      });
      expect(agent.statusCode).toBe(403);
    });

    it('answers an invalid YAML document with 422, every problem with path and line, and changes nothing', async () => {
      const before = await counts();
      const broken = exampleWith('destination: { queue: es-support }', 'destination: { queue: es-suport }').replace(
        'strategy: least_busy',
        'strategy: fastest',
      );
      const response = await t.request({
        method: 'PUT',
        url: '/api/config',
        headers: { ...t.admin, 'content-type': 'application/yaml' },
        payload: broken,
      });
      expect(response.statusCode).toBe(422);
      expect(response.data.error.code).toBe('invalid');
      const details = response.data.error.details as { path: string; message: string; line?: number; column?: number }[];
      const queue = details.find((d) => d.path === 'handoff.rules[0].then.destination.queue');
      expect(queue?.message).toContain('unknown queue "es-suport"');
      expect(queue?.line).toBeGreaterThan(1);
      expect(queue?.column).toBeGreaterThan(1);
      expect(details.some((d) => d.path === 'teams[0].strategy')).toBe(true);
      expect(await counts()).toEqual(before);
      const after = await t.request({ method: 'GET', url: '/api/config', headers: t.admin });
      expect(after.data.handoff.rules[0].then.destination).toEqual({ queue: 'es-support' });
      expect(after.data.teams[0].strategy).toBe('least_busy');
    });

    it('answers an invalid JSON document with 422 and document paths', async () => {
      const current = (await t.request({ method: 'GET', url: '/api/config', headers: t.admin })).data;
      current.queues[0].team = 'billing-team';
      current.users.push({ id: 'Bad Id', name: 'x', email: 'not-an-email' });
      const before = await counts();
      const response = await t.request({ method: 'PUT', url: '/api/config', headers: t.admin, payload: current });
      expect(response.statusCode).toBe(422);
      const paths = (response.data.error.details as { path: string }[]).map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['queues[0].team', 'users[2].id', 'users[2].email']));
      expect(await counts()).toEqual(before);
    });

    it('reports an unset ${VAR} as a problem', async () => {
      const text = exampleWith('${SMTP_URL}', '${NOT_SET_ANYWHERE}');
      const response = await t.request({ method: 'PUT', url: '/api/config', headers: { ...t.admin, 'content-type': 'text/yaml' }, payload: text });
      expect(response.statusCode).toBe(422);
      expect(response.data.error.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'notifications.email.smtpUrl', message: expect.stringContaining('NOT_SET_ANYWHERE') })]),
      );
    });

    it('validates only on a dry run', async () => {
      const before = await counts();
      const text = exampleWith('name: Acme Support', 'name: Acme Dry Run');
      const response = await t.request({
        method: 'PUT',
        url: '/api/config?dryRun=true',
        headers: { ...t.admin, 'content-type': 'application/x-yaml' },
        payload: text,
      });
      expect(response.statusCode).toBe(200);
      expect(response.data).toMatchObject({ applied: false, dryRun: true, changed: false });
      expect(await counts()).toEqual(before);
      expect((await t.request({ method: 'GET', url: '/api/config', headers: t.admin })).data.workspace.name).toBe('Acme Support');
    });

    it('applies a valid YAML document: a new revision, the rules published, the change audited', async () => {
      const before = await counts();
      const text = exampleWith('name: Acme Support', 'name: Acme Soporte').replace('strategy: least_busy', 'strategy: round_robin');
      // Audit entries are listed newest first; the manual clock would tie this one with set-up's.
      t.clock.advance(1_000);
      const response = await t.request({
        method: 'PUT',
        url: '/api/config?summary=rename',
        headers: { ...t.admin, 'content-type': 'application/yaml' },
        payload: text,
      });
      expect(response.statusCode).toBe(200);
      expect(response.data).toMatchObject({ applied: true, changed: true, publishedVersion: null, revision: before.revisions + 1 });
      expect(response.data.warnings).toEqual(expect.any(Array));
      expect(await counts()).toEqual({ revisions: before.revisions + 1, versions: before.versions });
      const current = await t.baton.ctx.workspace.current();
      expect(current.config.workspace.name).toBe('Acme Soporte');
      expect(current.model.teams.get('billing')?.strategy).toBe('round_robin');
      const audit = await t.request({ method: 'GET', url: '/api/audit?entity=workspace', headers: t.admin });
      expect(audit.data.items[0]).toMatchObject({ action: 'config.applied', actor: 'admin-token', data: { summary: 'rename' } });
    });

    it('applies a JSON document whose rules changed, publishing them as a new version', async () => {
      const current = (await t.request({ method: 'GET', url: '/api/config', headers: t.admin })).data;
      current.handoff.rules = current.handoff.rules.filter((r: { id: string }) => r.id !== 'account-owner');
      const before = await counts();
      const response = await t.request({ method: 'PUT', url: '/api/config', headers: await t.tokenFor('olu'), payload: current });
      expect(response.statusCode).toBe(200);
      expect(response.data.publishedVersion).toBe(before.versions + 1);
      expect(response.data.rulesetVersion).toBe(before.versions + 1);
      const active = await t.request({ method: 'GET', url: '/api/ruleset', headers: t.admin });
      expect(active.data.author).toBe('olu');
      expect(active.data.ruleset.rules.map((r: { id: string }) => r.id)).toEqual(['enterprise-spanish', 'urgent-flag']);
    });

    it('changes nothing when the same document is applied again', async () => {
      const current = (await t.request({ method: 'GET', url: '/api/config', headers: t.admin })).data;
      const before = await counts();
      const response = await t.request({ method: 'PUT', url: '/api/config', headers: t.admin, payload: current });
      expect(response.statusCode).toBe(200);
      expect(response.data).toMatchObject({ applied: true, changed: false, publishedVersion: null });
      expect(await counts()).toEqual(before);
    });

    it('shows rules published through the ruleset API in the document', async () => {
      const draft = (await t.request({ method: 'GET', url: '/api/ruleset/draft', headers: t.admin })).data.ruleset;
      draft.fallback.destination = { team: 'oncall' };
      expect((await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: t.admin, payload: draft })).statusCode).toBe(200);
      expect((await t.request({ method: 'POST', url: '/api/ruleset/publish', headers: t.admin, payload: { summary: 'fallback to on call' } })).statusCode).toBe(201);
      const doc = await t.request({ method: 'GET', url: '/api/config', headers: t.admin });
      expect(doc.data.handoff.fallback.destination).toEqual({ team: 'oncall' });
      const yamlDoc = await t.request({ method: 'GET', url: '/api/config', headers: { ...t.admin, accept: 'application/yaml' } });
      expect(yamlDoc.body).toContain('team: oncall');
    });
  });
});
