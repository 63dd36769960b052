import { describe, expect, it } from 'vitest';
import { Scenario, SimulationResult } from '../contract/api.js';
import type { Assistant, AssistantTurn, TriggerCandidate } from './assistant/assistant.js';
import { detectHumanRequest } from './assistant/detect-human-request.js';
import type { AgentState } from './model.js';
import { applyAgentOverrides, simulateScenario, type SimulationWorld } from './simulate.js';
import { aWorkspace, statsOf, type BuiltWorkspace } from './testing/factories.js';

const WEDNESDAY_MORNING = Date.parse('2026-11-25T10:30:00+01:00');
const SATURDAY = Date.parse('2026-11-28T11:00:00+01:00');

/** The docs/configuration.md example, reduced to what routing reads. */
function acme(): BuiltWorkspace {
  return aWorkspace()
    .withSettings({ timezone: 'Europe/Madrid' })
    .withSchedule('office', { 'mon-fri': ['09:00-13:00', '14:00-18:00'] }, { timezone: 'Europe/Madrid', holidays: ['2026-12-25'] })
    .withSchedule('always', { 'mon-sun': ['00:00-24:00'] })
    .withAgent('ana', { skills: ['lang:es', 'lang:en', 'product:billing'], capacity: { chat: 3, email: 10 }, schedule: 'office', teams: ['billing'] })
    .withAgent('olu', { role: 'admin', skills: ['lang:en'], schedule: 'always', teams: ['oncall'] })
    .withTeam('billing', { strategy: 'least_busy', leads: ['olu'] })
    .withTeam('oncall', { strategy: 'round_robin' })
    .withQueue('es-support', {
      team: 'billing',
      requiredSkills: ['lang:es'],
      schedule: 'office',
      sla: { firstResponse: '5m' },
      overflow: { after: '15m', to: 'general' },
      outOfHours: { action: 'queue_and_inform' },
    })
    .withQueue('general', { team: 'billing', strategy: 'round_robin', sla: { firstResponse: '1h' } })
    .withChannel('web-chat', { type: 'chat', assistant: 'builtin', defaultRoute: { queue: 'general' } })
    .withChannel('support-email', { type: 'email', assistant: 'none', defaultRoute: { queue: 'general' } })
    .withRule('enterprise-spanish', {
      when: ['customer_requested_human', 'unsupported_topic'],
      if: { all: [{ channel: { in: ['web-chat'] } }, { 'contact.plan': { eq: 'enterprise' } }, { language: { eq: 'es' } }] },
      then: {
        destination: { queue: 'es-support' },
        assignment: 'unassign_to_queue',
        message: { es: 'Te paso con un especialista. Tiempo estimado de espera: {{expected_wait}}.' },
        notify: ['in_app', 'slack'],
        tasks: [{ type: 'callback', assignee: 'owner', due: '1h' }],
        set: { priority: 'high', tags: ['escalated'] },
      },
    })
    .withRule('urgent-flag', {
      when: ['workflow_flag'],
      if: { priority: { eq: 'urgent' } },
      then: { destination: { team: 'oncall' }, assignment: 'reassign', notify: ['in_app', 'email'] },
    })
    .withRule('account-owner', {
      when: ['intent_or_keyword'],
      if: { all: [{ intent: { eq: 'billing_dispute' } }, { 'contact.owner': { exists: true } }] },
      then: { destination: { user: 'contact_owner' }, assignment: 'keep_owner_and_alert', notify: ['in_app'] },
    })
    .withFallback({
      destination: { queue: 'general' },
      assignment: 'unassign_to_queue',
      message: { en: 'Thanks — a member of our team will reply soon. Expected wait: {{expected_wait}}.' },
    })
    .build();
}

/**
 * A scripted AI agent: the built-in person-request detector, a never-automate word, and scripted
 * intents and answers (anything else gets a clarifying question), so these tests pin the
 * simulator's plumbing and not the assistant's retrieval, which evolves on its own.
 */
function scriptedAssistant(script: { intents?: Record<string, string>; answers?: Record<string, string> } = {}): Assistant {
  return {
    retrieve: () => [],
    respond(input): AssistantTurn {
      const triggers: TriggerCandidate[] = [];
      if (detectHumanRequest(input.text)) triggers.push({ trigger: 'customer_requested_human', soft: false, reason: 'asked for a person' });
      if (input.text.toLowerCase().includes('refund')) triggers.push({ trigger: 'unsupported_topic', soft: false, reason: 'never-automate topic "refund"' });
      triggers.push({ trigger: 'intent_or_keyword', soft: true, reason: 'message text' });
      const answer = script.answers?.[input.text];
      const hard = triggers.some((t) => !t.soft);
      return {
        language: input.knownLanguage,
        intent: script.intents?.[input.text] ?? null,
        frustrated: false,
        triggers,
        answer: answer === undefined || hard ? null : { articleId: 'kb', title: 'kb', text: answer, confidence: 0.9 },
        reply: hard ? null : (answer ?? 'Could you tell me more?'),
        turnsWithoutProgress: input.turnsWithoutProgress,
      };
    },
  };
}

function run(input: unknown, options: { now?: number; agents?: ReadonlyMap<string, AgentState>; assistant?: Assistant; world?: BuiltWorkspace } = {}): SimulationResult {
  const built = options.world ?? acme();
  const world: SimulationWorld = {
    now: options.now ?? WEDNESDAY_MORNING,
    workspace: built.workspace,
    ruleset: built.ruleset(),
    rulesetLabel: 1,
    assistant: options.assistant ?? scriptedAssistant(),
    agents: options.agents ?? built.agents,
    queueStats: statsOf(),
  };
  const result = simulateScenario(Scenario.parse(input), world);
  // Every result is what POST /api/simulate promises.
  expect(SimulationResult.safeParse(result).success).toBe(true);
  return result;
}

const CONFIG_SCENARIO = {
  channel: 'web-chat',
  contact: { name: 'Lucía', language: 'es', owner: null, properties: { plan: 'enterprise' } },
  conversation: { priority: 'normal', tags: [], owner: null },
  messages: ['Hola, no puedo entrar en mi cuenta', 'quiero hablar con una persona'],
  expect: { trigger: 'customer_requested_human', rule: 'enterprise-spanish', destination: { queue: 'es-support' }, assignee: 'ana' },
};

describe('simulateScenario', () => {
  it('plays the docs/configuration.md scenario: the AI answers, then the request for a person goes to the Spanish queue and Ana', () => {
    const result = run(CONFIG_SCENARIO);
    expect(result.passed).toBe(true);
    expect(result.expectations.map((e) => [e.field, e.ok])).toEqual([
      ['trigger', true],
      ['rule', true],
      ['destination', true],
      ['assignee', true],
    ]);
    expect(result.at).toBe('2026-11-25T09:30:00.000Z');
    expect(result.ruleset).toBe(1);
    expect(result.language).toBe('es');
    expect(result.transcript.map((line) => line.author)).toEqual(['contact', 'assistant', 'contact', 'system', 'system']);
    expect(result.transcript[3]?.body).toContain('Te paso con un especialista');
    // Assigned at once: no wait is promised, and the customer is told who joined (as the live path writes it).
    expect(result.transcript[3]?.body).not.toMatch(/espera/i);
    expect(result.transcript[4]?.body).toBe('Ana se ha unido a la conversación.');
    expect(result.trace?.evaluated[0]).toEqual({ rule: 'enterprise-spanish', matched: true, failed: null });
    expect(result.trace?.outcome).toBe('assigned');
    expect(result.trace?.tasks[0]).toMatchObject({ type: 'callback', assignee: 'ana' });
  });

  it('names the rule that failed, and the condition, when the contact is not enterprise', () => {
    const result = run({ ...CONFIG_SCENARIO, contact: { language: 'es', properties: { plan: 'free' } }, expect: { rule: 'fallback' } });
    expect(result.passed).toBe(true);
    expect(result.trace?.evaluated[0]).toMatchObject({ rule: 'enterprise-spanish', matched: false });
    expect(result.trace?.evaluated[0]?.failed).toContain('contact.plan');
    expect(result.trace?.destination).toEqual({ queue: 'general' });
  });

  it('reports each differing expectation with what actually happened', () => {
    const result = run({ ...CONFIG_SCENARIO, expect: { rule: 'fallback', destination: { queue: 'general' }, assignee: 'ana', outcome: 'queued' } });
    expect(result.passed).toBe(false);
    expect(result.expectations).toEqual([
      { field: 'rule', expected: 'fallback', actual: 'enterprise-spanish', ok: false },
      { field: 'destination', expected: { queue: 'general' }, actual: { queue: 'es-support' }, ok: false },
      { field: 'assignee', expected: 'ana', actual: 'ana', ok: true },
      { field: 'outcome', expected: 'queued', actual: 'assigned', ok: false },
    ]);
  });

  it('shows an answered conversation with no trace when the AI helps with everything', () => {
    const built = acme();
    const assistant = scriptedAssistant({ answers: { 'How do I reset my password?': 'Open Settings → Security.' } });
    const result = run(
      { channel: 'web-chat', contact: { language: 'en' }, messages: ['How do I reset my password?'], expect: { outcome: 'answered', trigger: null, language: 'en' } },
      { world: built, assistant },
    );
    expect(result.passed).toBe(true);
    expect(result.trace).toBeNull();
    expect(result.transcript).toEqual([
      { author: 'contact', body: 'How do I reset my password?' },
      { author: 'assistant', body: 'Open Settings → Security.' },
    ]);
  });

  it('stops deciding after the handoff: later customer messages only join the transcript', () => {
    const result = run({ ...CONFIG_SCENARIO, messages: ['quiero hablar con una persona', 'I want a refund', '¿hola?'] });
    expect(result.trace?.trigger).toBe('customer_requested_human');
    expect(result.transcript.map((line) => line.author)).toEqual(['contact', 'system', 'system', 'contact', 'contact']);
  });

  it('hands off every conversation of a channel without an AI agent as it arrives', () => {
    const result = run({ channel: 'support-email', contact: { language: 'en' }, messages: ['Hello, my invoice is wrong'], expect: { trigger: 'no_assistant', rule: 'fallback', queue: 'general' } });
    expect(result.passed).toBe(true);
    expect(result.transcript.map((line) => line.author)).toEqual(['contact', 'system', 'system']);
  });

  it('keeps the AI silent when a human already owns the conversation', () => {
    const result = run({ channel: 'web-chat', conversation: { owner: 'ana' }, messages: ['talk to a human'], expect: { outcome: 'answered' } });
    expect(result.trace).toBeNull();
    expect(result.transcript).toEqual([{ author: 'contact', body: 'talk to a human' }]);
  });

  it('decides an explicit workflow trigger after the messages: urgent goes to on-call', () => {
    const result = run(
      { channel: 'web-chat', at: '2026-11-28T11:00:00+01:00', conversation: { priority: 'urgent' }, messages: ['Our shop is down'], trigger: 'workflow_flag', expect: { trigger: 'workflow_flag', rule: 'urgent-flag', destination: { team: 'oncall' }, assignee: 'olu' } },
      { now: SATURDAY },
    );
    expect(result.passed).toBe(true);
    expect(result.trace?.evaluated.map((e) => e.rule)).toEqual(['enterprise-spanish', 'urgent-flag']);
    expect(result.trace?.evaluated[0]?.failed).toBe('trigger workflow_flag not in [customer_requested_human, unsupported_topic]');
  });

  it('keeps the owner and alerts when the account owner rule matches a conversation Ana already owns', () => {
    const built = acme();
    const assistant = scriptedAssistant({ intents: { 'I was charged twice': 'billing_dispute' } });
    const result = run(
      { channel: 'web-chat', contact: { owner: 'ana', language: 'en' }, conversation: { owner: 'ana' }, messages: ['I was charged twice'], trigger: 'intent_or_keyword', expect: { rule: 'account-owner', outcome: 'kept_owner', assignee: 'ana' } },
      { world: built, assistant },
    );
    expect(result.passed).toBe(true);
    expect(result.trace?.intent).toBe('billing_dispute');
  });

  it('routes a billing dispute to the account owner when nobody owns the conversation yet', () => {
    const built = acme();
    const assistant = scriptedAssistant({ intents: { 'I was charged twice': 'billing_dispute' } });
    const result = run(
      { channel: 'web-chat', contact: { owner: 'ana', language: 'en' }, messages: ['I was charged twice'], expect: { trigger: 'intent_or_keyword', rule: 'account-owner', outcome: 'assigned', assignee: 'ana' } },
      { world: built, assistant },
    );
    expect(result.passed).toBe(true);
  });

  it('queues the Spanish desk when its only agent is away (an override)', () => {
    const built = acme();
    const agents = applyAgentOverrides(built.agents, { ana: { status: 'away' } });
    const result = run({ ...CONFIG_SCENARIO, expect: { outcome: 'queued', assignee: null, queue: 'es-support' } }, { world: built, agents });
    expect(result.passed).toBe(true);
    expect(result.trace?.candidates).toContainEqual(expect.objectContaining({ user: 'ana', eligible: false, reason: 'away' }));
  });

  it('queues and informs out of hours', () => {
    const result = run({ ...CONFIG_SCENARIO, expect: { outcome: 'queued', queue: 'es-support' } }, { now: SATURDAY });
    expect(result.passed).toBe(true);
    expect(result.trace?.outOfHours).toBe(true);
    expect(result.trace?.nextOpenAt).toBe('2026-11-30T08:00:00.000Z');
  });
});

describe('simulateScenario on a channel with an external assistant', () => {
  /** A scripted assistant marks its person-request trigger as a deterministic detection, as the built-in one does. */
  function detecting(): Assistant {
    const inner = scriptedAssistant();
    return {
      retrieve: () => [],
      respond(input) {
        const turn = inner.respond(input);
        return { ...turn, triggers: turn.triggers.map((t) => (t.trigger === 'customer_requested_human' ? { ...t, detector: 'human_request' as const } : t)) };
      },
    };
  }
  function withLlm(): BuiltWorkspace {
    return aWorkspace()
      .withSchedule('always', { 'mon-sun': ['00:00-24:00'] })
      .withAgent('ana', { skills: ['lang:en'], schedule: 'always', teams: ['desk'] })
      .withTeam('desk')
      .withQueue('general', { team: 'desk' })
      .withChannel('llm-chat', { type: 'chat', assistant: 'llm', defaultRoute: { queue: 'general' } })
      .withFallback({ destination: { queue: 'general' }, assignment: 'unassign_to_queue' })
      .build();
  }

  it('says the message goes to the LLM agent instead of making up its answer', () => {
    const result = run(
      { channel: 'llm-chat', contact: { language: 'en' }, messages: ['My invoice is wrong'], expect: { outcome: 'deferred' } },
      { world: withLlm(), assistant: detecting() },
    );
    expect(result.passed).toBe(true);
    expect(result.trace).toBeNull();
    expect(result.deferredTo).toBe('llm');
    expect(result.transcript.map((line) => line.author)).toEqual(['contact', 'system']);
    expect(result.transcript[1]?.body).toMatch(/^→ the LLM agent: this message is sent to it \(not called by the simulator/);
  });

  it('hands off at once on a request for a person, with an extractive summary', () => {
    const result = run(
      { channel: 'llm-chat', contact: { language: 'en' }, messages: ['My invoice is wrong', 'I want to talk to a person'], expect: { trigger: 'customer_requested_human' } },
      { world: withLlm(), assistant: detecting() },
    );
    expect(result.passed).toBe(true);
    expect(result.deferredTo).toBeNull();
    expect(result.transcript.map((line) => line.author)).toEqual(['contact', 'system', 'contact', 'system', 'system']);
    expect(result.trace?.summary).toEqual({ text: 'Customer (2 messages): “My invoice is wrong” … latest: “I want to talk to a person”', source: 'extractive' });
  });
});

describe('applyAgentOverrides', () => {
  const live = new Map<string, AgentState>([
    ['ana', { userId: 'ana', status: 'available', load: { chat: 1, email: 4 }, lastAssignedAt: 5 }],
    ['olu', { userId: 'olu', status: 'offline', load: {}, lastAssignedAt: null }],
  ]);

  it('replaces the status and the load of the channel types named, keeping the rest', () => {
    const next = applyAgentOverrides(live, { ana: { load: { chat: 3 } }, olu: { status: 'available' } });
    expect(next.get('ana')).toEqual({ userId: 'ana', status: 'available', load: { chat: 3, email: 4 }, lastAssignedAt: 5 });
    expect(next.get('olu')?.status).toBe('available');
  });

  it('changes nothing without overrides and never mutates the live map', () => {
    const next = applyAgentOverrides(live, undefined);
    expect(next).toEqual(live);
    applyAgentOverrides(live, { ana: { status: 'away' } });
    expect(live.get('ana')?.status).toBe('available');
  });

  it('starts a user without live state offline with no load', () => {
    const next = applyAgentOverrides(new Map(), { zoe: { load: { email: 2 } } });
    expect(next.get('zoe')).toEqual({ userId: 'zoe', status: 'offline', load: { email: 2 }, lastAssignedAt: null });
  });
});
