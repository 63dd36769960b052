import { describe, expect, it } from 'vitest';
import type { ConversationEventRecord } from '../../store/repositories/events.js';
import { queuesTouchedBy } from './present-stream.js';

function assigned(data: Record<string, unknown>): ConversationEventRecord {
  return { id: 'e', conversationId: 'c', seq: 2, type: 'conversation.assigned', actor: 'system', data, ownerId: null, teamId: 'desk', queueId: 'general', createdAt: 0 };
}

const base = { from: null, to: 'ana', fromTeam: null, toTeam: 'desk', fromQueue: null, toQueue: 'general' };

describe('queuesTouchedBy conversation.assigned (which waiting lines moved)', () => {
  it('touches no line when the conversation went straight from the AI agent to an owner', () => {
    expect(queuesTouchedBy(assigned({ ...base, fromStatus: 'bot', toStatus: 'assigned' }))).toEqual([]);
  });
  it('touches the line it joined when it waits', () => {
    expect(queuesTouchedBy(assigned({ ...base, to: null, fromStatus: 'bot', toStatus: 'queued' }))).toEqual([{ queueId: 'general' }, { teamId: 'desk' }]);
  });
  it('touches the line it left when claimed from a queue', () => {
    const claimed = { ...base, fromTeam: 'desk', fromQueue: 'general', fromStatus: 'queued', toStatus: 'assigned' };
    expect(queuesTouchedBy(assigned(claimed))).toEqual([{ queueId: 'general' }, { teamId: 'desk' }]);
  });
  it('touches both lines when a waiting conversation moves to another queue', () => {
    const moved = { ...base, to: null, fromTeam: 'desk', fromQueue: 'general', toQueue: 'billing', fromStatus: 'queued', toStatus: 'queued' };
    expect(queuesTouchedBy(assigned(moved))).toEqual([{ queueId: 'general' }, { teamId: 'desk' }, { queueId: 'billing' }, { teamId: 'desk' }]);
  });
  it('treats an event written before statuses were recorded as touching both', () => {
    expect(queuesTouchedBy(assigned(base))).toEqual([{ queueId: 'general' }, { teamId: 'desk' }]);
  });
});
