/**
 * `closed` by time: a resolved conversation closes `workspace.autoCloseAfter` after it was
 * resolved (a durable timer, run here by moving the manual clock and draining the outbox by
 * hand). A reply before then reopens it; a message after then starts a new conversation that
 * names the closed one — on the widget and by email.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listEvents } from '../../src/store/repositories/events.js';
import { listOutbox } from '../../src/store/repositories/outbox.js';
import { EXAMPLE_CONFIG, EXAMPLE_ENV, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';
import { parseConfigText } from '../../src/config/parse-config-text.js';

const SECOND = 1_000;
const DAY = 86_400 * SECOND;

/** The example workspace with `workspace.autoCloseAfter` set (and the webhook pointed at a refused loopback port). */
function configWith(autoCloseAfter: string | null): string {
  let text = EXAMPLE_CONFIG.replace('https://hooks.acme.test/baton', 'http://127.0.0.1:9/baton');
  if (autoCloseAfter !== null) {
    const withKey = text.replace(/^workspace:\n/m, `workspace:\n  autoCloseAfter: ${autoCloseAfter}\n`);
    if (withKey === text) throw new Error('the example no longer starts with a workspace section');
    text = withKey;
  }
  return text;
}

it('refuses an autoCloseAfter longer than a year and defaults to 7d', () => {
  const refused = parseConfigText(configWith('400d'), 'yaml', EXAMPLE_ENV);
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(refused.problems).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'workspace.autoCloseAfter', message: expect.stringContaining('366d') })]));
  const defaulted = parseConfigText(configWith(null), 'yaml', EXAMPLE_ENV);
  expect(defaulted.ok && defaulted.config.workspace.autoCloseAfter).toBe('7d');
});

eachDialect('auto-close and the conversation that follows a closed one', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect, { config: configWith(null) });
  });
  afterAll(async () => {
    await t.close();
  });

  const statusEvents = async (id: string) =>
    (await listEvents(t.baton.ctx.database.db, id, { types: ['conversation.status_changed'] })).map((e) => ({ to: e.data.to, reason: e.data.reason, actor: e.actor }));
  const read = async (id: string) =>
    (await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: t.admin })).data as { status: string; previousConversationId: string | null };
  const resolve = async (id: string) => expect((await t.request({ method: 'POST', url: `/api/conversations/${id}/resolve`, headers: t.admin })).statusCode).toBe(200);

  async function aWidgetConversation(name: string) {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name, language: 'en' } } });
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers, payload: {} });
    const id = started.data.conversation.id as string;
    const write = (conversationId: string, body: string) => t.request({ method: 'POST', url: `/api/widget/conversations/${conversationId}/messages`, headers, payload: { body } });
    expect((await write(id, 'I want to talk to a person')).statusCode).toBe(201);
    return { id, headers, write };
  }

  it('closes a resolved conversation 7 days after it was resolved, with an event, once', async () => {
    const { id } = await aWidgetConversation('Grace');
    await resolve(id);
    const timers = (await listOutbox(t.baton.ctx.database.db, { kind: 'timer.conversation.auto_close' })).filter((row) => (row.payload as { conversationId: string }).conversationId === id);
    expect(timers).toHaveLength(1);

    t.clock.advance(7 * DAY - SECOND);
    await t.baton.outbox.drain();
    expect((await read(id)).status).toBe('resolved');

    t.clock.advance(2 * SECOND);
    await t.baton.outbox.drain();
    expect((await read(id)).status).toBe('closed');
    expect((await statusEvents(id)).filter((e) => e.to === 'closed')).toEqual([{ to: 'closed', reason: 'auto_close', actor: 'system' }]);

    // The events API shows it (the contract's "every status change").
    const events = await t.request({ method: 'GET', url: `/api/conversations/${id}/events`, headers: t.admin });
    expect(events.data.items ?? events.data).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'conversation.status_changed', data: expect.objectContaining({ to: 'closed', reason: 'auto_close' }) })]));
  });

  it('a reply to a resolved conversation reopens it, and the stale timer leaves it open; resolved again, it closes 7 days after that', async () => {
    const { id, write } = await aWidgetConversation('Hedy');
    await resolve(id);
    t.clock.advance(2 * DAY);
    const reply = await write(id, 'Actually, one more thing');
    expect(reply.statusCode).toBe(201);
    expect(reply.data.conversation).toMatchObject({ id });
    expect((await read(id)).status).not.toBe('resolved');

    t.clock.advance(1 * DAY);
    await resolve(id);
    // The first resolution's instant passes: it is not this resolution's, nothing happens.
    t.clock.advance(4 * DAY + SECOND);
    await t.baton.outbox.drain();
    expect((await read(id)).status).toBe('resolved');

    t.clock.advance(3 * DAY);
    await t.baton.outbox.drain();
    expect((await read(id)).status).toBe('closed');
    expect((await statusEvents(id)).filter((e) => e.to === 'closed')).toHaveLength(1);
  });

  it('a message to a closed conversation starts a new one that names it; the closed one stays closed', async () => {
    const { id, write } = await aWidgetConversation('Ada');
    await resolve(id);
    t.clock.advance(7 * DAY + SECOND);
    await t.baton.outbox.drain();
    expect((await read(id)).status).toBe('closed');

    const again = await write(id, 'Hello again, my order never arrived');
    expect(again.statusCode).toBe(201);
    // The widget is answered with the new conversation: it follows that one from now on.
    const next = again.data.conversation as { id: string };
    expect(next.id).not.toBe(id);
    expect((await read(next.id)).previousConversationId).toBe(id);
    expect((await read(id))).toMatchObject({ status: 'closed', previousConversationId: null });

    const messages = await t.request({ method: 'GET', url: `/api/conversations/${next.id}/messages`, headers: t.admin });
    expect(JSON.stringify(messages.data)).toContain('my order never arrived');
    const continued = await listEvents(t.baton.ctx.database.db, id, { types: ['conversation.continued'] });
    expect(continued.map((e) => e.data)).toEqual([{ conversationId: next.id }]);
  });

  it('a reply to an email of a closed conversation starts a new conversation linked to it', async () => {
    const inbound = (payload: Record<string, unknown>) => t.request({ method: 'POST', url: '/api/channels/support-email/inbound', headers: t.admin, payload });
    const first = await inbound({ from: 'linus@example.test', fromName: 'Linus', subject: 'Invoice missing', text: 'Where is my invoice?', messageId: `<first-${dialect}@example.test>` });
    expect(first.statusCode).toBe(201);
    const id = first.data.conversation.id as string;
    await resolve(id);
    t.clock.advance(7 * DAY + SECOND);
    await t.baton.outbox.drain();
    expect((await read(id)).status).toBe('closed');

    const reply = await inbound({
      from: 'linus@example.test',
      subject: 'Re: Invoice missing',
      text: 'Still no invoice.',
      messageId: `<second-${dialect}@example.test>`,
      inReplyTo: `<first-${dialect}@example.test>`,
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.data.outcome).toBe('created');
    expect(reply.data.conversation.id).not.toBe(id);
    expect(reply.data.conversation).toMatchObject({ previousConversationId: id, subject: 'Invoice missing', contact: expect.objectContaining({ email: 'linus@example.test' }) });
  });
});
