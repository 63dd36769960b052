/**
 * The ownership policy over random desks: what the app is offered (`allowedActions`) is exactly
 * what the services would allow (`decideOwnership`) where the action applies, and the promises of
 * ownership hold for every viewer — a held conversation is never claimed from its holder, only
 * its team, leads and admins take it over, and nobody else acts on it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConversationStatus } from '../contract/common.js';
import { allowedActions, decideOwnership, isApplicable, OWNERSHIP_ACTIONS, type OwnershipFacts, type OwnershipViewer } from './ownership.js';

const PEOPLE = ['ana', 'maria', 'ken', 'lee', 'olu'];
const person = fc.constantFrom(...PEOPLE);
const facts: fc.Arbitrary<OwnershipFacts> = fc.record({
  ownerId: fc.option(person, { nil: null }),
  status: fc.constantFrom(...ConversationStatus.options),
  team: fc.option(
    fc.record({ id: fc.constant('billing'), members: fc.subarray(PEOPLE), leads: fc.subarray(PEOPLE) }),
    { nil: null },
  ),
});
const viewer: fc.Arbitrary<OwnershipViewer> = fc.record({ userId: fc.option(person, { nil: null }), isAdmin: fc.boolean() });

describe('the ownership policy, for any desk and viewer', () => {
  it('offers exactly the applicable actions the services allow', () => {
    fc.assert(
      fc.property(facts, viewer, (f, v) => {
        const offered = allowedActions(f, v);
        for (const action of OWNERSHIP_ACTIONS) {
          expect(offered.includes(action)).toBe(isApplicable(f, action) && decideOwnership(f, v, action).allowed);
        }
      }),
    );
  });

  it('never lets a claim displace the holder, and lets only the team, its leads and admins take over', () => {
    fc.assert(
      fc.property(facts, viewer, (f, v) => {
        const holder = f.ownerId;
        if (holder === null || holder === v.userId) return;
        expect(decideOwnership(f, v, 'claim').allowed).toBe(false);
        const inTeam = v.userId !== null && f.team !== null && (f.team.members.includes(v.userId) || f.team.leads.includes(v.userId));
        expect(decideOwnership(f, v, 'take_over').allowed).toBe(v.isAdmin || inTeam);
        const lead = v.userId !== null && f.team !== null && f.team.leads.includes(v.userId);
        for (const action of ['release', 'handback', 'resolve', 'transfer'] as const) {
          expect(decideOwnership(f, v, action).allowed).toBe(v.isAdmin || lead);
        }
      }),
    );
  });
});
