import { describe, expect, it } from 'vitest';
import { HandoffDecisionInput, type HandoffTrace } from '../../contract/trace.js';
import { decideHandoff, type HandoffInput } from '../handoff.js';
import { compileRuleset } from '../rules/compile.js';
import { aContact, aConversation, aWorkspace, statsOf } from '../testing/factories.js';
import { recordDecisionInput, replayHandoff, type RecordedHandoff } from './replay.js';

const MORNING = Date.parse('2026-11-25T10:30:00Z');

function spanishDesk() {
  return aWorkspace()
    .withTeam('billing', { strategy: 'round_robin' })
    .withAgent('ana', {
      skills: ['lang:es'],
      capacity: { chat: 3 },
      teams: ['billing'],
      lastAssignedAt: MORNING - 60_000,
    })
    .withAgent('bea', {
      skills: ['lang:es'],
      capacity: { chat: 3 },
      teams: ['billing'],
      lastAssignedAt: MORNING - 600_000,
      status: 'offline',
    })
    .withAgent('eli', { skills: ['lang:en'], teams: ['billing'], status: 'offline' })
    .withQueue('es-support', { team: 'billing', requiredSkills: ['lang:es'], sla: { firstResponse: '5m' } })
    .withQueue('general', { team: 'billing' })
    .withRule('spanish', {
      when: ['customer_requested_human'],
      if: { language: { eq: 'es' } },
      then: { destination: { queue: 'es-support' }, assignment: 'unassign_to_queue', notify: ['in_app'] },
    })
    .withFallback({ destination: { queue: 'general' }, assignment: 'unassign_to_queue' });
}

function record(input: HandoffInput, place: string | null): RecordedHandoff & { readonly trace: HandoffTrace } {
  const trace = decideHandoff(input);
  if (trace === null) throw new Error('expected a handoff');
  const stats = place === null ? null : { place, stats: input.queueStats(place) };
  // Stored as JSON: what replay reads back has been through it.
  const stored = JSON.parse(
    JSON.stringify({ trace, input: recordDecisionInput(input, { revision: 1, ruleset: 'active', stats }) }),
  ) as {
    trace: HandoffTrace;
    input: unknown;
  };
  return {
    conversationId: input.conversation.id,
    seq: 2,
    trace: stored.trace,
    input: HandoffDecisionInput.parse(stored.input),
  };
}

describe('replay of one recorded handoff', () => {
  const built = spanishDesk().build();
  const input: HandoffInput = {
    now: MORNING,
    trigger: 'customer_requested_human',
    workspace: built.workspace,
    ruleset: built.ruleset(),
    conversation: aConversation({ language: 'es', properties: { plan: 'pro' } }),
    contact: aContact({ properties: { vip: true } }),
    messageText: 'quiero hablar con una persona',
    agents: built.agents,
    queueStats: statsOf({ 'es-support': { waiting: 3, recentFirstResponseSeconds: 120 } }),
  };

  it('reproduces the recorded decision with the same ruleset', () => {
    const recorded = record(input, null);
    const outcome = replayHandoff(recorded, built.workspace, built.ruleset());
    expect(outcome).toMatchObject({ kind: 'replayed', changed: [], routingChanged: false });
    if (outcome.kind !== 'replayed') return;
    expect(outcome.trace).toEqual(recorded.trace);
  });

  it('shows the rule, destination and assignee a draft changes', () => {
    const recorded = record(input, null);
    const draftConfig = spanishDesk().config().handoff;
    const draft = compileRuleset(
      {
        ...draftConfig,
        rules: draftConfig.rules.map((r) => ({
          ...r,
          then: { ...r.then, destination: { queue: 'general' } },
        })),
      },
      { schedules: built.workspace.schedules, timezone: built.workspace.timezone },
      null,
    );
    const outcome = replayHandoff(recorded, built.workspace, draft);
    expect(outcome.kind).toBe('replayed');
    if (outcome.kind !== 'replayed') return;
    expect(outcome.recorded.destination).toEqual({ queue: 'es-support' });
    expect(outcome.replayed?.destination).toEqual({ queue: 'general' });
    expect(outcome.changed).toContain('destination');
    expect(outcome.routingChanged).toBe(true);
  });

  it('uses the recorded queue statistics: the promised wait is reproduced', () => {
    const nobody = new Map([...built.agents].map(([id, s]) => [id, { ...s, status: 'offline' as const }]));
    const queued = { ...input, agents: nobody };
    const recorded = record(queued, 'es-support');
    expect(recorded.trace.outcome).toBe('queued');
    expect(recorded.trace.queuePosition).toBe(4);
    const outcome = replayHandoff(recorded, built.workspace, built.ruleset());
    expect(outcome).toMatchObject({ kind: 'replayed', changed: [] });
    if (outcome.kind === 'replayed')
      expect(outcome.trace?.customerMessages).toEqual(recorded.trace.customerMessages);
  });

  it('skips, with the reason, what cannot be replayed', () => {
    const recorded = record(input, null);
    expect(replayHandoff({ ...recorded, input: null }, built.workspace, built.ruleset())).toMatchObject({
      kind: 'skipped',
      reason: 'recorded before replay kept the decision input',
    });
    const withoutAna = aWorkspace()
      .withTeam('billing')
      .withAgent('bea', { teams: ['billing'] })
      .withQueue('general', { team: 'billing' })
      .build();
    expect(replayHandoff(recorded, withoutAna.workspace, withoutAna.ruleset())).toMatchObject({
      kind: 'skipped',
      reason: expect.stringContaining('agent ana no longer exists'),
    });
    expect(
      replayHandoff(
        { ...recorded, input: { ...recorded.input!, ruleset: 'given' } },
        built.workspace,
        built.ruleset(),
      ),
    ).toMatchObject({ kind: 'skipped' });
  });
});
