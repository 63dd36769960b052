import { describe, expect, it } from 'vitest';
import { createAssistant } from './assistant/assistant.js';
import { decideTurn, type TurnDecision } from './decide-turn.js';
import { aContact, aConversation, aWorkspace, statsOf, type BuiltWorkspace } from './testing/factories.js';

const NOW = Date.parse('2026-11-25T10:30:00+01:00');

const assistant = createAssistant({
  knowledge: [
    {
      id: 'reset-password',
      title: 'How do I reset my password?',
      body: 'Open Settings → Security and choose "Reset password".',
      language: 'en',
      tags: [],
    },
  ],
  assistant: {
    confidenceThreshold: 0.35,
    maxTurnsWithoutProgress: 3,
    neverAutomate: ['refund'],
    intents: [{ id: 'billing_dispute', examples: ['I was charged twice', 'wrong amount on my invoice'] }],
  },
});

/** One channel per assistant kind, everything to the general queue; an account-owner rule on intents. */
function world(): BuiltWorkspace {
  return aWorkspace()
    .withSchedule('always', { 'mon-sun': ['00:00-24:00'] })
    .withAgent('ana', { skills: ['lang:en'], schedule: 'always', teams: ['desk'] })
    .withTeam('desk')
    .withQueue('general', { team: 'desk' })
    .withChannel('web-chat', { type: 'chat', assistant: 'builtin', defaultRoute: { queue: 'general' } })
    .withChannel('llm-chat', { type: 'chat', assistant: 'llm', defaultRoute: { queue: 'general' } })
    .withChannel('bot-chat', { type: 'chat', assistant: 'webhook', defaultRoute: { queue: 'general' } })
    .withRule('account-owner', {
      when: ['intent_or_keyword'],
      if: { all: [{ intent: { eq: 'billing_dispute' } }, { 'contact.owner': { exists: true } }] },
      then: { destination: { user: 'contact_owner' }, assignment: 'keep_owner_and_alert', notify: ['in_app'] },
    })
    .withFallback({ destination: { queue: 'general' }, assignment: 'unassign_to_queue' })
    .build();
}

function turn(channelId: string, text: string, options: { ownerId?: string | null; history?: string[]; status?: 'bot' | 'assigned' } = {}): TurnDecision {
  const built = world();
  return decideTurn({
    now: NOW,
    workspace: built.workspace,
    ruleset: built.ruleset(),
    agents: built.agents,
    queueStats: statsOf(),
    assistant,
    conversation: aConversation({ channelId, status: options.status ?? 'bot', ownerId: options.status === 'assigned' ? 'ana' : null }),
    contact: aContact({ language: 'en', ownerId: options.ownerId ?? null }),
    text,
    history: (options.history ?? []).map((body) => ({ author: 'contact' as const, body })),
    turnsWithoutProgress: 0,
  });
}

describe('decideTurn with an external assistant (llm, webhook)', () => {
  it.each(['llm-chat', 'bot-chat'])('defers an ordinary question on %s to the external assistant, with what the detectors saw', (channel) => {
    const decision = turn(channel, 'How do I reset my password?');
    expect(decision.kind).toBe('defer');
    if (decision.kind !== 'defer') return;
    expect(decision.to).toBe(channel === 'llm-chat' ? 'llm' : 'webhook');
    expect(decision.turn.language).toBe('en');
  });

  it('defers what the built-in agent could not answer: the external assistant may know more', () => {
    const decision = turn('llm-chat', 'Can I pay with a gift card from another shop?');
    expect(decision.kind).toBe('defer');
    // The same message on a built-in channel gets the built-in agent's own reply or handoff.
    expect(turn('web-chat', 'Can I pay with a gift card from another shop?').kind).not.toBe('defer');
  });

  it('still hands off at once when the customer asks for a person, exactly as on a built-in channel', () => {
    const decision = turn('bot-chat', 'I want to talk to a human');
    expect(decision.kind).toBe('handoff');
    if (decision.kind !== 'handoff') return;
    expect(decision.trace.trigger).toBe('customer_requested_human');
    expect(decision.trace.rule).toBe('fallback');
    const builtin = turn('web-chat', 'I want to talk to a human');
    expect(builtin.kind === 'handoff' && builtin.trace.destination).toEqual(decision.trace.destination);
  });

  it('hands off a never-automate topic at once', () => {
    const decision = turn('llm-chat', 'I want a refund for my order');
    expect(decision.kind).toBe('handoff');
    if (decision.kind !== 'handoff') return;
    expect(decision.trace.trigger).toBe('unsupported_topic');
    expect(decision.reason).toContain('never-automate topic "refund"');
  });

  it('lets an explicit soft rule take a hard-trigger handoff, as the built-in path does', () => {
    const decision = turn('llm-chat', 'I was charged twice, let me talk to a person', { ownerId: 'ana' });
    expect(decision.kind).toBe('handoff');
    if (decision.kind !== 'handoff') return;
    expect(decision.trace.rule).toBe('account-owner');
    expect(decision.trace.trigger).toBe('intent_or_keyword');
  });

  it("fires an admin's explicit rule for a soft trigger on an external channel too, as on a built-in one", () => {
    const decision = turn('llm-chat', 'I was charged twice', { ownerId: 'ana' });
    expect(decision.kind === 'handoff' && decision.trace.rule).toBe('account-owner');
    const builtin = turn('web-chat', 'I was charged twice', { ownerId: 'ana' });
    expect(builtin.kind === 'handoff' && builtin.trace.rule).toBe('account-owner');
  });

  it('defers a soft trigger that no explicit rule takes to the external assistant', () => {
    // Without an account owner the account-owner rule does not match: nothing deterministic fired.
    const decision = turn('llm-chat', 'I was charged twice');
    expect(decision.kind).toBe('defer');
    if (decision.kind !== 'defer') return;
    expect(decision.turn.intent).toBe('billing_dispute');
  });

  it('stays silent once the conversation is with people', () => {
    expect(turn('llm-chat', 'hello?', { status: 'assigned' }).kind).toBe('human');
  });
});
