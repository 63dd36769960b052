import { describe, expect, it } from 'vitest';
import { aWorkspace } from '../testing/factories.js';
import { pickAgent } from './pick-agent.js';

const T = Date.parse('2026-11-25T10:00:00Z');

describe('round robin', () => {
  it('picks the eligible agent assigned longest ago', () => {
    const { workspace, agents } = aWorkspace()
      .withAgent('ana', { lastAssignedAt: T - 1_000 })
      .withAgent('bea', { lastAssignedAt: T - 60_000 })
      .withAgent('carl', { lastAssignedAt: T - 5_000 })
      .build();
    expect(pickAgent('round_robin', ['ana', 'bea', 'carl'], { workspace, agents, channelType: 'chat' })).toBe('bea');
  });

  it('gives a never-assigned agent the next conversation', () => {
    const { workspace, agents } = aWorkspace()
      .withAgent('ana', { lastAssignedAt: T - 1_000_000 })
      .withAgent('bea')
      .build();
    expect(pickAgent('round_robin', ['ana', 'bea'], { workspace, agents, channelType: 'chat' })).toBe('bea');
  });

  it('breaks ties by member order', () => {
    const { workspace, agents } = aWorkspace().withAgent('ana').withAgent('bea').withAgent('carl').build();
    expect(pickAgent('round_robin', ['carl', 'ana', 'bea'], { workspace, agents, channelType: 'chat' })).toBe('carl');
  });

  it('rotates through the team as assignments happen', () => {
    const { workspace } = aWorkspace().withAgent('ana').withAgent('bea').withAgent('carl').build();
    const agents = new Map(['ana', 'bea', 'carl'].map((id) => [id, { userId: id, status: 'available' as const, load: {}, lastAssignedAt: null as number | null }]));
    const picks: string[] = [];
    for (let i = 0; i < 6; i++) {
      const pick = pickAgent('round_robin', ['ana', 'bea', 'carl'], { workspace, agents, channelType: 'chat' });
      expect(pick).not.toBeNull();
      picks.push(pick!);
      agents.set(pick!, { ...agents.get(pick!)!, lastAssignedAt: T + i });
    }
    expect(picks).toEqual(['ana', 'bea', 'carl', 'ana', 'bea', 'carl']);
  });
});

describe('least busy', () => {
  it('picks the lowest open load relative to capacity for the channel', () => {
    const { workspace, agents } = aWorkspace()
      .withAgent('ana', { capacity: { chat: 2 }, load: { chat: 1, email: 0 } }) // 0.5
      .withAgent('bea', { capacity: { chat: 10 }, load: { chat: 3 } }) // 0.3
      .withAgent('carl', { capacity: { chat: 4 }, load: { chat: 2 } }) // 0.5
      .build();
    expect(pickAgent('least_busy', ['ana', 'bea', 'carl'], { workspace, agents, channelType: 'chat' })).toBe('bea');
  });

  it('reads the load of the conversation channel type only', () => {
    const { workspace, agents } = aWorkspace()
      .withAgent('ana', { capacity: { chat: 3, email: 10 }, load: { chat: 0, email: 9 } })
      .withAgent('bea', { capacity: { chat: 3, email: 10 }, load: { chat: 2, email: 0 } })
      .build();
    expect(pickAgent('least_busy', ['ana', 'bea'], { workspace, agents, channelType: 'chat' })).toBe('ana');
    expect(pickAgent('least_busy', ['ana', 'bea'], { workspace, agents, channelType: 'email' })).toBe('bea');
  });

  it('gives ties to whoever was assigned longest ago', () => {
    const { workspace, agents } = aWorkspace()
      .withAgent('ana', { capacity: { chat: 4 }, load: { chat: 2 }, lastAssignedAt: T - 10 })
      .withAgent('bea', { capacity: { chat: 2 }, load: { chat: 1 }, lastAssignedAt: T - 500 })
      .build();
    expect(pickAgent('least_busy', ['ana', 'bea'], { workspace, agents, channelType: 'chat' })).toBe('bea');
  });

  it('compares agents without a cap by their open count', () => {
    const { workspace, agents } = aWorkspace()
      .withAgent('ana', { load: { chat: 2 } })
      .withAgent('bea', { load: { chat: 1 } })
      .build();
    expect(pickAgent('least_busy', ['ana', 'bea'], { workspace, agents, channelType: 'chat' })).toBe('bea');
  });
});

describe('manual', () => {
  it('never picks: agents claim from the queue', () => {
    const { workspace, agents } = aWorkspace().withAgent('ana').build();
    expect(pickAgent('manual', ['ana'], { workspace, agents, channelType: 'chat' })).toBeNull();
  });
});

it('picks nobody when nobody is eligible', () => {
  const { workspace, agents } = aWorkspace().withAgent('ana').build();
  expect(pickAgent('round_robin', [], { workspace, agents, channelType: 'chat' })).toBeNull();
  expect(pickAgent('least_busy', [], { workspace, agents, channelType: 'chat' })).toBeNull();
});
