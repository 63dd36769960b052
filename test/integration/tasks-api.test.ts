import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUserToken } from '../../src/services/auth/authenticate.js';
import { listAudit } from '../../src/store/repositories/audit.js';
import { createTask, type NewTask } from '../../src/store/repositories/tasks.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3_600_000;

eachDialect('tasks API', (dialect) => {
  let t: TestApp;
  let now: number;
  /** Tasks by name, created directly in the store (rules create them on handoff). */
  const ids: Record<string, string> = {};

  const newTask = async (name: string, input: Omit<NewTask, 'now'>): Promise<string> => {
    const task = await createTask(t.baton.ctx.database.db, { ...input, now: t.clock.now() });
    ids[name] = task.id;
    return task.id;
  };

  // Each test its own world: no test sees what another wrote (any order, any one alone).
  beforeEach(async () => {
    t = await startTestApp(dialect);
    now = t.clock.now();
    // ana is in team billing; olu (admin) leads billing and is in oncall.
    await newTask('anaCallback', { type: 'callback', assigneeId: 'ana', dueAt: now + HOUR, note: 'call back about the invoice' });
    await newTask('billingNote', { type: 'internal_note', teamId: 'billing', dueAt: now + 2 * HOUR });
    await newTask('oluCallback', { type: 'callback', assigneeId: 'olu', dueAt: now + 30 * 60_000 });
    await newTask('oncallCheck', { type: 'check_in', teamId: 'oncall', dueAt: now + 3 * HOUR });
    await newTask('anaCheckIn', { type: 'check_in', assigneeId: 'ana', dueAfterResolutionSeconds: 86_400 });
  });
  afterEach(async () => {
    await t.close();
  });

  const list = async (query: string, headers: Record<string, string>) => t.request({ method: 'GET', url: `/api/tasks${query}`, headers });
  const namesOf = (items: { id: string }[]): string[] =>
    items.map((item) => Object.entries(ids).find(([, id]) => id === item.id)?.[0] ?? item.id);

  describe('GET /api/tasks', () => {
    it('refuses without credentials', async () => {
      const response = await list('', {});
      expect(response.statusCode).toBe(401);
      expect(response.data.error.code).toBe('unauthorized');
    });

    it("refuses an agent asking for another user's tasks", async () => {
      const response = await list('?assignee=olu', await t.tokenFor('ana'));
      expect(response.statusCode).toBe(403);
      expect(response.data.error.code).toBe('forbidden');
    });

    it('refuses an unknown status and a malformed due_before with every problem', async () => {
      const response = await list('?status=later&due_before=tomorrow', await t.tokenFor('ana'));
      expect(response.statusCode).toBe(422);
      expect(response.data.error.code).toBe('invalid');
      expect(response.data.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['query.due_before', 'query.status']);
    });

    it('refuses "me" from the bootstrap admin token, which is no user', async () => {
      const response = await list('?assignee=me', t.admin);
      expect(response.statusCode).toBe(422);
      expect(response.data.error.details[0].path).toBe('query.assignee');
    });

    it("shows an agent their own and their teams' tasks, soonest due first, undated last", async () => {
      const response = await list('', await t.tokenFor('ana'));
      expect(response.statusCode).toBe(200);
      expect(namesOf(response.data.items)).toEqual(['anaCallback', 'billingNote', 'anaCheckIn']);
      expect(response.data.items[0]).toEqual({
        id: ids.anaCallback,
        conversationId: null,
        type: 'callback',
        assignee: 'ana',
        team: null,
        dueAt: new Date(now + HOUR).toISOString(),
        status: 'open',
        note: 'call back about the invoice',
        createdAt: new Date(now).toISOString(),
      });
      expect(response.data.items[1]).toMatchObject({ assignee: null, team: 'billing' });
    });

    it('narrows to assignee=me, a status and a due time', async () => {
      const ana = await t.tokenFor('ana');
      expect(namesOf((await list('?assignee=me', ana)).data.items)).toEqual(['anaCallback', 'anaCheckIn']);
      expect(namesOf((await list('?assignee=ana', ana)).data.items)).toEqual(['anaCallback', 'anaCheckIn']);
      const dueSoon = new Date(now + 90 * 60_000).toISOString();
      expect(namesOf((await list(`?due_before=${encodeURIComponent(dueSoon)}`, ana)).data.items)).toEqual(['anaCallback']);
      expect((await list('?status=done', ana)).data.items).toEqual([]);
    });

    it('shows admins every task and filters by any assignee', async () => {
      const all = await list('', await t.tokenFor('olu'));
      expect(namesOf(all.data.items)).toEqual(['oluCallback', 'anaCallback', 'billingNote', 'oncallCheck', 'anaCheckIn']);
      expect(namesOf((await list('?assignee=ana', t.admin)).data.items)).toEqual(['anaCallback', 'anaCheckIn']);
      expect(namesOf((await list('?assignee=me', await t.tokenFor('olu'))).data.items)).toEqual(['oluCallback']);
    });
  });

  describe('PATCH /api/tasks/:id', () => {
    const patch = (id: string, payload: unknown, headers: Record<string, string> = {}) =>
      t.request({ method: 'PATCH', url: `/api/tasks/${id}`, payload: payload as object, headers });

    it('refuses without credentials', async () => {
      expect((await patch(ids.anaCallback!, { status: 'done' })).statusCode).toBe(401);
    });

    it("refuses an agent changing a task that is neither theirs nor their team's, and a read-only token", async () => {
      const ana = await t.tokenFor('ana');
      for (const name of ['oluCallback', 'oncallCheck']) {
        const response = await patch(ids[name]!, { status: 'done' }, ana);
        expect(response.statusCode).toBe(403);
        expect(response.data.error.code).toBe('forbidden');
      }
      const readOnly = await createUserToken(t.baton.ctx, 'ana', { name: 'read only', scopes: ['read'] }, 'test');
      const response = await patch(ids.anaCallback!, { status: 'done' }, { authorization: `Bearer ${readOnly.token}` });
      expect(response.statusCode).toBe(403);
    });

    it('refuses an invalid patch with every problem', async () => {
      const response = await patch(ids.anaCallback!, { status: 'finished', dueAt: 'soon', colour: 'red' }, await t.tokenFor('ana'));
      expect(response.statusCode).toBe(422);
      expect(response.data.error.code).toBe('invalid');
      expect(response.data.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['status', 'dueAt']));
    });

    it('refuses an unknown assignee, and leaving a task without team or assignee', async () => {
      const ana = await t.tokenFor('ana');
      const unknown = await patch(ids.anaCallback!, { assignee: 'nobody' }, ana);
      expect(unknown.statusCode).toBe(422);
      expect(unknown.data.error.details).toEqual([{ path: 'assignee', message: 'unknown user "nobody"' }]);
      const orphan = await patch(ids.anaCallback!, { assignee: null }, ana);
      expect(orphan.statusCode).toBe(422);
      expect(orphan.data.error.details[0].path).toBe('assignee');
    });

    it('answers 404 for an unknown task', async () => {
      const response = await patch('no-such-task', { status: 'done' }, t.admin);
      expect(response.statusCode).toBe(404);
      expect(response.data.error.code).toBe('not_found');
    });

    it('lets an agent close their task, move its due time and rewrite its note', async () => {
      const later = new Date(now + 5 * HOUR).toISOString();
      const response = await patch(ids.anaCallback!, { status: 'done', dueAt: later, note: 'called, all sorted' }, await t.tokenFor('ana'));
      expect(response.statusCode).toBe(200);
      expect(response.data).toMatchObject({ id: ids.anaCallback, status: 'done', dueAt: later, note: 'called, all sorted', assignee: 'ana' });
      const open = await list('?assignee=me&status=open', await t.tokenFor('ana'));
      expect(namesOf(open.data.items)).toEqual(['anaCheckIn']);
      // Not a reassignment: nothing audited.
      expect(await listAudit(t.baton.ctx.database.db, { entity: 'task', entityId: ids.anaCallback! })).toEqual([]);
    });

    it("lets an agent take a team's task, and audits the reassignment", async () => {
      const response = await patch(ids.billingNote!, { assignee: 'ana' }, await t.tokenFor('ana'));
      expect(response.statusCode).toBe(200);
      expect(response.data).toMatchObject({ assignee: 'ana', team: 'billing' });
      const audit = await listAudit(t.baton.ctx.database.db, { action: 'task.reassigned', entityId: ids.billingNote! });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'ana', entity: 'task', data: { from: null, to: 'ana', conversationId: null } });
    });

    it("lets an admin hand anyone's task to someone else, audited", async () => {
      const response = await patch(ids.oluCallback!, { assignee: 'ana' }, t.admin);
      expect(response.statusCode).toBe(200);
      expect(response.data.assignee).toBe('ana');
      const audit = await listAudit(t.baton.ctx.database.db, { action: 'task.reassigned', entityId: ids.oluCallback! });
      expect(audit[0]).toMatchObject({ actor: 'admin-token', data: { from: 'olu', to: 'ana' } });
      // Now ana's: she sees it and may change it.
      const reopened = await patch(ids.oluCallback!, { status: 'cancelled' }, await t.tokenFor('ana'));
      expect(reopened.data.status).toBe('cancelled');
    });
  });

  describe('POST /api/tasks (a follow-up added by hand)', () => {
    const aConversation = async (): Promise<string> => {
      const created = await t.request({
        method: 'POST',
        url: '/api/conversations',
        headers: t.admin,
        payload: { channel: 'support-email', contact: { name: 'Tasha', email: 'tasha@example.test' }, message: 'Please call me back tomorrow' },
      });
      expect(created.statusCode).toBe(201);
      return created.data.conversation.id as string;
    };

    it("adds a call-back for the caller on a conversation, listed with the conversation's tasks and audited", async () => {
      const conversation = await aConversation();
      const ana = await t.tokenFor('ana');
      const dueAt = new Date(now + 20 * HOUR).toISOString();
      const created = await t.request({ method: 'POST', url: '/api/tasks', headers: ana, payload: { conversation, type: 'callback', dueAt, note: 'call Tasha at 10' } });
      expect(created.statusCode).toBe(201);
      expect(created.data).toMatchObject({ conversationId: conversation, type: 'callback', assignee: 'ana', status: 'open', dueAt, note: 'call Tasha at 10' });
      const listed = await list(`?conversation=${conversation}`, ana);
      expect(listed.statusCode).toBe(200);
      expect(listed.data.items.map((item: { id: string }) => item.id)).toEqual([created.data.id]);
      const audit = await listAudit(t.baton.ctx.database.db, { entity: 'task', entityId: created.data.id as string });
      expect(audit).toEqual([expect.objectContaining({ action: 'task.created', actor: 'ana' })]);
    });

    it("refuses an agent adding a task for someone else, an unknown conversation, and a bad body with every problem; nothing is added", async () => {
      const conversation = await aConversation();
      const ana = await t.tokenFor('ana');
      const forOlu = await t.request({ method: 'POST', url: '/api/tasks', headers: ana, payload: { conversation, type: 'callback', assignee: 'olu' } });
      expect(forOlu.statusCode).toBe(403);
      const unknown = await t.request({ method: 'POST', url: '/api/tasks', headers: ana, payload: { conversation: 'no-such-conversation', type: 'callback' } });
      expect(unknown.statusCode).toBe(404);
      const bad = await t.request({ method: 'POST', url: '/api/tasks', headers: ana, payload: { conversation, type: 'check_in', dueAt: 'tomorrow' } });
      expect(bad.statusCode).toBe(422);
      expect(bad.data.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['dueAt', 'type']);
      expect((await list(`?conversation=${conversation}`, t.admin)).data.items).toEqual([]);
    });

    it('lets an admin add one for an agent, who then sees it', async () => {
      const conversation = await aConversation();
      const created = await t.request({ method: 'POST', url: '/api/tasks', headers: await t.tokenFor('olu'), payload: { conversation, type: 'internal_note', assignee: 'ana', note: 'check the refund' } });
      expect(created.statusCode).toBe(201);
      expect((await list(`?conversation=${conversation}`, await t.tokenFor('ana'))).data.items).toEqual([expect.objectContaining({ assignee: 'ana', note: 'check the refund' })]);
    });
  });
});
