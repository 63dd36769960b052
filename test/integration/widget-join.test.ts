/**
 * "Ana joined the conversation" is a stored system message, written in the
 * transaction that gave the conversation its owner: the customer's turn carries it, a catch-up
 * (`GET …/messages?after=`) and a reload show it, once per join — a handoff that assigns at once,
 * a claim, a transfer to a user or a team, the waiting line's assignment. A direct assignment
 * never promises a wait.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

interface WidgetMessage {
  readonly author: string;
  readonly body: string;
  readonly seq: number;
}

eachDialect('the join note in the widget', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let olu: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    ana = await t.tokenFor('ana');
    olu = await t.tokenFor('olu');
  });
  afterAll(async () => {
    await t.close();
  });

  async function customer(language: string): Promise<{ auth: Record<string, string>; id: string }> {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Kim', language } } });
    expect(session.statusCode).toBe(201);
    const auth = { authorization: `Bearer ${session.data.token}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers: auth, payload: {} });
    expect(started.statusCode).toBe(201);
    return { auth, id: started.data.conversation.id };
  }

  async function transcript(id: string, auth: Record<string, string>, after = 0): Promise<WidgetMessage[]> {
    const read = await t.request({ method: 'GET', url: `/api/widget/conversations/${id}/messages?after=${after}`, headers: auth });
    expect(read.statusCode).toBe(200);
    return read.data as WidgetMessage[];
  }

  const joins = (messages: readonly WidgetMessage[], name: string): string[] =>
    messages.filter((m) => m.author === 'system' && m.body.startsWith(`${name} `) && /joined|unido/.test(m.body)).map((m) => m.body);

  async function setStatus(userId: string, status: string): Promise<void> {
    const changed = await t.request({ method: 'PATCH', url: `/api/users/${userId}/status`, headers: t.admin, payload: { status } });
    expect(changed.statusCode).toBe(200);
  }

  it('says who joined, and never a wait, when the handoff assigns straight away; a catch-up shows it once', async () => {
    const { auth, id } = await customer('en');
    const turn = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers: auth });
    expect(turn.statusCode).toBe(200);
    expect(turn.data.conversation).toMatchObject({ status: 'assigned', owner: { name: 'Ana' } });
    const said = (turn.data.messages as WidgetMessage[]).filter((m) => m.author === 'system').map((m) => m.body);
    expect(said).toEqual(['Thanks — a member of our team will reply soon.', 'Ana joined the conversation.']);
    expect(said.join(' ')).not.toMatch(/wait/i);

    const all = await transcript(id, auth);
    expect(joins(all, 'Ana')).toEqual(['Ana joined the conversation.']);
    const before = all.find((m) => m.body === 'Ana joined the conversation.')!.seq - 1;
    expect(joins(await transcript(id, auth, before), 'Ana')).toEqual(['Ana joined the conversation.']);
  });

  it('says it in the customer’s language', async () => {
    const { auth, id } = await customer('es');
    const turn = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers: auth });
    expect(turn.data.conversation.status).toBe('assigned');
    expect(joins(await transcript(id, auth), 'Ana')).toEqual(['Ana se ha unido a la conversación.']);
  });

  it('says it once per join: release and claim, transfer to a user, transfer to a team', async () => {
    const { auth, id } = await customer('en');
    await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers: auth });
    expect(joins(await transcript(id, auth), 'Ana')).toHaveLength(1);

    expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: ana, payload: { user: 'olu' } })).statusCode).toBe(200);
    expect(joins(await transcript(id, auth), 'Olu')).toEqual(['Olu joined the conversation.']);
    // Claimed by whoever already holds it: nobody new joined.
    expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/claim`, headers: olu })).statusCode).toBe(200);
    expect(joins(await transcript(id, auth), 'Olu')).toHaveLength(1);

    expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/release`, headers: olu })).statusCode).toBe(200);
    const released = await t.request({ method: 'GET', url: `/api/widget/conversations/${id}`, headers: auth });
    if (released.data.status === 'queued') {
      expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/claim`, headers: ana })).statusCode).toBe(200);
    }
    expect(joins(await transcript(id, auth), 'Ana')).toHaveLength(2);

    const toTeam = await t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: ana, payload: { team: 'oncall' } });
    expect(toTeam.statusCode).toBe(200);
    expect(toTeam.data.conversation.owner).toBe('olu');
    expect(joins(await transcript(id, auth), 'Olu')).toHaveLength(2);
  });

  it('says it when the waiting line assigns a queued conversation, once', async () => {
    await setStatus('ana', 'away');
    await setStatus('olu', 'away');
    try {
      const { auth, id } = await customer('en');
      const turn = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers: auth });
      expect(turn.data.conversation.status).toBe('queued');
      // Waiting: the wait is promised, nobody has joined.
      expect((turn.data.messages as WidgetMessage[]).map((m) => m.body).join(' ')).toMatch(/Expected wait/);
      await setStatus('ana', 'available');
      const { assignWaitingConversations } = await import('../../src/services/handoff/assign-waiting-conversations.js');
      await assignWaitingConversations(t.baton.ctx);
      const state = await t.request({ method: 'GET', url: `/api/widget/conversations/${id}`, headers: auth });
      expect(state.data).toMatchObject({ status: 'assigned', owner: { name: 'Ana' } });
      expect(joins(await transcript(id, auth), 'Ana')).toEqual(['Ana joined the conversation.']);
    } finally {
      await setStatus('ana', 'available');
      await setStatus('olu', 'available');
    }
  });
});
