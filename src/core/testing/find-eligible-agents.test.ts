import { describe, expect, it } from 'vitest';
import { aWorkspace, withAgentState } from './factories.js';
import { findEligibleAgents } from './find-eligible-agents.js';

const WEDNESDAY_MORNING = Date.parse('2026-11-25T10:30:00Z');
const WEDNESDAY_NIGHT = Date.parse('2026-11-25T22:00:00Z');

function world() {
  return aWorkspace()
    .withSchedule('office', { 'mon-fri': ['09:00-18:00'] })
    .withQueue('es-support', { team: 'billing', requiredSkills: ['lang:es'] })
    .withAgent('ana', { skills: ['lang:es'], capacity: { chat: 3 }, teams: ['billing'] })
    .withAgent('bea', { skills: ['lang:es'], status: 'away', teams: ['billing'] })
    .withAgent('carl', { skills: ['lang:es'], status: 'offline', teams: ['billing'] })
    .withAgent('dora', { skills: ['lang:es'], schedule: 'office', teams: ['billing'] })
    .withAgent('eli', { skills: ['lang:en'], teams: ['billing'] })
    .withAgent('fay', { skills: ['lang:es'], capacity: { chat: 3 }, load: { chat: 3 }, teams: ['billing'] })
    .build();
}

describe('findEligibleAgents', () => {
  const members = ['ana', 'bea', 'carl', 'dora', 'eli', 'fay'];

  it('says why each agent of the queue can or cannot take the conversation', () => {
    const { workspace, agents } = world();
    const result = findEligibleAgents(members, {
      workspace,
      agents,
      now: WEDNESDAY_NIGHT,
      channelType: 'chat',
      requiredSkills: ['lang:es'],
    });
    expect(result.eligible).toEqual(['ana']);
    expect(Object.fromEntries(result.candidates.map((c) => [c.user, c.reason]))).toEqual({
      ana: null,
      bea: 'away',
      carl: 'offline',
      dora: 'off duty (schedule office)',
      eli: 'missing skill lang:es',
      fay: 'at capacity 3/3',
    });
    expect(result.candidates.find((c) => c.user === 'fay')).toMatchObject({ eligible: false, load: 3, capacity: 3 });
    expect(result.candidates.find((c) => c.user === 'dora')).toMatchObject({ load: 0, capacity: null });
  });

  it('counts an agent with a schedule as on duty inside its hours', () => {
    const { workspace, agents } = world();
    const result = findEligibleAgents(['dora'], {
      workspace,
      agents,
      now: WEDNESDAY_MORNING,
      channelType: 'chat',
      requiredSkills: ['lang:es'],
    });
    expect(result.eligible).toEqual(['dora']);
  });

  it('caps only the channel type that has a capacity', () => {
    const { workspace, agents } = world();
    const loaded = withAgentState(agents, 'fay', { load: { chat: 3, email: 40 } });
    const email = findEligibleAgents(['fay'], { workspace, agents: loaded, now: WEDNESDAY_MORNING, channelType: 'email', requiredSkills: [] });
    expect(email.eligible).toEqual(['fay']);
    expect(email.candidates[0]).toMatchObject({ load: 40, capacity: null });
  });

  it('treats a capacity of zero as never taking conversations automatically', () => {
    const { workspace, agents } = aWorkspace().withAgent('zed', { capacity: { chat: 0 } }).build();
    const result = findEligibleAgents(['zed'], { workspace, agents, now: WEDNESDAY_MORNING, channelType: 'chat', requiredSkills: [] });
    expect(result.candidates[0]?.reason).toBe('at capacity 0/0');
  });

  it('counts staffed agents whatever their load, for the wait estimate', () => {
    const { workspace, agents } = world();
    const result = findEligibleAgents(members, { workspace, agents, now: WEDNESDAY_MORNING, channelType: 'chat', requiredSkills: ['lang:es'] });
    // ana, dora (on duty in the morning) and fay (at capacity but working)
    expect(result.eligible).toEqual(['ana', 'dora']);
    expect(result.staffed).toBe(3);
  });

  it('does not crash on a user id the workspace does not know, nor on an agent without live state', () => {
    const { workspace, agents } = world();
    const withoutAna = new Map(agents);
    withoutAna.delete('ana');
    const result = findEligibleAgents(['ghost', 'ana'], { workspace, agents: withoutAna, now: WEDNESDAY_MORNING, channelType: 'chat', requiredSkills: [] });
    expect(result.eligible).toEqual([]);
    expect(result.candidates.map((c) => c.reason)).toEqual(['unknown user', 'offline']);
  });
});
