/**
 * The simulator: a scenario (docs/configuration.md "Simulation scenarios") played against a
 * workspace, with no effect on live data. Pure — the service loads the world (workspace, ruleset,
 * live agents with the scenario's overrides, queue statistics) and this runs the same
 * `decideTurn` / `decideHandoff` the live path runs, so what the simulator shows is what
 * production would do.
 */
import type { ChannelType, MessageAuthor } from '../contract/common.js';
import type { Scenario, SimulationResult } from '../contract/api.js';
import type { AgentOverride, HandoffTrace } from '../contract/trace.js';
import type { Assistant, TranscriptLine } from './assistant/assistant.js';
import { decideTurn, type ExternalAssistant } from './decide-turn.js';
import { decideHandoff } from './handoff.js';
import type { AgentState, ContactFacts, ConversationFacts, Instant, QueueStats, WorkspaceModel } from './model.js';
import { AgentStates } from './routing/agent-states.js';
import { joinedText } from './routing/customer-texts.js';
import type { CompiledRuleset } from './rules/compile.js';
import { summarizeConversation } from './summarize-conversation.js';

export interface SimulationWorld {
  readonly now: Instant;
  readonly workspace: WorkspaceModel;
  readonly ruleset: CompiledRuleset;
  /** What the result names as the ruleset run: `draft` or a version number. */
  readonly rulesetLabel: 'draft' | number;
  readonly assistant: Assistant;
  /** Live agent states with the scenario's `agents` overrides already applied. */
  readonly agents: ReadonlyMap<string, AgentState>;
  readonly queueStats: (placeId: string) => QueueStats;
}

/** Ids the simulated conversation and contact carry: never a stored row's id. */
const SIMULATED_CONVERSATION = 'simulation';
const SIMULATED_CONTACT = 'simulation-contact';

export function simulateScenario(scenario: Scenario, world: SimulationWorld): SimulationResult {
  const contact: ContactFacts = {
    id: SIMULATED_CONTACT,
    name: scenario.contact.name ?? null,
    email: scenario.contact.email ?? null,
    language: scenario.contact.language ?? null,
    timezone: scenario.contact.timezone ?? null,
    ownerId: scenario.contact.owner ?? null,
    properties: scenario.contact.properties ?? {},
  };
  const start = scenario.conversation ?? {};
  const ownerId = start.owner ?? null;
  let conversation: ConversationFacts = {
    id: SIMULATED_CONVERSATION,
    channelId: scenario.channel,
    // A conversation a human already owns is with people: the AI agent stays silent (decideTurn).
    status: ownerId === null ? 'bot' : 'assigned',
    ownerId,
    teamId: null,
    queueId: null,
    priority: start.priority ?? 'normal',
    tags: start.tags ?? [],
    properties: start.properties ?? {},
    language: null,
    intent: null,
    // Not expressible in a scenario (docs/configuration.md has no "previous owner"): stickiness never applies.
    previousOwnerId: null,
  };

  const transcript: TranscriptLine[] = [];
  const say = (author: MessageAuthor, body: string): void => {
    transcript.push({ author, body });
  };
  // What the live path writes for the customer (decideAndRecordHandoff): the rule's message, then
  // "Ana joined the conversation." when a person other than the owner was assigned.
  const tellCustomer = (trace: HandoffTrace): void => {
    for (const message of trace.customerMessages) say('system', message.body);
    const joined = trace.outcome === 'assigned' && trace.assignee !== null && trace.assignee !== trace.previousOwner ? world.workspace.users.get(trace.assignee) : undefined;
    if (joined !== undefined) say('system', joinedText(conversation.language ?? contact.language ?? world.workspace.language, joined.name));
  };
  const base = {
    now: world.now,
    workspace: world.workspace,
    ruleset: world.ruleset,
    contact,
    agents: world.agents,
    queueStats: world.queueStats,
  };

  let trace: HandoffTrace | null = null;
  let turnsWithoutProgress = 0;
  // An external assistant (llm, webhook) is never called here: the simulator says where a message
  // would have gone rather than making up that assistant's answer.
  let deferredTo: ExternalAssistant | null = null;
  const defer = (to: ExternalAssistant, language: string | null, intent: string | null): void => {
    deferredTo = to;
    const detected = [`language ${language ?? 'unknown'}`, `intent ${intent ?? 'none'}`].join(', ');
    say('system', `→ ${EXTERNAL_NAMES[to]}: this message is sent to it (not called by the simulator; ${detected})`);
  };
  const external = externalAssistantOf(world.workspace, scenario.channel);

  if (scenario.trigger === undefined) {
    for (const text of scenario.messages) {
      const history = [...transcript];
      say('contact', text);
      // After a handoff the conversation is with people: later messages only join the transcript.
      if (trace !== null) continue;
      const decision = decideTurn({
        ...base,
        conversation,
        assistant: world.assistant,
        text,
        history,
        turnsWithoutProgress,
      });
      switch (decision.kind) {
        case 'human':
          break;
        case 'reply':
          conversation = learn(conversation, decision.turn.language, decision.turn.intent);
          turnsWithoutProgress = decision.turn.turnsWithoutProgress;
          say('assistant', decision.reply);
          break;
        case 'defer':
          conversation = learn(conversation, decision.turn.language, decision.turn.intent);
          defer(decision.to, conversation.language ?? contact.language, conversation.intent);
          break;
        case 'handoff':
          trace = withSummary(decision.trace, transcript);
          conversation = handedOff(conversation, trace);
          tellCustomer(trace);
          break;
      }
    }
  } else {
    // A workflow trigger (a flag, an SLA breach, an integration's handoff call) fires after the
    // messages: the assistant reads them as it would have (language, intent), then the trigger
    // is decided as the handoff API decides it — always a handoff, the fallback included.
    for (const text of scenario.messages) {
      const history = [...transcript];
      say('contact', text);
      const turn = world.assistant.respond({
        text,
        history,
        knownLanguage: conversation.language ?? contact.language,
        turnsWithoutProgress,
      });
      conversation = learn(conversation, turn.language, turn.intent);
      turnsWithoutProgress = turn.turnsWithoutProgress;
      if (conversation.status !== 'bot') continue;
      if (external !== null) {
        // As decideTurn: only the deterministic detectors' hard triggers stop an external assistant.
        if (!turn.triggers.some((candidate) => !candidate.soft && candidate.detector !== undefined)) defer(external, conversation.language ?? contact.language, conversation.intent);
        continue;
      }
      const answers = !turn.triggers.some((candidate) => !candidate.soft);
      if (answers && turn.reply !== null) say('assistant', turn.reply);
    }
    const last = scenario.messages[scenario.messages.length - 1] ?? '';
    const decided = decideHandoff({ ...base, conversation, trigger: scenario.trigger, messageText: last, note: `simulated ${scenario.trigger}` });
    trace = decided === null ? null : withSummary(decided, transcript);
    if (trace !== null) {
      conversation = handedOff(conversation, trace);
      tellCustomer(trace);
    }
  }

  const language = trace?.language ?? conversation.language ?? contact.language;
  // The last word was the external assistant's when no handoff followed its deferral.
  const pending: ExternalAssistant | null = trace === null ? deferredTo : null;
  const expectations = checkExpectations(scenario.expect, trace, language, pending);
  return {
    at: new Date(world.now).toISOString(),
    ruleset: world.rulesetLabel,
    language,
    transcript,
    trace,
    deferredTo: pending,
    expectations,
    passed: expectations.every((e) => e.ok),
  };
}

const EXTERNAL_NAMES: Record<ExternalAssistant, string> = { llm: 'the LLM agent', webhook: 'the webhook bot' };

function externalAssistantOf(workspace: WorkspaceModel, channelId: string): ExternalAssistant | null {
  const kind = workspace.channels.get(channelId)?.assistant;
  return kind === 'llm' || kind === 'webhook' ? kind : null;
}

/** The handoff record's summary, as decide-and-record-handoff writes it when no language model gave one. */
function withSummary(trace: HandoffTrace, transcript: readonly TranscriptLine[]): HandoffTrace {
  const text = summarizeConversation(transcript);
  return { ...trace, summary: text === null ? null : { text, source: 'extractive' } };
}

/** What the assistant detected sticks to the conversation (language once known, latest intent). */
function learn(conversation: ConversationFacts, language: string | null, intent: string | null): ConversationFacts {
  return { ...conversation, language: conversation.language ?? language, intent: intent ?? conversation.intent };
}

function handedOff(conversation: ConversationFacts, trace: HandoffTrace): ConversationFacts {
  const status = trace.outcome === 'queued' ? 'queued' : 'assigned';
  return {
    ...conversation,
    status,
    ownerId: trace.assignee,
    teamId: trace.team,
    queueId: trace.queue,
    priority: trace.priority,
    tags: trace.tags,
    language: conversation.language ?? trace.language,
  };
}

type Expectation = SimulationResult['expectations'][number];

/** One entry per key of `expect`, in the order docs/configuration.md lists them. */
function checkExpectations(
  expect: Scenario['expect'],
  trace: HandoffTrace | null,
  language: string | null,
  deferredTo: ExternalAssistant | null,
): Expectation[] {
  if (expect === undefined) return [];
  const out: Expectation[] = [];
  const check = (field: string, expected: unknown, actual: unknown, ok = sameValue(expected, actual)): void => {
    out.push({ field, expected, actual, ok });
  };
  if (expect.trigger !== undefined) check('trigger', expect.trigger, trace?.trigger ?? null);
  if (expect.rule !== undefined) check('rule', expect.rule, trace?.rule ?? null);
  if (expect.destination !== undefined) check('destination', expect.destination, trace?.destination ?? null);
  if (expect.assignee !== undefined) check('assignee', expect.assignee, trace?.assignee ?? null);
  if (expect.queue !== undefined) check('queue', expect.queue, trace?.queue ?? null);
  if (expect.outcome !== undefined) check('outcome', expect.outcome, trace?.outcome ?? (deferredTo === null ? 'answered' : 'deferred'));
  if (expect.language !== undefined) {
    // Language tags compare case-insensitively (`pt-BR` = `pt-br`), as conditions do.
    const ok = language !== null && expect.language.toLowerCase() === language.toLowerCase();
    check('language', expect.language, language, ok);
  }
  return out;
}

/** Structural equality of JSON values (destinations are small objects). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The scenario's `agents` overrides on top of the live states: `status` replaces the
 * availability, `load` replaces the open load of each channel type it names. A user without a
 * live state starts offline with no load (the service has already refused unknown users).
 */
export function applyAgentOverrides(
  agents: ReadonlyMap<string, AgentState>,
  overrides: Readonly<Record<string, AgentOverride>> | undefined,
): Map<string, AgentState> {
  // Still laid out by workspace slot when the live states were (see AgentStates).
  const out = agents instanceof AgentStates ? new AgentStates(agents.workspace, agents) : new Map(agents);
  if (overrides === undefined) return out;
  for (const [userId, override] of Object.entries(overrides)) {
    const current: AgentState = agents.get(userId) ?? { userId, status: 'offline', load: {}, lastAssignedAt: null };
    const load: Partial<Record<ChannelType, number>> = { ...current.load, ...(override.load as Partial<Record<ChannelType, number>> | undefined) };
    out.set(userId, { ...current, status: override.status ?? current.status, load });
  }
  return out;
}
