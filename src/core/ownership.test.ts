import { describe, expect, it } from 'vitest';
import { allowedActions, decideOwnership, explainRefusal, type OwnershipFacts } from './ownership.js';

const billing = { id: 'billing', members: ['ana', 'maria'], leads: ['lee'] };
const held: OwnershipFacts = { ownerId: 'ana', status: 'assigned', team: billing };
const agent = (userId: string) => ({ userId, isAdmin: false });
const names = { user: (id: string) => ({ ana: 'Ana García' })[id] ?? id, team: () => 'Billing' };

describe('the ownership policy', () => {
  it('lets the holder act and offers everyone else who may a take over, never a claim', () => {
    expect(allowedActions(held, agent('ana'))).toEqual(['release', 'handback', 'resolve', 'transfer']);
    expect(allowedActions(held, agent('maria'))).toEqual(['take_over']);
    expect(allowedActions(held, agent('ken'))).toEqual([]);
    expect(allowedActions(held, agent('lee'))).toEqual(['take_over', 'release', 'handback', 'resolve', 'transfer']);
    expect(allowedActions(held, { userId: 'olu', isAdmin: true })).toEqual(['take_over', 'release', 'handback', 'resolve', 'transfer']);
  });

  it('lets anyone act on a conversation nobody holds', () => {
    expect(allowedActions({ ...held, ownerId: null, status: 'queued' }, agent('ken'))).toEqual(['claim', 'handback', 'resolve', 'transfer']);
  });

  it('only admins take over a conversation with no team', () => {
    const teamless = { ...held, team: null };
    expect(decideOwnership(teamless, agent('maria'), 'take_over')).toEqual({ allowed: false, why: 'not_in_team', holderId: 'ana', teamId: null });
    expect(decideOwnership(teamless, { userId: null, isAdmin: true }, 'take_over').allowed).toBe(true);
  });

  it('says why in words, with names', () => {
    const teammate = decideOwnership(held, agent('maria'), 'resolve');
    const stranger = decideOwnership(held, agent('ken'), 'take_over');
    if (teammate.allowed || stranger.allowed) throw new Error('expected refusals');
    expect(explainRefusal(teammate, 'resolve', names)).toBe('Ana García is handling this conversation. Take it over to resolve it.');
    expect(explainRefusal(stranger, 'take_over', names)).toBe("Only members of Billing, its leads and admins can take over Ana García's conversation.");
    const other = decideOwnership(held, agent('ken'), 'release');
    if (other.allowed) throw new Error('expected a refusal');
    expect(explainRefusal(other, 'release', names)).toBe('Ana García is handling this conversation, so you cannot release it.');
  });
});
