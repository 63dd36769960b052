/**
 * Ownership that cannot surprise anyone (issue 16 §2): one policy (core/ownership.ts)
 * for every action, on both databases. A conversation Ana holds in Billing, acted on by Ana (the
 * holder), María (her teammate), Ken (an agent of another team), Lee (Billing's lead) and Olu (an
 * admin).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assignWaitingConversations } from '../../src/services/handoff/assign-waiting-conversations.js';
import { OWNERSHIP_CONFIG } from '../support/ownership-desk.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';


type Who = 'ana' | 'maria' | 'ken' | 'lee' | 'olu';
type Action = 'claim' | 'take over' | 'release' | 'hand back' | 'resolve' | 'transfer';

/** Expected status and owner afterwards; `ana` is the holder throughout. */
const MATRIX: Record<Action, Record<Who, readonly [number, string | null]>> = {
  claim: { ana: [200, 'ana'], maria: [409, 'ana'], ken: [409, 'ana'], lee: [409, 'ana'], olu: [409, 'ana'] },
  'take over': { ana: [200, 'ana'], maria: [200, 'maria'], ken: [403, 'ana'], lee: [200, 'lee'], olu: [200, 'olu'] },
  release: { ana: [200, null], maria: [409, 'ana'], ken: [409, 'ana'], lee: [200, null], olu: [200, null] },
  'hand back': { ana: [200, null], maria: [409, 'ana'], ken: [409, 'ana'], lee: [200, null], olu: [200, null] },
  resolve: { ana: [200, 'ana'], maria: [409, 'ana'], ken: [409, 'ana'], lee: [200, 'ana'], olu: [200, 'ana'] },
  transfer: { ana: [200, null], maria: [409, 'ana'], ken: [409, 'ana'], lee: [200, null], olu: [200, null] },
};

const REQUEST: Record<Action, { url: string; payload?: object }> = {
  claim: { url: 'claim' },
  'take over': { url: 'claim', payload: { takeOver: true } },
  release: { url: 'release' },
  'hand back': { url: 'handback' },
  resolve: { url: 'resolve' },
  transfer: { url: 'assign', payload: { queue: 'general' } },
};

/** What the app is offered for each viewer of Ana's open conversation (`viewerCan`). */
const OFFERED: Record<Who, readonly string[]> = {
  ana: ['release', 'handback', 'resolve', 'transfer'],
  maria: ['take_over'],
  ken: [],
  lee: ['take_over', 'release', 'handback', 'resolve', 'transfer'],
  olu: ['take_over', 'release', 'handback', 'resolve', 'transfer'],
};

eachDialect('ownership', (dialect) => {
  let t: TestApp;
  let as: Record<Who, Record<string, string>>;

  // One desk per database; every test makes its own conversation, so none sees another's.
  beforeAll(async () => {
    t = await startTestApp(dialect, { config: OWNERSHIP_CONFIG });
    as = {
      ana: await t.tokenFor('ana'),
      maria: await t.tokenFor('maria'),
      ken: await t.tokenFor('ken'),
      lee: await t.tokenFor('lee'),
      olu: await t.tokenFor('olu'),
    };
  });
  afterAll(async () => {
    await t.close();
  });

  /** A customer asks for a person; nobody is available, so it waits in General, and Ana claims it. */
  async function heldByAna(name = 'Lucía'): Promise<string> {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name, language: 'en' } } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
    const id = started.data.conversation.id as string;
    const handed = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers });
    expect(handed.data.conversation).toMatchObject({ status: 'queued', owner: null });
    const claimed = await t.request({ method: 'POST', url: `/api/conversations/${id}/claim`, headers: as.ana });
    expect(claimed.statusCode).toBe(200);
    expect(claimed.data).toMatchObject({ owner: 'ana', holder: { id: 'ana', name: 'Ana García' } });
    return id;
  }

  describe('the matrix: holder, teammate, other agent, lead, admin × each action', () => {
    for (const action of Object.keys(MATRIX) as Action[]) {
      for (const who of Object.keys(MATRIX[action]) as Who[]) {
        const [status, owner] = MATRIX[action][who];
        it(`${action} by ${who} → ${status}, owner ${owner ?? 'nobody'}`, async () => {
          const id = await heldByAna();
          const { url, payload } = REQUEST[action];
          const answer = await t.request({ method: 'POST', url: `/api/conversations/${id}/${url}`, headers: as[who], ...(payload === undefined ? {} : { payload }) });
          expect(answer.statusCode).toBe(status);
          if (status === 409) {
            // A sentence a person understands, naming the holder — never an id.
            expect(answer.data.error.code).toBe('conflict');
            expect(answer.data.error.message).toContain('Ana García');
            expect(answer.data.error.message).not.toMatch(/\bana\b/);
            expect(answer.data.error.details).toEqual([{ path: 'owner', message: 'Ana García' }]);
          }
          if (status === 403) {
            expect(answer.data.error).toMatchObject({ code: 'forbidden', message: "Only members of Billing, its leads and admins can take over Ana García's conversation." });
          }
          const after = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin });
          expect(after.data.owner).toBe(owner);
        });
      }
    }
  });

  it('offers each viewer exactly what the server allows (viewerCan), and names the holder', async () => {
    const id = await heldByAna();
    for (const who of Object.keys(OFFERED) as Who[]) {
      const seen = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: as[who] });
      expect(seen.data.holder).toEqual({ id: 'ana', name: 'Ana García' });
      expect([...(seen.data.viewerCan as string[])].sort()).toEqual([...OFFERED[who]].sort());
      const listed = await t.request({ method: 'GET', url: '/api/conversations?view=all', headers: as[who] });
      const row = (listed.data.items as { id: string; viewerCan: string[] }[]).find((c) => c.id === id);
      expect([...(row?.viewerCan ?? [])].sort()).toEqual([...OFFERED[who]].sort());
    }
  });

  it('audits a take over and tells the previous holder, in the same transaction as the change', async () => {
    const id = await heldByAna('Noah');
    const taken = await t.request({ method: 'POST', url: `/api/conversations/${id}/claim`, headers: as.maria, payload: { takeOver: true } });
    expect(taken.statusCode).toBe(200);
    expect(taken.data).toMatchObject({ owner: 'maria', holder: { id: 'maria', name: 'María López' } });
    expect([...(taken.data.viewerCan as string[])].sort()).toEqual(['handback', 'release', 'resolve', 'transfer']);

    const audit = await t.request({ method: 'GET', url: '/api/audit?entity=conversation', headers: t.admin });
    const entries = (audit.data.items ?? audit.data) as { action: string; entityId: string; actor: string; data: Record<string, unknown> }[];
    expect(entries.find((e) => e.action === 'conversation.taken_over' && e.entityId === id)).toMatchObject({ actor: 'maria', data: { from: 'ana', to: 'maria' } });

    await t.baton.outbox.drain();
    const anaHears = await t.request({ method: 'GET', url: '/api/notifications', headers: as.ana });
    expect((anaHears.data.items as { conversationId: string }[]).find((n) => n.conversationId === id)).toMatchObject({ type: 'conversation.taken_over', title: 'María López took over your conversation with Noah', conversationId: id });
    const mariaHears = await t.request({ method: 'GET', url: '/api/notifications', headers: as.maria });
    expect((mariaHears.data.items as { type: string; conversationId: string }[]).some((n) => n.type === 'conversation.taken_over' && n.conversationId === id)).toBe(false);

    // Ana, no longer the holder, is now the one refused — by name.
    const anaTries = await t.request({ method: 'POST', url: `/api/conversations/${id}/resolve`, headers: as.ana });
    expect(anaTries.statusCode).toBe(409);
    expect(anaTries.data.error.message).toBe('María López is handling this conversation. Take it over to resolve it.');
  });

  it('refuses to take over from someone who took it in the meantime: one owner, decided under the row lock', async () => {
    const id = await heldByAna();
    const [a, b] = await Promise.all([
      t.request({ method: 'POST', url: `/api/conversations/${id}/claim`, headers: as.maria, payload: { takeOver: true } }),
      t.request({ method: 'POST', url: `/api/conversations/${id}/claim`, headers: as.lee, payload: { takeOver: true } }),
    ]);
    // Each take over displaces whoever held it when its transaction ran: both succeed in turn,
    // and the audit log has both, in order; never two owners.
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const after = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin });
    expect(['maria', 'lee']).toContain(after.data.owner);
    const audit = await t.request({ method: 'GET', url: '/api/audit?entity=conversation', headers: t.admin });
    const takes = ((audit.data.items ?? audit.data) as { action: string; entityId: string }[]).filter((e) => e.action === 'conversation.taken_over' && e.entityId === id);
    expect(takes).toHaveLength(2);
  });
});

eachDialect('not handed straight back', (dialect) => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  async function desk(config: string): Promise<Record<string, Record<string, string>>> {
    t = await startTestApp(dialect, { config });
    const as: Record<string, Record<string, string>> = {};
    for (const id of ['ana', 'maria', 'sam', 'olu']) as[id] = await t.tokenFor(id);
    return as;
  }
  const setStatus = async (who: string, status: string) =>
    expect((await t.request({ method: 'PATCH', url: `/api/users/${who}/status`, headers: t.admin, payload: { status } })).statusCode).toBe(200);

  /** Ana is available and is given Lucía's conversation by the handoff; then María comes online. */
  async function anasConversation(): Promise<string> {
    await setStatus('ana', 'available');
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Lucía', language: 'en' } } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
    const id = started.data.conversation.id as string;
    await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers });
    const read = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin });
    expect(read.data.owner).toBe('ana');
    await setStatus('maria', 'available');
    return id;
  }

  it('does not give Ana back the conversation she transferred to María once María releases it: it waits, and says why', async () => {
    const as = await desk(OWNERSHIP_CONFIG.replace('members: [ana, maria]', 'members: [ana, maria, sam]'));
    const id = await anasConversation();
    t.clock.advance(1_000);
    const transferred = await t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: as.ana, payload: { user: 'maria' } });
    expect(transferred.data.conversation.owner).toBe('maria');
    t.clock.advance(1_000);
    const released = await t.request({ method: 'POST', url: `/api/conversations/${id}/release`, headers: as.maria });
    expect(released.statusCode).toBe(200);
    await assignWaitingConversations(t.baton.ctx);
    const waiting = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: as.ana });
    expect(waiting.data).toMatchObject({ status: 'queued', owner: null });
    expect(waiting.data.waitingReason).toBe('Not offered back to Ana García or María López, who released or transferred it away; waiting for someone else in Billing.');

    // Sam comes online: the next pass gives it to Sam, not to Ana or María.
    await setStatus('sam', 'available');
    await assignWaitingConversations(t.baton.ctx);
    const taken = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: as.ana });
    expect(taken.data).toMatchObject({ status: 'assigned', owner: 'sam', waitingReason: null });
  });

  it('still gives the agent who released one conversation the next one waiting behind it', async () => {
    const as = await desk(OWNERSHIP_CONFIG.replace('members: [ana, maria]', 'members: [ana, maria, sam]'));
    const first = await anasConversation();
    await setStatus('maria', 'away');
    await setStatus('ana', 'away');
    // Ana releases the first; then Noah asks for a person and waits behind it.
    t.clock.advance(1_000);
    expect((await t.request({ method: 'POST', url: `/api/conversations/${first}/release`, headers: as.ana })).statusCode).toBe(200);
    t.clock.advance(1_000);
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Noah', language: 'en' } } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const second = (await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} })).data.conversation.id as string;
    await t.request({ method: 'POST', url: `/api/widget/conversations/${second}/human`, headers });
    // Ana is back: the first is not hers again, but Noah's is.
    await setStatus('ana', 'available');
    await assignWaitingConversations(t.baton.ctx);
    const [a, b] = await Promise.all([first, second].map((id) => t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin })));
    expect(a?.data).toMatchObject({ status: 'queued', owner: null });
    expect(b?.data).toMatchObject({ status: 'assigned', owner: 'ana' });
  });

  it('forgets who gave it away once it is resolved: a reopened conversation may go to them again', async () => {
    const as = await desk(OWNERSHIP_CONFIG.replace('members: [ana, maria]', 'members: [ana, maria, sam]'));
    const id = await anasConversation();
    t.clock.advance(1_000);
    await t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: as.ana, payload: { user: 'maria' } });
    t.clock.advance(1_000);
    expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/resolve`, headers: as.maria })).statusCode).toBe(200);
    await setStatus('maria', 'away');
    t.clock.advance(1_000);
    // Reopened while María is away: it waits in its queue, and Ana may take it.
    expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/reopen`, headers: t.admin })).data).toMatchObject({ status: 'queued', waitingReason: null });
    await assignWaitingConversations(t.baton.ctx);
    expect((await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin })).data).toMatchObject({ status: 'assigned', owner: 'ana' });
  });

  it('gives it back when nobody else could ever take it', async () => {
    const as = await desk(OWNERSHIP_CONFIG);
    const id = await anasConversation();
    t.clock.advance(1_000);
    await t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: as.ana, payload: { user: 'maria' } });
    t.clock.advance(1_000);
    await t.request({ method: 'POST', url: `/api/conversations/${id}/release`, headers: as.maria });
    await assignWaitingConversations(t.baton.ctx);
    const back = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: as.ana });
    expect(back.data.status).toBe('assigned');
    expect(['ana', 'maria']).toContain(back.data.owner);
  });

  it('does not route a transfer to the team back to the agent who transferred it', async () => {
    const as = await desk(OWNERSHIP_CONFIG.replace('members: [ana, maria]', 'members: [ana, maria, sam]'));
    const id = await anasConversation();
    await setStatus('maria', 'away');
    t.clock.advance(60_000);
    const moved = await t.request({ method: 'POST', url: `/api/conversations/${id}/assign`, headers: as.ana, payload: { team: 'billing' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.data.conversation).toMatchObject({ status: 'queued', owner: null });
    const ana = (moved.data.handoff.candidates as { user: string; reason: string | null }[]).find((c) => c.user === 'ana');
    expect(ana?.reason).toBe('released or transferred it away');
  });
});
