/**
 * Queue positions on a team's own line (realtime publisher): a customer waiting on a team itself
 * (transferred to the team, in none of its queues) counts everyone waiting with the team, and
 * hears their place move when someone ahead in one of the team's queues is taken. The publisher
 * reads the team's line only when someone waits on the team itself (anyoneWaitingOnTeamItself);
 * this checks both sides of that shortcut.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { anyoneWaitingOnTeamItself } from '../../src/store/repositories/routing.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

eachDialect("a team's own line", (dialect) => {
  let t: TestApp;
  let olu: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    olu = await t.tokenFor('olu');
    // Nobody available: everyone waits.
    expect((await t.request({ method: 'PATCH', url: '/api/users/ana/status', headers: t.admin, payload: { status: 'away' } })).statusCode).toBe(200);
    expect((await t.request({ method: 'PATCH', url: '/api/users/olu/status', headers: t.admin, payload: { status: 'away' } })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  async function aWaitingCustomer(name: string): Promise<string> {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name, language: 'en' } } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
    const id = started.data.conversation.id as string;
    const handed = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers });
    expect(handed.data.conversation.status).toBe('queued');
    return id;
  }

  async function positionsOf(id: string): Promise<(number | null)[]> {
    const rows = await t.baton.ctx.database.db
      .selectFrom('stream_events')
      .select(['data'])
      .where('conversation_id', '=', id)
      .where('type', '=', 'queue.position')
      .orderBy('seq')
      .execute();
    return rows.map((row) => (JSON.parse(row.data) as { position: number | null }).position);
  }

  it('tells a customer waiting on the team itself their place when someone ahead in a team queue is taken', async () => {
    const db = t.baton.ctx.database.db;
    const ahead = await aWaitingCustomer('Ahead');
    t.clock.advance(1_000);
    const onTeam = await aWaitingCustomer('On the team');
    await t.baton.outbox.drain();
    expect(await anyoneWaitingOnTeamItself(db, 'billing')).toBe(false);

    t.clock.advance(1_000);
    const moved = await t.request({ method: 'POST', url: `/api/conversations/${onTeam}/assign`, headers: t.admin, payload: { team: 'billing' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.data.conversation).toMatchObject({ status: 'queued', team: 'billing', queue: null });
    expect(await anyoneWaitingOnTeamItself(db, 'billing')).toBe(true);
    await t.baton.outbox.drain();
    // Second with the team: behind the customer waiting in General (a billing queue).
    expect((await positionsOf(onTeam)).at(-1)).toBe(2);

    expect((await t.request({ method: 'POST', url: `/api/conversations/${ahead}/claim`, headers: olu })).statusCode).toBe(200);
    await t.baton.outbox.drain();
    expect((await positionsOf(onTeam)).at(-1)).toBe(1);
  });
});
