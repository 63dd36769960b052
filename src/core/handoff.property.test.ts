/**
 * Invariants of the product over random workspaces, rulesets and event sequences: every
 * handed-off conversation has an owner or a place to wait; automatic assignment only goes to an
 * eligible agent; applying plans one after another never exceeds anyone's capacity.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssignmentBehaviour, Availability, Priority, Strategy, Trigger } from '../contract/common.js';
import type { Condition } from '../contract/conditions.js';
import type { Destination } from '../contract/config.js';
import type { HandoffTrace } from '../contract/trace.js';
import { decideHandoff } from './handoff.js';
import type { AgentState } from './model.js';
import { isOpenAt } from './schedule/schedule.js';
import { aContact, aConversation, aWorkspace } from './testing/factories.js';

const START = Date.parse('2026-11-23T07:00:00Z'); // Monday, before opening
const SKILLS = ['lang:es', 'lang:en', 'product:billing'] as const;
const TRIGGERS: Trigger[] = ['customer_requested_human', 'unsupported_topic', 'intent_or_keyword', 'workflow_flag', 'negative_sentiment', 'sla_breach', 'no_assistant'];
const STRATEGIES: Strategy[] = ['round_robin', 'least_busy', 'manual'];
const BEHAVIOURS: AssignmentBehaviour[] = ['keep_owner_and_alert', 'reassign', 'unassign_to_queue'];
const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];
const STATUSES: Availability[] = ['available', 'away', 'offline'];

const userSpec = fc.record({
  skills: fc.subarray([...SKILLS]),
  cap: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  schedule: fc.constantFrom(undefined, 'office', 'always'),
  status: fc.constantFrom(...STATUSES),
});
const teamSpec = fc.record({
  members: fc.array(fc.nat(7), { maxLength: 5 }),
  strategy: fc.constantFrom(...STRATEGIES),
  sticky: fc.boolean(),
});
const queueSpec = fc.record({
  team: fc.option(fc.nat(2), { nil: undefined }),
  strategy: fc.option(fc.constantFrom(...STRATEGIES), { nil: undefined }),
  requiredSkills: fc.subarray([...SKILLS], { maxLength: 2 }),
  schedule: fc.constantFrom(undefined, 'office'),
  sla: fc.boolean(),
  outOfHours: fc.constantFrom<'none' | 'inform' | 'route' | 'route-when'>('none', 'inform', 'route', 'route-when'),
  outOfHoursTeam: fc.nat(2),
});
const destinationSpec = fc.oneof(
  fc.record({ kind: fc.constant('queue' as const), i: fc.nat(2) }),
  fc.record({ kind: fc.constant('team' as const), i: fc.nat(2) }),
  fc.record({ kind: fc.constant('user' as const), i: fc.nat(8) }), // 8 → contact_owner
);
const conditionSpec = fc.constantFrom<Condition | undefined>(
  undefined,
  { language: { eq: 'es' } },
  { priority: { in: ['high', 'urgent'] } },
  { 'contact.plan': { eq: 'enterprise' } },
  { not: { 'contact.owner': { exists: true } } },
);
const ruleSpec = fc.record({
  when: fc.option(fc.subarray(TRIGGERS, { minLength: 1 }), { nil: undefined }),
  if: conditionSpec,
  destination: destinationSpec,
  assignment: fc.constantFrom(...BEHAVIOURS),
  setPriority: fc.option(fc.constantFrom(...PRIORITIES), { nil: undefined }),
});
const worldSpec = fc.record({
  users: fc.array(userSpec, { minLength: 1, maxLength: 8 }),
  teams: fc.array(teamSpec, { minLength: 1, maxLength: 3 }),
  queues: fc.array(queueSpec, { minLength: 1, maxLength: 3 }),
  rules: fc.array(ruleSpec, { maxLength: 4 }),
  fallback: fc.record({ destination: destinationSpec, assignment: fc.constantFrom(...BEHAVIOURS) }),
  defaultRoute: destinationSpec,
});

const eventSpec = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('handoff' as const),
      conversation: fc.nat(9),
      trigger: fc.constantFrom(...TRIGGERS),
      language: fc.constantFrom(null, 'es', 'en'),
      priority: fc.constantFrom(...PRIORITIES),
      plan: fc.constantFrom('enterprise', 'basic'),
      contactOwner: fc.option(fc.nat(7), { nil: null }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resolve' as const), conversation: fc.nat(9) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('status' as const), user: fc.nat(7), status: fc.constantFrom(...STATUSES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('time' as const), minutes: fc.integer({ min: 1, max: 12 * 60 }) }) },
);

type WorldSpec = typeof worldSpec extends fc.Arbitrary<infer T> ? T : never;
type DestinationSpec = typeof destinationSpec extends fc.Arbitrary<infer T> ? T : never;

function buildWorld(spec: WorldSpec) {
  const userIds = spec.users.map((_, i) => `u${i}`);
  const teamIds = spec.teams.map((_, i) => `t${i}`);
  const queueIds = spec.queues.map((_, i) => `q${i}`);
  const destination = (d: DestinationSpec): Destination => {
    if (d.kind === 'queue') return { queue: queueIds[d.i % queueIds.length]! };
    if (d.kind === 'team') return { team: teamIds[d.i % teamIds.length]! };
    return { user: d.i >= userIds.length ? 'contact_owner' : userIds[d.i]! };
  };

  let builder = aWorkspace()
    .withSchedule('office', { 'mon-fri': ['09:00-18:00'] })
    .withSchedule('always', { 'mon-sun': ['00:00-24:00'] });
  spec.teams.forEach((team, i) => {
    builder = builder.withTeam(teamIds[i]!, {
      strategy: team.strategy,
      sticky: team.sticky,
      members: [...new Set(team.members.filter((m) => m < userIds.length).map((m) => userIds[m]!))],
    });
  });
  spec.users.forEach((user, i) => {
    builder = builder.withAgent(userIds[i]!, {
      skills: user.skills,
      capacity: user.cap === undefined ? {} : { chat: user.cap },
      ...(user.schedule === undefined ? {} : { schedule: user.schedule }),
      status: user.status,
    });
  });
  spec.queues.forEach((queue, i) => {
    const outOfHours =
      queue.outOfHours === 'none'
        ? undefined
        : queue.outOfHours === 'inform'
          ? { action: 'queue_and_inform' as const }
          : {
              action: 'route' as const,
              to: { team: teamIds[queue.outOfHoursTeam % teamIds.length]! },
              ...(queue.outOfHours === 'route-when' ? { when: { priority: { in: ['high', 'urgent'] } } } : {}),
            };
    builder = builder.withQueue(queueIds[i]!, {
      ...(queue.team === undefined ? {} : { team: teamIds[queue.team % teamIds.length]! }),
      ...(queue.strategy === undefined ? {} : { strategy: queue.strategy }),
      requiredSkills: queue.requiredSkills,
      ...(queue.schedule === undefined ? {} : { schedule: queue.schedule }),
      ...(queue.sla ? { sla: { firstResponse: '5m' } } : {}),
      ...(outOfHours === undefined ? {} : { outOfHours }),
    });
  });
  spec.rules.forEach((rule, i) => {
    builder = builder.withRule(`r${i}`, {
      ...(rule.when === undefined ? {} : { when: rule.when }),
      ...(rule.if === undefined ? {} : { if: rule.if }),
      then: {
        destination: destination(rule.destination),
        assignment: rule.assignment,
        ...(rule.setPriority === undefined ? {} : { set: { priority: rule.setPriority } }),
      },
    });
  });
  builder = builder
    .withChannel('web-chat', { type: 'chat', defaultRoute: destination(spec.defaultRoute) })
    .withFallback({ destination: destination(spec.fallback.destination), assignment: spec.fallback.assignment });
  return { world: builder.build(), userIds };
}

interface ConversationState {
  ownerId: string | null;
  previousOwnerId: string | null;
  teamId: string | null;
  queueId: string | null;
  status: 'bot' | 'queued' | 'assigned' | 'resolved';
}

describe('handoff invariants', () => {
  it('never orphans a conversation, never assigns an ineligible agent, never exceeds capacity', () => {
    fc.assert(
      fc.property(worldSpec, fc.array(eventSpec, { minLength: 1, maxLength: 40 }), (spec, events) => {
        const { world, userIds } = buildWorld(spec);
        const { workspace } = world;
        const ruleset = world.ruleset();
        const agents = new Map<string, AgentState>(world.agents);
        const conversations = new Map<number, ConversationState>();
        let now = START;

        const load = (id: string) => agents.get(id)?.load.chat ?? 0;
        const adjustLoad = (id: string, delta: number) => {
          const state = agents.get(id);
          if (state !== undefined) agents.set(id, { ...state, load: { ...state.load, chat: (state.load.chat ?? 0) + delta } });
        };

        for (const event of events) {
          if (event.kind === 'time') {
            now += event.minutes * 60_000;
            continue;
          }
          if (event.kind === 'status') {
            const id = userIds[event.user % userIds.length]!;
            agents.set(id, { ...agents.get(id)!, status: event.status });
            continue;
          }
          const conversation = conversations.get(event.conversation) ?? {
            ownerId: null,
            previousOwnerId: null,
            teamId: null,
            queueId: null,
            status: 'bot',
          };
          if (event.kind === 'resolve') {
            if (conversation.ownerId !== null) adjustLoad(conversation.ownerId, -1);
            conversations.set(event.conversation, {
              ...conversation,
              previousOwnerId: conversation.ownerId ?? conversation.previousOwnerId,
              ownerId: null,
              status: 'resolved',
            });
            continue;
          }

          const before = new Map(agents);
          const plan: HandoffTrace | null = decideHandoff({
            now,
            trigger: event.trigger,
            workspace,
            ruleset,
            conversation: aConversation({
              id: `c${event.conversation}`,
              status: conversation.status,
              ownerId: conversation.ownerId,
              teamId: conversation.teamId,
              queueId: conversation.queueId,
              previousOwnerId: conversation.previousOwnerId,
              language: event.language,
              priority: event.priority,
            }),
            contact: aContact({
              ownerId: event.contactOwner === null ? null : (userIds[event.contactOwner % userIds.length] ?? null),
              properties: { plan: event.plan },
            }),
            messageText: 'help',
            agents,
            queueStats: () => ({ waiting: 0, recentFirstResponseSeconds: null }),
            soft: event.trigger === 'intent_or_keyword' || event.trigger === 'negative_sentiment',
          });
          if (plan === null) continue;

          // An owner, or a place to wait.
          if (plan.outcome === 'queued') {
            expect(plan.assignee).toBeNull();
            expect(plan.queue !== null || plan.team !== null).toBe(true);
          } else {
            expect(plan.assignee).not.toBeNull();
          }

          if (plan.outcome === 'kept_owner') {
            expect(plan.assignee).toBe(conversation.ownerId);
          }

          if (plan.outcome === 'assigned') {
            const assignee = plan.assignee!;
            const user = workspace.users.get(assignee)!;
            const state = before.get(assignee)!;
            // Only an eligible agent is picked automatically.
            expect(state.status).toBe('available');
            if (user.scheduleId !== null) expect(isOpenAt(workspace.schedules.get(user.scheduleId)!, now)).toBe(true);
            const cap = user.capacity.chat;
            const wasOwner = conversation.ownerId === assignee;
            if (cap !== undefined && !wasOwner) expect(state.load.chat ?? 0).toBeLessThan(cap);
            if ('queue' in plan.destination) {
              for (const skill of workspace.queues.get(plan.destination.queue)!.requiredSkills) {
                expect(user.skills.has(skill)).toBe(true);
              }
            }
            expect(plan.candidates.find((c) => c.user === assignee)?.eligible).toBe(true);
          }

          // Apply the plan as the one writer would.
          if (plan.outcome === 'assigned') {
            const assignee = plan.assignee!;
            if (conversation.ownerId !== assignee) {
              if (conversation.ownerId !== null) adjustLoad(conversation.ownerId, -1);
              adjustLoad(assignee, +1);
            }
            agents.set(assignee, { ...agents.get(assignee)!, lastAssignedAt: now });
            conversations.set(event.conversation, { ...conversation, ownerId: assignee, teamId: plan.team, queueId: plan.queue, status: 'assigned' });
          } else if (plan.outcome === 'queued') {
            if (conversation.ownerId !== null) adjustLoad(conversation.ownerId, -1);
            conversations.set(event.conversation, {
              ...conversation,
              previousOwnerId: conversation.ownerId ?? conversation.previousOwnerId,
              ownerId: null,
              teamId: plan.team,
              queueId: plan.queue,
              status: 'queued',
            });
          }

          // Automatic assignment never exceeds a cap.
          for (const id of userIds) {
            const cap = workspace.users.get(id)!.capacity.chat;
            if (cap !== undefined) expect(load(id)).toBeLessThanOrEqual(cap);
            expect(load(id)).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });
});
