import { describe, expect, it } from 'vitest';
import type { Trigger } from '../contract/common.js';
import { HandoffTrace } from '../contract/trace.js';
import { decideHandoff, type HandoffInput } from './handoff.js';
import type { AgentState, ContactFacts, ConversationFacts } from './model.js';
import { aContact, aConversation, aWorkspace, statsOf, withAgentState, type BuiltWorkspace } from './testing/factories.js';

const MORNING = Date.parse('2026-11-25T10:30:00Z'); // a Wednesday
const NIGHT = Date.parse('2026-11-25T22:00:00Z');
const THURSDAY_OPENING = Date.parse('2026-11-26T09:00:00Z');

interface Decide {
  world: BuiltWorkspace;
  now?: number;
  trigger?: Trigger;
  conversation?: Partial<ConversationFacts>;
  contact?: Partial<ContactFacts>;
  agents?: ReadonlyMap<string, AgentState>;
  stats?: Parameters<typeof statsOf>[0];
  soft?: boolean;
  messageText?: string;
  exclude?: HandoffInput['exclude'];
}

function decide(args: Decide): HandoffTrace {
  const plan = tryDecide(args);
  if (plan === null) throw new Error('expected a handoff');
  return plan;
}

function tryDecide(args: Decide): HandoffTrace | null {
  const input: HandoffInput = {
    now: args.now ?? MORNING,
    trigger: args.trigger ?? 'customer_requested_human',
    workspace: args.world.workspace,
    ruleset: args.world.ruleset(),
    conversation: aConversation(args.conversation),
    contact: aContact(args.contact),
    messageText: args.messageText ?? 'I want to talk to a human',
    agents: args.agents ?? args.world.agents,
    queueStats: statsOf(args.stats),
    soft: args.soft,
    ...(args.exclude === undefined ? {} : { exclude: args.exclude }),
  };
  const plan = decideHandoff(input);
  // Every plan is a valid stored handoff record.
  if (plan !== null) expect(HandoffTrace.safeParse(plan).error?.issues ?? []).toEqual([]);
  return plan;
}

/** The Spanish desk of docs/configuration.md, with people in every state. */
function spanishDesk(strategy: 'round_robin' | 'least_busy' | 'manual' = 'round_robin') {
  return aWorkspace()
    .withSchedule('office', { 'mon-fri': ['09:00-18:00'] })
    .withTeam('billing', { strategy, leads: ['olu'] })
    .withTeam('oncall', { strategy: 'round_robin' })
    .withAgent('ana', { skills: ['lang:es'], capacity: { chat: 3 }, teams: ['billing'], lastAssignedAt: MORNING - 60_000 })
    .withAgent('bea', { skills: ['lang:es'], capacity: { chat: 3 }, teams: ['billing'], lastAssignedAt: MORNING - 600_000 })
    .withAgent('eli', { skills: ['lang:en'], teams: ['billing'] })
    .withAgent('olu', { skills: ['lang:en'], teams: ['oncall'] })
    .withQueue('es-support', { team: 'billing', requiredSkills: ['lang:es'], sla: { firstResponse: '5m' }, overflow: { after: '15m', to: 'general' } })
    .withQueue('general', { team: 'billing' });
}

describe('routing to a queue', () => {
  it("assigns the queue's next agent in rotation and explains why", () => {
    const world = spanishDesk()
      .withRule('spanish', { when: ['customer_requested_human'], if: { language: { eq: 'es' } }, then: { destination: { queue: 'es-support' }, assignment: 'unassign_to_queue' } })
      .build();
    const plan = decide({ world, conversation: { language: 'es' } });
    expect(plan).toMatchObject({
      trigger: 'customer_requested_human',
      rule: 'spanish',
      ruleVersion: 1,
      destination: { queue: 'es-support' },
      assignment: 'unassign_to_queue',
      outcome: 'assigned',
      assignee: 'bea', // assigned longest ago
      queue: 'es-support',
      team: 'billing',
      strategy: 'round_robin',
      sticky: false,
      expectedWaitSeconds: 0,
      queuePosition: null,
      outOfHours: false,
      decidedAt: '2026-11-25T10:30:00.000Z',
    });
    expect(plan.candidates.map((c) => [c.user, c.reason])).toEqual([
      ['ana', null],
      ['bea', null],
      ['eli', 'missing skill lang:es'],
    ]);
    expect(plan.notifications).toEqual([{ channel: 'in_app', recipients: ['bea'], reason: 'assigned' }]);
    // The first human reply is still owed: the SLA clock starts at handoff (CW #8477).
    expect(plan.timers).toEqual([{ kind: 'sla.first_response', dueAt: '2026-11-25T10:35:00.000Z', queue: 'es-support' }]);
  });

  it('keeps the conversation queued when nobody is eligible, and alerts every member so somebody hears', () => {
    const world = spanishDesk()
      .withRule('spanish', { then: { destination: { queue: 'es-support' }, assignment: 'unassign_to_queue', notify: ['in_app', 'email'] } })
      .build();
    let agents = withAgentState(world.agents, 'ana', { status: 'away' });
    agents = withAgentState(agents, 'bea', { load: { chat: 3 } });
    const plan = decide({ world, agents, stats: { 'es-support': { waiting: 3, recentFirstResponseSeconds: 120 } } });
    expect(plan).toMatchObject({ outcome: 'queued', assignee: null, queue: 'es-support', team: 'billing', queuePosition: 4 });
    // e = 1 (bea is staffed, only at capacity): ceil(4 / 1) × 120
    expect(plan.expectedWaitSeconds).toBe(480);
    expect(plan.notifications).toEqual([
      { channel: 'in_app', recipients: ['ana', 'bea', 'eli'], reason: 'queued' },
      { channel: 'email', recipients: ['ana', 'bea', 'eli'], reason: 'queued' },
    ]);
    expect(plan.timers).toEqual([
      { kind: 'sla.first_response', dueAt: '2026-11-25T10:35:00.000Z', queue: 'es-support' },
      { kind: 'queue.overflow', dueAt: '2026-11-25T10:45:00.000Z', queue: 'es-support' },
    ]);
    expect(plan.routingNotes.join(' ')).toMatch(/nobody in queue es-support is eligible/);
  });

  it('never assigns automatically on a manual queue: the eligible members are told it waits for a claim', () => {
    const world = spanishDesk('manual').withRule('spanish', { then: { destination: { queue: 'es-support' }, assignment: 'unassign_to_queue' } }).build();
    const plan = decide({ world, stats: { 'es-support': { waiting: 1 } } });
    expect(plan).toMatchObject({ outcome: 'queued', assignee: null, strategy: 'manual', queuePosition: 2 });
    expect(plan.notifications[0]?.recipients).toEqual(['ana', 'bea']);
    // e = 2, no history → SLA 5m: ceil(2 / 2) × 300
    expect(plan.expectedWaitSeconds).toBe(300);
  });

  it('spreads load with least busy: lowest open load relative to capacity', () => {
    const world = spanishDesk('least_busy')
      .withRule('spanish', { then: { destination: { queue: 'es-support' }, assignment: 'reassign' } })
      .build();
    let agents = withAgentState(world.agents, 'ana', { load: { chat: 1 } });
    agents = withAgentState(agents, 'bea', { load: { chat: 2 } });
    expect(decide({ world, agents }).assignee).toBe('ana');
  });

  it('routes every user with the skills when the queue has no team', () => {
    const world = aWorkspace()
      .withAgent('ana', { skills: ['lang:pt'] })
      .withAgent('bea', { skills: ['lang:en'] })
      .withQueue('pt', { requiredSkills: ['lang:pt'] })
      .build();
    const plan = decide({ world });
    expect(plan).toMatchObject({ outcome: 'assigned', assignee: 'ana', team: null, queue: 'pt' });
    expect(plan.candidates.map((c) => c.user)).toEqual(['ana']);
  });
});

describe('stickiness', () => {
  const sticky = () =>
    aWorkspace()
      .withTeam('billing', { sticky: true })
      .withAgent('ana', { teams: ['billing'] })
      .withAgent('bea', { teams: ['billing'], lastAssignedAt: MORNING - 10 })
      .withQueue('general', { team: 'billing' })
      .build();

  it("gives the conversation back to the contact's previous owner when they are eligible now", () => {
    const world = sticky();
    const plan = decide({ world, conversation: { previousOwnerId: 'bea' } });
    expect(plan).toMatchObject({ outcome: 'assigned', assignee: 'bea', sticky: true });
  });

  it('ignores a previous owner who is not eligible now (CW #9587)', () => {
    const world = sticky();
    const agents = withAgentState(world.agents, 'bea', { status: 'offline' });
    const plan = decide({ world, agents, conversation: { previousOwnerId: 'bea' } });
    expect(plan).toMatchObject({ outcome: 'assigned', assignee: 'ana', sticky: false });
    expect(plan.routingNotes).toContain('previous owner bea is not eligible now (offline)');
  });

  it('does not apply when the queue is not sticky', () => {
    const world = spanishDesk().build();
    const plan = decide({ world, conversation: { previousOwnerId: 'ana' } });
    expect(plan).toMatchObject({ assignee: 'bea', sticky: false });
  });
});

describe('excluding people from a decision', () => {
  it('skips an excluded agent (an SLA re-route passes over whoever did not answer) and says why', () => {
    const world = spanishDesk()
      .withRule('spanish', { if: { language: { eq: 'es' } }, then: { destination: { queue: 'es-support' }, assignment: 'unassign_to_queue' } })
      .build();
    const normal = decide({ world, conversation: { language: 'es' } });
    expect(normal.assignee).toBe('bea');
    const plan = decide({ world, conversation: { language: 'es' }, exclude: { userIds: new Set(['bea']), reason: 'missed the first-response target' } });
    expect(plan).toMatchObject({ outcome: 'assigned', assignee: 'ana' });
    expect(plan.candidates.find((c) => c.user === 'bea')).toMatchObject({ eligible: false, reason: 'missed the first-response target' });
  });

  it('queues rather than hand back to the only agent, who was excluded', () => {
    const world = spanishDesk()
      .withRule('spanish', { if: { language: { eq: 'es' } }, then: { destination: { queue: 'es-support' }, assignment: 'unassign_to_queue' } })
      .build();
    const plan = decide({ world, conversation: { language: 'es' }, exclude: { userIds: new Set(['ana', 'bea']), reason: 'missed the first-response target' } });
    expect(plan).toMatchObject({ outcome: 'queued', assignee: null, queue: 'es-support' });
  });
});

describe('routing to a user', () => {
  const desk = () =>
    spanishDesk()
      .withChannel('web-chat', { type: 'chat', defaultRoute: { queue: 'general' } })
      .withRule('to-olu', { if: { 'contact.plan': { eq: 'vip' } }, then: { destination: { user: 'olu' }, assignment: 'reassign' } })
      .withRule('to-owner', { if: { 'contact.plan': { eq: 'enterprise' } }, then: { destination: { user: 'contact_owner' }, assignment: 'reassign' } })
      .withRule('to-ghost', { if: { 'contact.plan': { eq: 'ghost' } }, then: { destination: { user: 'ghost' }, assignment: 'reassign' } })
      .withRule('unassign-olu', { if: { 'contact.plan': { eq: 'odd' } }, then: { destination: { user: 'olu' }, assignment: 'unassign_to_queue' } })
      .build();

  it('assigns the named user when eligible', () => {
    const plan = decide({ world: desk(), contact: { properties: { plan: 'vip' } } });
    expect(plan).toMatchObject({ rule: 'to-olu', outcome: 'assigned', assignee: 'olu', destination: { user: 'olu' }, queue: null, strategy: null });
  });

  it("falls back to the channel's default route when the user is not eligible, and says why", () => {
    const world = desk();
    const agents = withAgentState(world.agents, 'olu', { status: 'away' });
    const plan = decide({ world, agents, contact: { properties: { plan: 'vip' } } });
    // Round robin: eli was never assigned, so eli is next in rotation in the general queue.
    expect(plan).toMatchObject({ rule: 'to-olu', outcome: 'assigned', destination: { queue: 'general' }, queue: 'general', assignee: 'eli' });
    expect(plan.routingNotes).toEqual(["olu is not eligible (away)", "falling back to the channel's default route (queue general)"]);
    expect(plan.candidates[0]).toMatchObject({ user: 'olu', eligible: false, reason: 'away' });
  });

  it("falls back when the user is unknown: a handoff is never dropped", () => {
    const plan = decide({ world: desk(), contact: { properties: { plan: 'ghost' } } });
    expect(plan).toMatchObject({ outcome: 'assigned', queue: 'general' });
    expect(plan.routingNotes[0]).toBe('unknown user ghost');
  });

  it("assigns the contact's owner", () => {
    const plan = decide({ world: desk(), contact: { ownerId: 'olu', properties: { plan: 'enterprise' } } });
    expect(plan).toMatchObject({ rule: 'to-owner', outcome: 'assigned', assignee: 'olu', destination: { user: 'olu' } });
  });

  it("routes a contact without an owner to the channel's default route", () => {
    const plan = decide({ world: desk(), contact: { ownerId: null, properties: { plan: 'enterprise' } } });
    expect(plan).toMatchObject({ rule: 'to-owner', queue: 'general', outcome: 'assigned' });
    expect(plan.routingNotes[0]).toBe('the contact has no owner');
  });

  it('treats unassign_to_queue to a user as reassign, and says so', () => {
    const plan = decide({ world: desk(), contact: { properties: { plan: 'odd' } } });
    expect(plan).toMatchObject({ outcome: 'assigned', assignee: 'olu' });
    expect(plan.routingNotes[0]).toMatch(/assigned as with reassign/);
  });
});

describe('routing to a team', () => {
  const teamDesk = () =>
    spanishDesk('least_busy').withRule('billing', { then: { destination: { team: 'billing' }, assignment: 'reassign' } }).build();

  it("assigns a member chosen by the team's strategy", () => {
    const world = teamDesk();
    let agents = withAgentState(world.agents, 'ana', { load: { chat: 2 } });
    agents = withAgentState(agents, 'bea', { load: { chat: 2 } });
    const plan = decide({ world, agents });
    expect(plan).toMatchObject({ outcome: 'assigned', assignee: 'eli', team: 'billing', queue: null, strategy: 'least_busy' });
    expect(plan.timers).toEqual([]);
  });

  it('waits on the team when nobody is eligible', () => {
    const world = teamDesk();
    let agents = world.agents;
    for (const id of ['ana', 'bea', 'eli']) agents = withAgentState(agents, id, { status: 'offline' });
    const plan = decide({ world, agents, stats: { billing: { waiting: 0 } } });
    expect(plan).toMatchObject({ outcome: 'queued', assignee: null, team: 'billing', queue: null, queuePosition: 1, expectedWaitSeconds: 300 });
  });
});

describe('keep the owner and alert', () => {
  const world = () =>
    spanishDesk()
      .withRule('vip', { then: { destination: { queue: 'es-support' }, assignment: 'keep_owner_and_alert', notify: ['in_app', 'slack'] } })
      .build();

  it('keeps a human owner; the eligible agents of the destination follow and are alerted', () => {
    const plan = decide({ world: world(), conversation: { ownerId: 'olu', status: 'assigned' } });
    expect(plan).toMatchObject({
      outcome: 'kept_owner',
      assignee: 'olu',
      previousOwner: 'olu',
      followers: ['ana', 'bea'],
      queue: 'es-support',
      team: 'billing',
      expectedWaitSeconds: null,
    });
    expect(plan.notifications).toEqual([
      { channel: 'in_app', recipients: ['olu', 'ana', 'bea'], reason: 'alert' },
      { channel: 'slack', recipients: ['olu', 'ana', 'bea'], reason: 'alert' },
    ]);
    expect(plan.timers).toEqual([]);
  });

  it('routes like reassign when there is no human owner', () => {
    const plan = decide({ world: world() });
    expect(plan).toMatchObject({ outcome: 'assigned', assignee: 'bea', previousOwner: null, followers: [] });
  });

  it('keeps the owner and makes a named user a follower', () => {
    const w = spanishDesk()
      .withRule('owner', { then: { destination: { user: 'contact_owner' }, assignment: 'keep_owner_and_alert' } })
      .build();
    const plan = decide({ world: w, conversation: { ownerId: 'ana' }, contact: { ownerId: 'olu' } });
    expect(plan).toMatchObject({ outcome: 'kept_owner', assignee: 'ana', followers: ['olu'], destination: { user: 'olu' } });
    expect(plan.notifications[0]).toEqual({ channel: 'in_app', recipients: ['ana', 'olu'], reason: 'alert' });
  });
});

describe('out of hours', () => {
  const closedDesk = (outOfHours?: object) =>
    aWorkspace()
      .withSchedule('office', { 'mon-fri': ['09:00-18:00'] })
      .withTeam('oncall', { strategy: 'round_robin' })
      .withAgent('ana', { skills: ['lang:es'], teams: ['billing'] }) // no schedule of her own: available
      .withAgent('olu', { teams: ['oncall'] })
      .withQueue('es-support', { team: 'billing', schedule: 'office', sla: { firstResponse: '5m' }, ...(outOfHours ? { outOfHours } : {}) })
      .withRule('spanish', {
        then: {
          destination: { queue: 'es-support' },
          assignment: 'unassign_to_queue',
          message: { es: 'Te atenderemos pronto. Espera: {{expected_wait}}.', en: 'We will reply soon.' },
          set: { priority: 'urgent' },
        },
        if: { 'contact.plan': { neq: 'basic' } },
      })
      .withRule('basic', { then: { destination: { queue: 'es-support' }, assignment: 'unassign_to_queue' } })
      .build();

  it('queues without an automatic pick and tells the customer when the team is back', () => {
    const plan = decide({ world: closedDesk(), now: NIGHT, conversation: { language: 'es' }, contact: { timezone: 'America/Mexico_City' } });
    expect(plan).toMatchObject({
      outcome: 'queued',
      assignee: null,
      queue: 'es-support',
      outOfHours: true,
      nextOpenAt: '2026-11-26T09:00:00.000Z',
      queuePosition: 1,
    });
    // until Thursday 09:00 + one round: ana is staffed now, so ceil(1 / 1) × 300
    expect(plan.expectedWaitSeconds).toBe((THURSDAY_OPENING - NIGHT) / 1000 + 300);
    expect(plan.customerMessages).toHaveLength(1);
    const message = plan.customerMessages[0]!;
    expect(message.language).toBe('es');
    expect(message.body).toMatch(/^Te atenderemos pronto\. Espera: .+\. /);
    // 09:00 UTC is 03:00 in Mexico City: the customer's own zone.
    expect(message.body).toMatch(/3:00/);
  });

  it('routes to the on-call team when the out-of-hours condition holds (after the rule sets priority)', () => {
    const world = closedDesk({ action: 'route', to: { team: 'oncall' }, when: { priority: { in: ['high', 'urgent'] } } });
    const plan = decide({ world, now: NIGHT, contact: { properties: { plan: 'enterprise' } } });
    expect(plan).toMatchObject({ outcome: 'assigned', assignee: 'olu', team: 'oncall', destination: { team: 'oncall' }, outOfHours: true, priority: 'urgent' });
  });

  it('queues and informs when the condition does not hold', () => {
    const world = closedDesk({ action: 'route', to: { team: 'oncall' }, when: { priority: { in: ['high', 'urgent'] } } });
    const plan = decide({ world, now: NIGHT, contact: { properties: { plan: 'basic' } } });
    expect(plan).toMatchObject({ rule: 'basic', outcome: 'queued', queue: 'es-support', outOfHours: true, priority: 'normal' });
    expect(plan.routingNotes.join(' ')).toMatch(/condition does not hold/);
  });

  it('routes without a condition', () => {
    const world = closedDesk({ action: 'route', to: { team: 'oncall' } });
    expect(decide({ world, now: NIGHT, contact: { properties: { plan: 'basic' } } })).toMatchObject({ assignee: 'olu', outOfHours: true });
  });

  it('routes normally inside opening hours', () => {
    const plan = decide({ world: closedDesk(), now: MORNING });
    expect(plan).toMatchObject({ outcome: 'assigned', assignee: 'ana', outOfHours: false, nextOpenAt: null });
  });

  it('appends the next opening to the default message too', () => {
    const plan = decide({ world: closedDesk(), now: NIGHT, contact: { properties: { plan: 'basic' } } });
    expect(plan.customerMessages[0]?.body).toMatch(/Thu/);
  });
});

describe('customer messages', () => {
  const messages = (message: unknown) =>
    aWorkspace()
      .withTeam('billing', { name: 'Billing' })
      .withAgent('ana', { name: 'Ana García', teams: ['billing'] })
      .withQueue('general', { team: 'billing', name: 'General' })
      .withRule('r', { then: { destination: { queue: 'general' }, assignment: 'unassign_to_queue', message: message as false } })
      .build();

  it("uses the conversation's language when the rule provides it, and fills the variables", () => {
    const world = messages({
      en: 'Hi {{contact.name}}, {{agent.name}} of {{team.name}} ({{queue.name}}) will help you. Wait: {{expected_wait}}. {{unknown.thing}}#{{queue.position}}',
      'pt-BR': 'Olá {{contact.name}}',
    });
    expect(decide({ world, conversation: { language: 'pt' } }).customerMessages).toEqual([{ language: 'pt-BR', body: 'Olá Lucía' }]);
    const english = decide({ world, conversation: { language: 'ja' } }).customerMessages[0];
    expect(english?.language).toBe('en');
    // Assigned at once: the sentences about waiting are left out.
    expect(english?.body).toBe('Hi Lucía, Ana García of Billing (General) will help you.');
  });

  it('promises a wait only while the conversation waits: a direct assignment drops the sentences that speak of it', () => {
    const world = messages({ en: "I'm connecting you to a specialist. Expected wait: {{expected_wait}}. You are number {{queue.position}}!" });
    expect(decide({ world }).customerMessages).toEqual([{ language: 'en', body: "I'm connecting you to a specialist." }]);
    const agents = withAgentState(world.agents, 'ana', { status: 'away' });
    const queued = decide({ world, agents });
    expect(queued.outcome).toBe('queued');
    expect(queued.customerMessages[0]?.body).toMatch(/^I'm connecting you to a specialist\. Expected wait: .+\. You are number 1!$/);
  });

  it('sends no message when the rule’s only sentence is the wait and a person was assigned', () => {
    expect(decide({ world: messages({ en: 'Expected wait: {{expected_wait}}.' }) }).customerMessages).toEqual([]);
  });

  it('sends no message when the rule turns it off', () => {
    expect(decide({ world: messages(false) }).customerMessages).toEqual([]);
  });

  it('sends the default confirmation and expectation when the rule has no message', () => {
    const world = messages(undefined);
    const agents = withAgentState(world.agents, 'ana', { status: 'away' });
    const [message] = decide({ world, agents }).customerMessages;
    expect(message?.language).toBe('en');
    expect(message?.body.length).toBeGreaterThan(10);
    expect(message?.body).not.toContain('{{');
  });

  it('renders the queue position when queued', () => {
    const world = messages({ en: 'You are number {{queue.position}}.' });
    const agents = withAgentState(world.agents, 'ana', { status: 'away' });
    expect(decide({ world, agents, stats: { general: { waiting: 4 } } }).customerMessages[0]?.body).toBe('You are number 5.');
  });
});

describe('tasks, set and timers', () => {
  // Regression: `sla.firstResponse: "99999999999999999999d"` was applied, and then every handoff to
  // the queue threw (RangeError: Invalid time value) planning its timer. The schema refuses such a
  // duration now; a workspace built around it must still hand off.
  it('hands off even when a timer would not fall on a date', () => {
    const built = aWorkspace()
      .withTeam('billing', { strategy: 'round_robin' })
      .withAgent('ana', { teams: ['billing'] })
      .withQueue('general', { team: 'billing', sla: { firstResponse: '5m' }, overflow: { after: '15m', to: 'general' } })
      .withRule('r', { then: { destination: { queue: 'general' } } })
      .build();
    const general = built.workspace.queues.get('general');
    if (general === undefined) throw new Error('the world has no queue general');
    const hugeSeconds = Number("99999999999999999999") * 86_400;
    const queues = new Map(built.workspace.queues).set('general', { ...general, firstResponseSeconds: hugeSeconds, overflowAfterSeconds: hugeSeconds });
    const world: BuiltWorkspace = { ...built, workspace: { ...built.workspace, queues }, ruleset: () => built.ruleset() };
    expect(decide({ world })).toMatchObject({ assignee: 'ana', queue: 'general', timers: [] });
    const agents = withAgentState(built.agents, 'ana', { status: 'away' });
    expect(decide({ world, agents })).toMatchObject({ outcome: 'queued', queue: 'general', timers: [] });
  });

  it('creates the follow-up tasks of the rule', () => {
    const world = spanishDesk()
      .withRule('r', {
        then: {
          destination: { queue: 'es-support' },
          assignment: 'unassign_to_queue',
          tasks: [
            { type: 'callback', assignee: 'owner', due: '1h' },
            { type: 'internal_note', assignee: { user: 'olu' }, due: '30m', note: 'check the invoice' },
            { type: 'check_in', assignee: { team: 'billing' }, due: '3d' },
          ],
        },
      })
      .build();
    const plan = decide({ world });
    expect(plan.tasks).toEqual([
      { type: 'callback', assignee: 'bea', team: null, dueAt: '2026-11-25T11:30:00.000Z', dueAfterResolutionSeconds: null, note: null },
      { type: 'internal_note', assignee: 'olu', team: null, dueAt: '2026-11-25T11:00:00.000Z', dueAfterResolutionSeconds: null, note: 'check the invoice' },
      { type: 'check_in', assignee: null, team: 'billing', dueAt: null, dueAfterResolutionSeconds: 259_200, note: null },
    ]);
  });

  it("gives an owner task to the waiting team when nobody owns the conversation yet", () => {
    const world = spanishDesk('manual')
      .withRule('r', { then: { destination: { queue: 'es-support' }, assignment: 'unassign_to_queue', tasks: [{ type: 'callback', due: '1h' }] } })
      .build();
    expect(decide({ world }).tasks[0]).toMatchObject({ assignee: null, team: 'billing' });
  });

  it('applies the priority, tags and properties the rule sets', () => {
    const world = spanishDesk()
      .withRule('r', {
        then: { destination: { queue: 'general' }, set: { priority: 'high', tags: ['escalated', 'vip'], properties: { tier: 2 } } },
      })
      .build();
    const plan = decide({ world, conversation: { tags: ['vip'] } });
    expect(plan).toMatchObject({ priority: 'high', tags: ['vip', 'escalated'], set: { priority: 'high', tags: ['escalated', 'vip'], properties: { tier: 2 } } });
  });

  it('counts the SLA in business time when the queue says so (CW PR #13392)', () => {
    const world = aWorkspace()
      .withSchedule('office', { 'mon-fri': ['09:00-18:00'] })
      .withAgent('ana', { teams: ['billing'], status: 'away' })
      .withQueue('es-support', { team: 'billing', schedule: 'office', sla: { firstResponse: '5m', businessHours: true } })
      .build();
    const plan = decide({ world, now: Date.parse('2026-11-25T17:58:00Z') });
    expect(plan.timers).toEqual([{ kind: 'sla.first_response', dueAt: '2026-11-26T09:03:00.000Z', queue: 'es-support' }]);
  });
});

describe('which rule', () => {
  const world = () =>
    spanishDesk()
      .withRule('billing-dispute', { when: ['intent_or_keyword'], if: { intent: { eq: 'billing_dispute' } }, then: { destination: { queue: 'general' } } })
      .withFallback({ destination: { queue: 'es-support' }, assignment: 'unassign_to_queue' })
      .build();

  it('hands off a soft trigger only when a rule matches', () => {
    expect(tryDecide({ world: world(), trigger: 'intent_or_keyword', soft: true, conversation: { intent: 'other' } })).toBeNull();
    const plan = decide({ world: world(), trigger: 'intent_or_keyword', soft: true, conversation: { intent: 'billing_dispute' } });
    expect(plan).toMatchObject({ rule: 'billing-dispute', intent: 'billing_dispute' });
  });

  it('uses the fallback for a hard trigger no rule answers, with the trace of what failed', () => {
    const plan = decide({ world: world(), trigger: 'unsupported_topic' });
    expect(plan.rule).toBe('fallback');
    expect(plan.queue).toBe('es-support');
    expect(plan.evaluated.map((e) => [e.rule, e.matched])).toEqual([['billing-dispute', false]]);
  });
});
