/**
 * "N turns without progress" (`assistant.maxTurnsWithoutProgress`) through the
 * widget's API: a customer who asks the same question again and again reaches a person when the
 * count reaches the maximum, with that reason on the handoff — and the simulator, given the same
 * messages, decides the same turn (one code path: decideTurn → assistant.respond).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

interface Event {
  readonly type: string;
  readonly data: { readonly trigger?: string; readonly note?: string | null };
}

const QUESTION = 'How do I reset my password?';
const MESSAGES = [QUESTION, 'how do I reset my password??', QUESTION, 'How do I reset my password'];

eachDialect('turns without progress in the widget', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('hands the customer who asks the same question a fourth time to a person, "no progress after 3 turns", as the simulator says', async () => {
    const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Kim', language: 'en' } } });
    const auth = { authorization: `Bearer ${session.data.token}` };
    const started = await t.request({ method: 'POST', url: '/api/widget/conversations', headers: auth, payload: { message: MESSAGES[0] } });
    expect(started.statusCode).toBe(201);
    const id: string = started.data.conversation.id;
    // Answered once, as paragraphs.
    const answer = (started.data.messages as { author: string; body: string }[]).find((m) => m.author === 'assistant');
    expect(answer?.body).toContain('Reset password');

    const statuses: string[] = [started.data.conversation.status];
    for (const body of MESSAGES.slice(1)) {
      const turn = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/messages`, headers: auth, payload: { body } });
      expect(turn.statusCode).toBe(201);
      statuses.push(turn.data.conversation.status);
    }
    expect(statuses.slice(0, 3)).toEqual(['bot', 'bot', 'bot']);
    expect(statuses[3]).not.toBe('bot');

    const events = await t.request({ method: 'GET', url: `/api/conversations/${id}/events`, headers: t.admin });
    expect(events.statusCode).toBe(200);
    const handoffs = ((events.data.items ?? events.data) as Event[]).filter((e) => e.type === 'handoff.started');
    expect(handoffs.map((e) => [e.data.trigger, e.data.note])).toEqual([['unsupported_topic', 'no progress after 3 turns (max 3)']]);

    const simulated = await t.request({
      method: 'POST',
      url: '/api/simulate',
      headers: t.admin,
      payload: { channel: 'web-chat', contact: { language: 'en' }, messages: MESSAGES },
    });
    expect(simulated.statusCode).toBe(200);
    expect(simulated.data.trace).toMatchObject({ trigger: 'unsupported_topic', note: 'no progress after 3 turns (max 3)' });
    const assistantLines = (simulated.data.transcript as { author: string }[]).filter((line) => line.author === 'assistant');
    expect(assistantLines).toHaveLength(3);
  });
});
