import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../../src/contract/api.js';
import type { HandoffTrace } from '../../../../src/contract/trace.js';
import type { Frame } from '../state/inbox.js';
import { describeAssignmentAlert, desktopAlertsStatus, emptyAlertMemory, findAssignmentAlerts } from './assignment-alerts.js';

const ready = (seq: number): Frame => ({ seq, type: 'stream.ready', conversationId: null, data: {} });
const assigned = (seq: number, conversationId: string, data: Record<string, unknown>): Frame => ({ seq, type: 'conversation.assigned', conversationId, data });
const toMaria = (seq: number, conversationId = 'c1'): Frame => assigned(seq, conversationId, { by: 'system', from: null, to: 'maria', owner: 'maria' });

function aConversation(over: Partial<Conversation> = {}): Conversation {
  const at = '2026-11-25T10:00:00.000Z';
  return {
    id: 'c1',
    channel: 'web-chat',
    channelType: 'chat',
    subject: null,
    contact: { id: 'ct1', name: 'Lucía Fernández', email: 'lucia@example.test', language: 'es', timezone: null, owner: null, properties: {}, test: false },
    status: 'assigned',
    owner: 'maria',
    team: 'support',
    queue: null,
    priority: 'normal',
    tags: [],
    properties: {},
    language: 'es',
    intent: null,
    handoff: null,
    handedOffAt: at,
    firstResponseDueAt: null,
    firstHumanResponseAt: null,
    createdAt: at,
    updatedAt: at,
    lastActivityAt: at,
    resolvedAt: null,
    previousConversationId: null,
    rating: null,
    version: 1,
    holder: null,
    viewerCan: null,
    waitingReason: null,
    ...over,
  };
}

describe('findAssignmentAlerts', () => {
  it('alerts once when a conversation is assigned to me', () => {
    const { alerts, memory } = findAssignmentAlerts([ready(10), toMaria(11)], 'maria', emptyAlertMemory);
    expect(alerts).toEqual([{ key: 'c1:11', conversationId: 'c1', seq: 11 }]);
    expect(memory.afterSeq).toBe(11);
    // The same frame again (a duplicate delivery) raises nothing.
    expect(findAssignmentAlerts([toMaria(11)], 'maria', memory).alerts).toEqual([]);
  });

  it('never alerts for frames at or before where the stream said it starts (a replay after reconnecting)', () => {
    const first = findAssignmentAlerts([ready(10), toMaria(11)], 'maria', emptyAlertMemory);
    // Reconnected with ?after=11: the server replays nothing older, but even if a frame at 11 or
    // below came again it is old.
    const again = findAssignmentAlerts([ready(11), toMaria(11), toMaria(9, 'c9')], 'maria', first.memory);
    expect(again.alerts).toEqual([]);
  });

  it('alerts for an assignment missed while the socket was down (a higher seq after ?after=)', () => {
    const first = findAssignmentAlerts([ready(10)], 'maria', emptyAlertMemory);
    const resumed = findAssignmentAlerts([ready(10), toMaria(12, 'c2')], 'maria', first.memory);
    expect(resumed.alerts.map((a) => a.conversationId)).toEqual(['c2']);
  });

  it('ignores the head of the stream on first connect', () => {
    expect(findAssignmentAlerts([toMaria(5), ready(20)], 'maria', emptyAlertMemory).alerts).toEqual([]);
  });

  it('ignores assignments to someone else, my own claims and re-assignments I started', () => {
    const frames = [
      ready(1),
      assigned(2, 'c1', { by: 'system', from: null, to: 'ana' }),
      assigned(3, 'c2', { by: 'maria', from: null, to: 'maria' }),
      assigned(4, 'c3', { by: 'olu', from: 'maria', to: 'maria' }),
      assigned(5, 'c4', { by: 'olu', from: null, to: null, toQueue: 'general' }),
    ];
    expect(findAssignmentAlerts(frames, 'maria', emptyAlertMemory).alerts).toEqual([]);
  });

  it('alerts again when the same conversation comes back to me later', () => {
    const frames = [ready(1), toMaria(2), assigned(3, 'c1', { by: 'maria', from: 'maria', to: null }), toMaria(4)];
    expect(findAssignmentAlerts(frames, 'maria', emptyAlertMemory).alerts.map((a) => a.key)).toEqual(['c1:2', 'c1:4']);
  });

  it('applies frames in seq order and skips typing frames', () => {
    const typing: Frame = { seq: 30, type: 'typing', conversationId: 'c1', data: { author: 'contact' } };
    const { alerts, memory } = findAssignmentAlerts([toMaria(31, 'c2'), typing, ready(29)], 'maria', emptyAlertMemory);
    expect(alerts.map((a) => a.key)).toEqual(['c2:31']);
    expect(memory.afterSeq).toBe(31);
  });

  it('remembers a bounded number of keys', () => {
    let memory = emptyAlertMemory;
    for (let seq = 1; seq <= 450; seq += 1) memory = findAssignmentAlerts([toMaria(seq, `c${seq}`)], 'maria', memory).memory;
    expect(memory.shown.length).toBe(200);
    expect(memory.shown.at(-1)).toBe('c450:450');
  });
});

describe('describeAssignmentAlert', () => {
  it('names the customer and the email subject', () => {
    expect(describeAssignmentAlert(aConversation({ subject: 'Invoice 1042 is wrong' }), 'Support email')).toEqual({
      title: 'Assigned to you: Lucía Fernández',
      body: 'Invoice 1042 is wrong',
    });
  });

  it('says the channel and why it was handed off when there is no subject', () => {
    const handoff = { trigger: 'customer_requested_human' } as HandoffTrace;
    expect(describeAssignmentAlert(aConversation({ handoff }), 'Website chat').body).toBe('Website chat · Customer asked for a person');
  });

  it('keeps customer text as it is (the browser shows notification text as text)', () => {
    const contact = { ...aConversation().contact, name: '<img src=x onerror=alert(1)>' };
    expect(describeAssignmentAlert(aConversation({ contact }), null).title).toBe('Assigned to you: <img src=x onerror=alert(1)>');
  });

  it('falls back to the email, then to words, when the customer gave no name', () => {
    const contact = { ...aConversation().contact, name: null };
    expect(describeAssignmentAlert(aConversation({ contact }), null)).toEqual({ title: 'Assigned to you: lucia@example.test', body: 'Open Baton to read it.' });
    expect(describeAssignmentAlert(null, null).title).toBe('A conversation was assigned to you');
  });
});

describe('desktopAlertsStatus', () => {
  it('follows the browser permission, then the agent’s choice', () => {
    expect(desktopAlertsStatus(null, 'on')).toBe('unsupported');
    expect(desktopAlertsStatus('default', null)).toBe('ask');
    expect(desktopAlertsStatus('denied', 'on')).toBe('denied');
    expect(desktopAlertsStatus('granted', null)).toBe('on');
    expect(desktopAlertsStatus('granted', 'off')).toBe('off');
  });
});
