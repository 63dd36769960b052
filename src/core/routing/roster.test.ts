/**
 * A roster (static facts of a place's people, resolved once) must give exactly what the plain
 * `findEligibleAgents` gives: same eligible list, same candidate traces in the same order, same
 * staffed count — over random workspaces, live states, instants and exclusions, and over a
 * sequence of decisions on one roster, since it hands out remembered trace objects. And the
 * agent `pickInRoster` picks from it is the one `pickAgent` picks from the plain list.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Availability, ChannelType, Strategy } from '../../contract/common.js';
import type { AgentState } from '../model.js';
import { aWorkspace } from '../testing/factories.js';
import { rosterFor } from '../workspace.js';
import { AgentStates } from './agent-states.js';
import { findEligibleAgents } from '../testing/find-eligible-agents.js';
import { pickAgent } from './pick-agent.js';
import { buildRoster, eligibleInRoster, pickInRoster, type EligibilityContext } from './roster.js';

const SKILLS = ['lang:es', 'lang:en', 'tier2'] as const;
const STATUSES: Availability[] = ['available', 'away', 'offline'];
const CHANNEL_TYPES: ChannelType[] = ['chat', 'email', 'in_app', 'api'];
const STRATEGIES: Strategy[] = ['round_robin', 'least_busy', 'manual'];
const MONDAY = Date.parse('2026-11-23T00:00:00Z');

const userSpec = fc.record({
  skills: fc.subarray([...SKILLS]),
  chatCap: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  emailCap: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  schedule: fc.constantFrom(undefined, 'office', 'evening', 'always'),
});
const stateSpec = fc.option(
  fc.record({
    status: fc.constantFrom(...STATUSES),
    chat: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    email: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    // Few distinct instants, so that pick's ties by last assignment happen.
    lastAssignedAt: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
  }),
  { nil: undefined },
);
const decisionSpec = fc.record({
  states: fc.array(stateSpec, { minLength: 6, maxLength: 6 }),
  channelType: fc.constantFrom(...CHANNEL_TYPES),
  // Two weeks of minutes: the schedules open and close.
  minute: fc.integer({ min: 0, max: 14 * 24 * 60 }),
  exclude: fc.option(fc.subarray([0, 1, 2, 3, 4, 5, 6]), { nil: undefined }),
});

type UserSpec = typeof userSpec extends fc.Arbitrary<infer T> ? T : never;
type DecisionSpec = typeof decisionSpec extends fc.Arbitrary<infer T> ? T : never;

function workspaceOf(users: readonly UserSpec[]) {
  let builder = aWorkspace()
    .withSchedule('office', { 'mon-fri': ['09:00-18:00'] }, { timezone: 'Europe/Madrid' })
    .withSchedule('evening', { 'mon-sun': ['18:00-02:00'] }, { timezone: 'America/New_York' })
    .withSchedule('always', { 'mon-sun': ['00:00-24:00'] });
  users.forEach((user, i) => {
    const capacity: Partial<Record<ChannelType, number>> = {};
    if (user.chatCap !== undefined) capacity.chat = user.chatCap;
    if (user.emailCap !== undefined) capacity.email = user.emailCap;
    builder = builder.withAgent(`u${i}`, {
      skills: user.skills,
      capacity,
      ...(user.schedule === undefined ? {} : { schedule: user.schedule }),
    });
  });
  return builder.build().workspace;
}

/** The decision's live states as a plain map, and its eligibility context around `agents`. */
function contextOf(
  workspace: EligibilityContext['workspace'],
  decision: DecisionSpec,
  requiredSkills: readonly string[],
  agents = new Map<string, AgentState>(),
): EligibilityContext & { agents: Map<string, AgentState> } {
  decision.states.forEach((state, i) => {
    if (state === undefined) return;
    const load: Partial<Record<ChannelType, number>> = {};
    if (state.chat !== undefined) load.chat = state.chat;
    if (state.email !== undefined) load.email = state.email;
    agents.set(`u${i}`, { userId: `u${i}`, status: state.status, load, lastAssignedAt: state.lastAssignedAt });
  });
  return {
    workspace,
    agents,
    now: MONDAY + decision.minute * 60_000,
    channelType: decision.channelType,
    requiredSkills,
    ...(decision.exclude === undefined
      ? {}
      : { exclude: { userIds: new Set(decision.exclude.map((i) => `u${i}`)), reason: 'did not answer in time' } }),
  };
}

describe('eligibleInRoster (property)', () => {
  it('gives what findEligibleAgents gives, decision after decision on one roster', () => {
    fc.assert(
      fc.property(
        fc.array(userSpec, { minLength: 1, maxLength: 6 }),
        // Candidate ids: known users, an unknown id (6), duplicates.
        fc.array(fc.nat(6), { maxLength: 10 }),
        fc.subarray([...SKILLS], { maxLength: 2 }),
        fc.array(decisionSpec, { minLength: 1, maxLength: 6 }),
        (users, picks, requiredSkills, decisions) => {
          const workspace = workspaceOf(users);
          const ids = picks.map((pick) => `u${pick}`);
          const roster = buildRoster(workspace, ids, requiredSkills);
          // Laid out by slot and brought from one decision's states to the next by set/delete,
          // as decide-and-record-handoff's retry and the simulator's overrides change one.
          const dense = new AgentStates(workspace);
          for (const decision of decisions) {
            const ctx = contextOf(workspace, decision, requiredSkills);
            const agents = ctx.agents;
            // Reads loads of the decision's channel type before the update, so `set` must keep them.
            dense.loads(decision.channelType);
            for (const id of [...dense.keys()]) if (!agents.has(id)) dense.delete(id);
            for (const [id, state] of agents) dense.set(id, state);
            const plain = findEligibleAgents(ids, ctx);
            for (const states of [agents, dense]) {
              const fast = eligibleInRoster(roster, { ...ctx, agents: states });
              expect(fast.eligible).toEqual(plain.eligible);
              expect(fast.staffed).toBe(plain.staffed);
              expect(fast.candidates).toEqual(plain.candidates);
              // Same keys in the same order: the stored trace's JSON is byte for byte the same.
              expect(JSON.stringify(fast.candidates)).toBe(JSON.stringify(plain.candidates));
              for (const strategy of STRATEGIES) {
                const pickContext = { workspace, agents: states, channelType: decision.channelType };
                expect(pickInRoster(strategy, roster, fast, pickContext)).toBe(
                  pickAgent(strategy, plain.eligible, { workspace, agents, channelType: decision.channelType }),
                );
              }
            }
          }
        },
      ),
      { seed: 20_261_126, numRuns: 200 },
    );
  });

  /**
   * Each call works in its own scratch state (`Roster.spare`): a call started while another runs
   * on the same roster — here from the live states' `get` — leaves the outer call's eligible
   * positions and schedule answers alone, and both give what `findEligibleAgents` gives.
   */
  it('gives each call its own scratch state, also for a call started inside another', () => {
    class ReentrantStates extends Map<string, AgentState> {
      onGet: ((id: string) => void) | null = null;
      override get(id: string): AgentState | undefined {
        this.onGet?.(id);
        return super.get(id);
      }
    }
    fc.assert(
      fc.property(
        fc.array(userSpec, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(6), { minLength: 1, maxLength: 10 }),
        fc.subarray([...SKILLS], { maxLength: 2 }),
        decisionSpec,
        decisionSpec,
        (users, picks, requiredSkills, outerDecision, innerDecision) => {
          const workspace = workspaceOf(users);
          const ids = picks.map((pick) => `u${pick}`);
          const roster = buildRoster(workspace, ids, requiredSkills);
          const outer = contextOf(workspace, outerDecision, requiredSkills, new ReentrantStates());
          const inner = contextOf(workspace, innerDecision, requiredSkills);
          const expectedOuter = findEligibleAgents(ids, outer);
          const expectedInner = findEligibleAgents(ids, inner);
          const innerResults: unknown[] = [];
          (outer.agents as ReentrantStates).onGet = () => {
            const result = eligibleInRoster(roster, inner);
            innerResults.push({ eligible: result.eligible, candidates: result.candidates, staffed: result.staffed });
          };
          const result = eligibleInRoster(roster, outer);
          expect({ eligible: result.eligible, candidates: result.candidates, staffed: result.staffed }).toEqual(expectedOuter);
          for (const innerResult of innerResults) expect(innerResult).toEqual(expectedInner);
        },
      ),
      { seed: 20_261_207, numRuns: 200 },
    );
  });

  it('picks whom pickAgent picks among many eligible agents, ties included', () => {
    const pickSpec = fc.record({
      cap: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
      load: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
      lastAssignedAt: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(pickSpec, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(5), { maxLength: 8 }),
        fc.constantFrom(...CHANNEL_TYPES),
        (specs, picks, channelType) => {
          let builder = aWorkspace();
          specs.forEach((spec, i) => {
            builder = builder.withAgent(`u${i}`, { capacity: spec.cap === undefined ? {} : { chat: spec.cap, email: spec.cap } });
          });
          const { workspace } = builder.build();
          const agents = new AgentStates(workspace);
          specs.forEach((spec, i) => {
            agents.set(`u${i}`, {
              userId: `u${i}`,
              status: 'available',
              load: spec.load === undefined ? {} : { chat: spec.load, email: spec.load },
              lastAssignedAt: spec.lastAssignedAt,
            });
          });
          const ids = picks.filter((pick) => pick < specs.length).map((pick) => `u${pick}`);
          const roster = buildRoster(workspace, ids, []);
          const result = eligibleInRoster(roster, { workspace, agents, now: MONDAY, channelType, requiredSkills: [] });
          const plainAgents = new Map(agents);
          for (const strategy of STRATEGIES) {
            expect(pickInRoster(strategy, roster, result, { workspace, agents, channelType })).toBe(
              pickAgent(strategy, result.eligible, { workspace, agents: plainAgents, channelType }),
            );
          }
        },
      ),
      { seed: 20_261_126, numRuns: 300 },
    );
  });

  it('is found by the candidate list and required skills, once per workspace', () => {
    const { workspace } = aWorkspace()
      .withQueue('es', { team: 'billing', requiredSkills: ['lang:es'] })
      .withAgent('ana', { skills: ['lang:es'], teams: ['billing'] })
      .build();
    const members = ['ana'];
    const skills = ['lang:es'];
    expect(rosterFor(workspace, members, skills)).toBe(rosterFor(workspace, members, skills));
    expect(rosterFor(workspace, members, skills)).not.toBe(rosterFor(workspace, members, []));
  });
});
