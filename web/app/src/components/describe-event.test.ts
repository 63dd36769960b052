import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from '../api.js';
import { actorName, describeEvent } from './describe-event.js';
import type { Directory } from './directory.js';

const directory: Directory = {
  users: [{ id: 'ana', name: 'Ana García' } as Directory['users'][number]],
  teams: [{ id: 'billing', name: 'Billing' } as Directory['teams'][number]],
  queues: [{ id: 'es-support', name: 'Spanish support' } as Directory['queues'][number]],
  channels: [],
};

const event = (type: string, data: Record<string, unknown>, actor: string | null = 'system'): ConversationEvent => ({
  id: 'e1',
  seq: 1,
  type,
  actor,
  data,
  owner: null,
  team: null,
  queue: null,
  createdAt: '2026-11-26T10:00:00.000Z',
});

describe('describeEvent', () => {
  it('says who took a conversation over from whom, and when the first reply stopped the clock', () => {
    expect(describeEvent(directory, event('conversation.assigned', { from: 'ana', to: 'maria', reason: 'take_over' }, 'maria'))).toBe('maria took it over from Ana García');
    expect(describeEvent(directory, event('sla.stopped', { met: true }, 'ana'))).toBe('Ana García replied first: the first-response clock stopped in time');
    expect(describeEvent(directory, event('sla.stopped', { met: false }, 'ana'))).toBe('Ana García replied first: the first-response clock stopped, after the target');
  });

  it('names people, teams and queues from the directory', () => {
    expect(describeEvent(directory, event('conversation.assigned', { to: 'ana', reason: 'claim' }, 'user:ana'))).toBe('Ana García assigned it to Ana García (claim)');
    expect(describeEvent(directory, event('conversation.assigned', { to: null, toQueue: 'es-support', reason: 'sla_breach' }))).toBe(
      'Assigned to the Spanish support queue (sla breach)',
    );
    expect(describeEvent(directory, event('conversation.assigned', { to: 'ana', reason: 'handoff' }, 'contact:c1'))).toBe('Assigned to Ana García (handoff)');
    expect(describeEvent(directory, event('conversation.assigned', { to: null, toTeam: 'billing' }, 'olu'))).toBe('olu assigned it to the Billing team');
  });

  it('says status changes with their labels', () => {
    expect(describeEvent(directory, event('conversation.status_changed', { from: 'resolved', to: 'queued', reason: 'owner_at_capacity' }))).toBe(
      'Resolved → Waiting in queue (owner at capacity)',
    );
  });

  it('describes handoffs, SLA, ratings, tasks and updates', () => {
    expect(describeEvent(directory, event('handoff.started', { trigger: 'customer_requested_human' }))).toBe('Handoff started: customer requested human');
    expect(describeEvent(directory, event('handoff.completed', { trace: { rule: 'enterprise-spanish' } }))).toBe('Handed off by rule enterprise-spanish');
    expect(describeEvent(directory, event('handoff.completed', { rule: 'fallback' }))).toBe('Handed off by rule fallback');
    expect(describeEvent(directory, event('sla.breached', {}))).toBe('First-response target missed');
    expect(describeEvent(directory, event('conversation.rated', { score: 4 }, 'contact:c1'))).toBe('The customer rated it 4/5');
    expect(describeEvent(directory, event('notification.enqueued', { channel: 'email', notification: 'handoff.assigned', recipients: ['ana', 'nobody-known'], title: 'New conversation' }, 'system'))).toBe(
      'Notified to Ana García, nobody-known (by email): New conversation',
    );
    expect(describeEvent(directory, event('conversation.continued', { conversationId: 'c2' }, 'contact:c1'))).toBe('The customer wrote again after it closed: a new conversation follows it');
    expect(describeEvent(directory, event('conversation.updated', { priority: 'high', tags: ['vip'] }, 'user:ana'))).toBe('Ana García changed priority, tags');
    expect(describeEvent(directory, event('task.due', {}))).toBe('A follow-up fell due');
  });

  it('falls back to the type for events it does not know', () => {
    expect(describeEvent(directory, event('bot.frobnicated', {}, 'assistant'))).toBe('bot frobnicated by The AI agent');
  });

  it('names actors', () => {
    expect(actorName(directory, null)).toBe('Baton');
    expect(actorName(directory, 'rule:vip')).toBe('Rule vip');
    expect(actorName(directory, 'user:zed')).toBe('zed');
  });
});
