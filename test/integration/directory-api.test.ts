import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUserStatus } from '../../src/store/repositories/users.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const MARIA = { id: 'maria', name: 'María López', email: 'maria@acme.test', skills: ['lang:es'], schedule: 'office' };

eachDialect('directory API', (dialect) => {
  let t: TestApp;
  // Each test its own world: no test sees what another wrote (any order, any one alone).
  beforeEach(async () => {
    t = await startTestApp(dialect);
  });
  afterEach(async () => {
    await t.close();
  });
  // The audit log lists newest first; a moving clock keeps each test's entries after the last ones.
  beforeEach(() => t.clock.advance(1_000));

  const revisions = async (): Promise<number> => {
    const row = await t.baton.ctx.database.db.selectFrom('config_revisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  };

  describe('reads', () => {
    it('refuses without credentials (401)', async () => {
      for (const section of ['users', 'teams', 'queues', 'schedules', 'channels', 'knowledge']) {
        expect((await t.request({ method: 'GET', url: `/api/${section}` })).statusCode).toBe(401);
      }
      expect((await t.request({ method: 'GET', url: '/api/users/ana' })).statusCode).toBe(401);
    });

    it('lists every section for an agent, objects as written', async () => {
      const agent = await t.tokenFor('ana');
      const teams = await t.request({ method: 'GET', url: '/api/teams', headers: agent });
      expect(teams.statusCode).toBe(200);
      expect(teams.data.items.map((team: { id: string }) => team.id)).toEqual(['billing', 'oncall']);
      const queues = await t.request({ method: 'GET', url: '/api/queues', headers: agent });
      expect(queues.data.items[0]).toMatchObject({ id: 'es-support', team: 'billing', requiredSkills: ['lang:es'], sla: { firstResponse: '5m' } });
      const schedules = await t.request({ method: 'GET', url: '/api/schedules', headers: agent });
      expect(schedules.data.items.map((s: { id: string }) => s.id)).toEqual(['office', 'always']);
      const channels = await t.request({ method: 'GET', url: '/api/channels', headers: agent });
      expect(channels.data.items.map((c: { id: string }) => c.id)).toEqual(['web-chat', 'support-email']);
      const knowledge = await t.request({ method: 'GET', url: '/api/knowledge', headers: agent });
      expect(knowledge.data.items[0].id).toBe('reset-password');
    });

    it("lists users with each one's availability now", async () => {
      await setUserStatus(t.baton.ctx.database.db, { userId: 'ana', status: 'away', now: t.clock.now() });
      const users = await t.request({ method: 'GET', url: '/api/users', headers: await t.tokenFor('ana') });
      expect(users.statusCode).toBe(200);
      const byId = new Map((users.data.items as { id: string }[]).map((u) => [u.id, u]));
      expect(byId.get('ana')).toMatchObject({ status: 'available', currentStatus: 'away', statusChangedAt: new Date(t.clock.now()).toISOString() });
      expect(byId.get('olu')).toMatchObject({ role: 'admin', currentStatus: 'available', statusChangedAt: null });
    });

    it('returns one object, or 404', async () => {
      const one = await t.request({ method: 'GET', url: '/api/queues/general', headers: t.admin });
      expect(one.data).toMatchObject({ id: 'general', strategy: 'round_robin' });
      const user = await t.request({ method: 'GET', url: '/api/users/olu', headers: t.admin });
      expect(user.data).toMatchObject({ id: 'olu', currentStatus: 'available' });
      const missing = await t.request({ method: 'GET', url: '/api/teams/nobody', headers: t.admin });
      expect(missing.statusCode).toBe(404);
      expect(missing.data.error.code).toBe('not_found');
    });
  });

  describe('POST', () => {
    it('refuses without credentials (401), agents (403) and an invalid object (422 with body paths)', async () => {
      expect((await t.request({ method: 'POST', url: '/api/users', payload: MARIA })).statusCode).toBe(401);
      const agent = await t.request({ method: 'POST', url: '/api/users', headers: await t.tokenFor('ana'), payload: MARIA });
      expect(agent.statusCode).toBe(403);
      const before = await revisions();
      const invalid = await t.request({
        method: 'POST',
        url: '/api/users',
        headers: t.admin,
        payload: { id: 'maria', name: 'María', email: 'nope', schedule: 'ofice', role: 'boss' },
      });
      expect(invalid.statusCode).toBe(422);
      expect(invalid.data.error.code).toBe('invalid');
      const paths = (invalid.data.error.details as { path: string }[]).map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['email', 'role']));
      // References are checked on objects that pass their own schema.
      const reference = await t.request({ method: 'POST', url: '/api/users', headers: t.admin, payload: { ...MARIA, schedule: 'ofice' } });
      expect(reference.statusCode).toBe(422);
      expect(reference.data.error.details).toEqual([expect.objectContaining({ path: 'schedule', message: expect.stringContaining('unknown schedule "ofice"') })]);
      const notObject = await t.request({ method: 'POST', url: '/api/teams', headers: t.admin, payload: [1, 2] });
      expect(notObject.statusCode).toBe(422);
      expect(await revisions()).toBe(before);
    });

    it('adds an object as a new revision, audited, and the workspace routes with it', async () => {
      const before = await revisions();
      const created = await t.request({ method: 'POST', url: '/api/users', headers: t.admin, payload: MARIA });
      expect(created.statusCode).toBe(201);
      expect(created.data.item).toMatchObject({ ...MARIA, role: 'agent', status: 'available' });
      expect(created.data.revision).toBe(before + 1);
      expect((await t.baton.ctx.workspace.current()).model.users.get('maria')?.skills).toEqual(new Set(['lang:es']));
      const doc = await t.request({ method: 'GET', url: '/api/config', headers: t.admin });
      expect(doc.data.users.map((u: { id: string }) => u.id)).toEqual(['ana', 'olu', 'maria']);
      const revision = await t.baton.ctx.database.db.selectFrom('config_revisions').select('summary').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(revision.summary).toBe('users: added maria');
      const audit = await t.request({ method: 'GET', url: '/api/audit?entity=user', headers: t.admin });
      expect(audit.data.items[0]).toMatchObject({ action: 'user.created', entityId: 'maria', actor: 'admin-token' });
    });

    it('refuses an id that exists (409) and a duplicate email (422)', async () => {
      // María exists in this test's world.
      expect((await t.request({ method: 'POST', url: '/api/users', headers: t.admin, payload: MARIA })).statusCode).toBe(201);
      const conflict = await t.request({ method: 'POST', url: '/api/users', headers: t.admin, payload: { ...MARIA, email: 'other@acme.test' } });
      expect(conflict.statusCode).toBe(409);
      expect(conflict.data.error.code).toBe('conflict');
      const email = await t.request({ method: 'POST', url: '/api/users', headers: t.admin, payload: { ...MARIA, id: 'maria2' } });
      expect(email.statusCode).toBe(422);
      expect(email.data.error.details).toEqual([expect.objectContaining({ path: 'email', message: expect.stringContaining('duplicate email') })]);
    });

    it('adds a queue that refers to an existing team, and refuses an unknown one', async () => {
      const bad = await t.request({ method: 'POST', url: '/api/queues', headers: t.admin, payload: { id: 'vip', name: 'VIP', team: 'biling' } });
      expect(bad.statusCode).toBe(422);
      expect(bad.data.error.details[0]).toMatchObject({ path: 'team', message: expect.stringContaining('unknown team "biling"') });
      const ok = await t.request({ method: 'POST', url: '/api/queues', headers: await t.tokenFor('olu'), payload: { id: 'vip', name: 'VIP', team: 'oncall' } });
      expect(ok.statusCode).toBe(201);
      expect((await t.baton.ctx.workspace.current()).model.queues.has('vip')).toBe(true);
    });
  });

  describe('PATCH', () => {
    it('refuses without credentials (401), agents (403), an id change and an invalid value (422)', async () => {
      expect((await t.request({ method: 'PATCH', url: '/api/teams/billing', payload: { name: 'x' } })).statusCode).toBe(401);
      expect((await t.request({ method: 'PATCH', url: '/api/teams/billing', headers: await t.tokenFor('ana'), payload: { name: 'x' } })).statusCode).toBe(403);
      const rename = await t.request({ method: 'PATCH', url: '/api/teams/billing', headers: t.admin, payload: { id: 'money' } });
      expect(rename.statusCode).toBe(422);
      expect(rename.data.error.details).toEqual([{ path: 'id', message: 'cannot change' }]);
      const invalid = await t.request({ method: 'PATCH', url: '/api/teams/billing', headers: t.admin, payload: { strategy: 'fastest', sticky: 'yes' } });
      expect(invalid.statusCode).toBe(422);
      const paths = (invalid.data.error.details as { path: string }[]).map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['strategy', 'sticky']));
      const unknown = await t.request({ method: 'PATCH', url: '/api/teams/billing', headers: t.admin, payload: { members: ['ana', 'ghost'] } });
      expect(unknown.data.error.details).toEqual([expect.objectContaining({ path: 'members[1]', message: expect.stringContaining('unknown user "ghost"') })]);
      expect((await t.request({ method: 'PATCH', url: '/api/teams/nobody', headers: t.admin, payload: { name: 'x' } })).statusCode).toBe(404);
    });

    it('replaces the fields given and removes those set to null', async () => {
      const changed = await t.request({
        method: 'PATCH',
        url: '/api/users/ana',
        headers: t.admin,
        payload: { skills: ['lang:es', 'lang:en', 'lang:pt'], schedule: null, capacity: { chat: 5 } },
      });
      expect(changed.statusCode).toBe(200);
      expect(changed.data.item).toMatchObject({ id: 'ana', name: 'Ana García', skills: ['lang:es', 'lang:en', 'lang:pt'], capacity: { chat: 5 } });
      expect(changed.data.item).not.toHaveProperty('schedule');
      const ana = (await t.baton.ctx.workspace.current()).config.users.find((u) => u.id === 'ana');
      expect(ana?.schedule).toBeUndefined();
      expect(ana?.capacity).toEqual({ chat: 5 });
      const audit = await t.request({ method: 'GET', url: '/api/audit?entity=user&action=user.updated', headers: t.admin });
      expect(audit.data.items[0]).toMatchObject({ entityId: 'ana', data: { summary: 'users: changed ana (skills, schedule, capacity)' } });
    });

    it('keeps rules published through the ruleset API when the directory changes', async () => {
      const draft = (await t.request({ method: 'GET', url: '/api/ruleset/draft', headers: t.admin })).data.ruleset;
      draft.rules = draft.rules.slice(0, 1);
      await t.request({ method: 'PUT', url: '/api/ruleset/draft', headers: t.admin, payload: draft });
      const published = await t.request({ method: 'POST', url: '/api/ruleset/publish', headers: t.admin, payload: { summary: 'one rule' } });
      expect(published.statusCode).toBe(201);
      await t.request({ method: 'PATCH', url: '/api/channels/web-chat', headers: t.admin, payload: { name: 'Web chat' } });
      const active = await t.request({ method: 'GET', url: '/api/ruleset', headers: t.admin });
      expect(active.data.version).toBe(published.data.version);
      expect(active.data.ruleset.rules).toHaveLength(1);
    });
  });

  describe('DELETE', () => {
    it('refuses without credentials (401), agents (403), and a team still referenced (422 with the referring paths)', async () => {
      expect((await t.request({ method: 'DELETE', url: '/api/teams/billing' })).statusCode).toBe(401);
      expect((await t.request({ method: 'DELETE', url: '/api/teams/billing', headers: await t.tokenFor('ana') })).statusCode).toBe(403);
      const before = await revisions();
      const referenced = await t.request({ method: 'DELETE', url: '/api/teams/billing', headers: t.admin });
      expect(referenced.statusCode).toBe(422);
      expect(referenced.data.error.code).toBe('invalid');
      const paths = (referenced.data.error.details as { path: string }[]).map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['queues[0].team', 'queues[1].team']));
      expect(await revisions()).toBe(before);
      expect((await t.request({ method: 'GET', url: '/api/teams/billing', headers: t.admin })).statusCode).toBe(200);
      expect((await t.request({ method: 'DELETE', url: '/api/queues/nothing', headers: t.admin })).statusCode).toBe(404);
    });

    it('refuses removing a queue a rule routes to, naming the rule', async () => {
      const response = await t.request({ method: 'DELETE', url: '/api/queues/es-support', headers: t.admin });
      expect(response.statusCode).toBe(422);
      expect(response.data.error.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'handoff.rules[0].then.destination.queue' })]),
      );
    });

    it('removes an object nothing refers to', async () => {
      const removed = await t.request({ method: 'DELETE', url: '/api/knowledge/reset-password', headers: t.admin });
      expect(removed.statusCode).toBe(200);
      expect(removed.data.item.id).toBe('reset-password');
      expect((await t.request({ method: 'GET', url: '/api/knowledge/reset-password', headers: t.admin })).statusCode).toBe(404);
      expect((await t.baton.ctx.workspace.current()).config.knowledge).toEqual([]);
      const audit = await t.request({ method: 'GET', url: '/api/audit?entity=knowledge', headers: t.admin });
      expect(audit.data.items[0]).toMatchObject({ action: 'knowledge.deleted', entityId: 'reset-password' });
    });
  });

  it('keeps both of two concurrent additions', async () => {
    const [a, b] = await Promise.all([
      t.request({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { id: 'team-a', name: 'A', members: ['olu'] } }),
      t.request({ method: 'POST', url: '/api/teams', headers: t.admin, payload: { id: 'team-b', name: 'B', members: ['olu'] } }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const teams = await t.request({ method: 'GET', url: '/api/teams', headers: t.admin });
    expect(teams.data.items.map((team: { id: string }) => team.id)).toEqual(expect.arrayContaining(['team-a', 'team-b']));
  });
});
