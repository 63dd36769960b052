/**
 * Test worlds for the core: `aWorkspace().withQueue('billing', { team: 'billing' })
 * .withAgent('maria', { skills: ['lang:es'], teams: ['billing'] }).build()`. Each test builds its
 * own world, so tests share nothing and run in parallel.
 */
import type { z } from 'zod';
import type { ChannelType, ConversationStatus, Priority } from '../../contract/common.js';
import type { Scalar } from '../../contract/conditions.js';
import {
  WorkspaceConfig,
  type ChannelConfig,
  type Destination,
  type QueueConfig,
  type Rule,
  type RuleAction,
  type ScheduleConfig,
  type TeamConfig,
  type UserConfig,
} from '../../contract/config.js';
import type { AgentState, ContactFacts, ConversationFacts, Instant, QueueStats, RuleFacts, WorkspaceModel } from '../model.js';
import { AgentStates } from '../routing/agent-states.js';
import { compileRuleset, type CompiledRuleset } from '../rules/compile.js';
import { buildWorkspace } from '../workspace.js';

type UserInput = z.input<typeof UserConfig>;
type TeamInput = z.input<typeof TeamConfig>;
type QueueInput = z.input<typeof QueueConfig>;
type ChannelInput = z.input<typeof ChannelConfig>;
type ScheduleInput = z.input<typeof ScheduleConfig>;
type RuleInput = z.input<typeof Rule>;
type ActionInput = z.input<typeof RuleAction>;

export interface AgentOptions extends Partial<Omit<UserInput, 'id'>> {
  /** Teams this agent is a member of (created with defaults when not declared). */
  readonly teams?: readonly string[];
  /** Live open load per channel type. The live status is the configured `status`. */
  readonly load?: Partial<Record<ChannelType, number>>;
  readonly lastAssignedAt?: Instant | null;
}

export interface BuiltWorkspace {
  readonly config: WorkspaceConfig;
  readonly workspace: WorkspaceModel;
  /** Live agent state as the store would load it. */
  readonly agents: Map<string, AgentState>;
  /** The handoff ruleset compiled (version 1). */
  ruleset(): CompiledRuleset;
}

export class WorkspaceBuilder {
  private readonly schedules: ScheduleInput[] = [];
  private readonly users: UserInput[] = [];
  private readonly teams: (Partial<TeamInput> & { id: string })[] = [];
  private readonly queues: (Partial<QueueInput> & { id: string })[] = [];
  private readonly channels: (Partial<ChannelInput> & { id: string })[] = [];
  private readonly rules: RuleInput[] = [];
  private fallback: Partial<ActionInput> | null = null;
  private readonly states = new Map<string, { load: Partial<Record<ChannelType, number>>; lastAssignedAt: Instant | null }>();
  private settings: { name: string; timezone: string; language: string } = { name: 'Acme Support', timezone: 'UTC', language: 'en' };

  withSettings(settings: Partial<{ name: string; timezone: string; language: string }>): this {
    this.settings = { ...this.settings, ...settings };
    return this;
  }

  withSchedule(id: string, hours: ScheduleInput['hours'], options: { timezone?: string; holidays?: string[] } = {}): this {
    this.schedules.push({ id, timezone: options.timezone ?? 'UTC', hours, holidays: options.holidays ?? [] });
    return this;
  }

  withAgent(id: string, options: AgentOptions = {}): this {
    const { teams, load, lastAssignedAt, ...user } = options;
    this.users.push({ id, name: capitalise(id), email: `${id}@acme.test`, ...user });
    for (const teamId of teams ?? []) {
      let team = this.teams.find((t) => t.id === teamId);
      if (team === undefined) {
        team = { id: teamId };
        this.teams.push(team);
      }
      team.members = [...(team.members ?? []), id];
    }
    this.states.set(id, { load: load ?? {}, lastAssignedAt: lastAssignedAt ?? null });
    return this;
  }

  withTeam(id: string, options: Partial<Omit<TeamInput, 'id'>> = {}): this {
    const existing = this.teams.find((t) => t.id === id);
    if (existing !== undefined) {
      Object.assign(existing, options, { members: [...(existing.members ?? []), ...(options.members ?? [])] });
    } else {
      this.teams.push({ id, ...options });
    }
    return this;
  }

  withQueue(id: string, options: Partial<Omit<QueueInput, 'id'>> = {}): this {
    this.queues.push({ id, ...options });
    return this;
  }

  withChannel(id: string, options: Partial<Omit<ChannelInput, 'id'>> = {}): this {
    this.channels.push({ id, ...options });
    return this;
  }

  /** A rule: `then` fields default like baton.yaml (reassign, notify in_app). */
  withRule(id: string, rule: Omit<RuleInput, 'id'>): this {
    this.rules.push({ id, ...rule });
    return this;
  }

  withFallback(action: Partial<ActionInput>): this {
    this.fallback = action;
    return this;
  }

  config(): WorkspaceConfig {
    const firstPlace: Destination =
      this.queues[0] !== undefined
        ? { queue: this.queues[0].id }
        : this.teams[0] !== undefined
          ? { team: this.teams[0].id }
          : { queue: 'general' };
    const channels: (Partial<ChannelInput> & { id: string })[] =
      this.channels.length > 0 ? this.channels : [{ id: 'web-chat', type: 'chat', assistant: 'builtin' }];
    return WorkspaceConfig.parse({
      workspace: this.settings,
      schedules: this.schedules,
      users: this.users,
      teams: this.teams.map((t) => ({ name: capitalise(t.id), ...t })),
      queues: this.queues.map((q) => ({ name: capitalise(q.id), ...q })),
      channels: channels.map((c) => ({ type: 'chat', defaultRoute: firstPlace, ...c })),
      handoff: {
        rules: this.rules,
        fallback: { destination: firstPlace, assignment: 'unassign_to_queue', ...this.fallback },
      },
    });
  }

  build(): BuiltWorkspace {
    const config = this.config();
    const workspace = buildWorkspace(config);
    const agents = new AgentStates(workspace);
    for (const user of config.users) {
      const state = this.states.get(user.id);
      agents.set(user.id, {
        userId: user.id,
        status: user.status,
        load: state?.load ?? {},
        lastAssignedAt: state?.lastAssignedAt ?? null,
      });
    }
    let compiled: CompiledRuleset | null = null;
    return {
      config,
      workspace,
      agents,
      ruleset: () =>
        (compiled ??= compileRuleset(config.handoff, { schedules: workspace.schedules, timezone: workspace.timezone }, 1)),
    };
  }
}

export function aWorkspace(): WorkspaceBuilder {
  return new WorkspaceBuilder();
}

export function aConversation(overrides: Partial<ConversationFacts> = {}): ConversationFacts {
  return {
    id: 'c1',
    channelId: 'web-chat',
    status: 'bot' satisfies ConversationStatus,
    ownerId: null,
    teamId: null,
    queueId: null,
    priority: 'normal' satisfies Priority,
    tags: [],
    properties: {},
    language: null,
    intent: null,
    previousOwnerId: null,
    ...overrides,
  };
}

export function aContact(overrides: Partial<ContactFacts> & { properties?: Record<string, Scalar> } = {}): ContactFacts {
  return {
    id: 'k1',
    name: 'Lucía',
    email: 'lucia@example.test',
    language: null,
    timezone: null,
    ownerId: null,
    properties: {},
    ...overrides,
  };
}

/** Wednesday 2026-11-25, 10:30 UTC (11:30 in Madrid): the rule tests' default `now`. */
export const WEDNESDAY_MORNING = Date.parse('2026-11-25T10:30:00Z');

export interface FactsInput extends Partial<Omit<RuleFacts, 'contact' | 'conversation'>> {
  readonly contact?: Partial<ContactFacts>;
  readonly conversation?: Partial<ConversationFacts>;
}

/** Rule facts of a customer asking for a human on web chat, Wednesday morning; `input` overrides. */
export function aFacts(input: FactsInput = {}): RuleFacts {
  const { contact, conversation, ...rest } = input;
  return {
    trigger: 'customer_requested_human',
    channel: { id: 'web-chat', type: 'chat' },
    contact: aContact(contact),
    conversation: aConversation(conversation),
    language: null,
    intent: null,
    messageText: 'I want to talk to a human',
    now: WEDNESDAY_MORNING,
    ...rest,
  };
}

/** Queue statistics by place id; unknown places have nobody waiting and no history. */
export function statsOf(stats: Record<string, Partial<QueueStats>> = {}): (placeId: string) => QueueStats {
  return (placeId) => ({ waiting: 0, recentFirstResponseSeconds: null, ...stats[placeId] });
}

/** Replace one agent's live state. */
export function withAgentState(
  agents: ReadonlyMap<string, AgentState>,
  userId: string,
  state: Partial<Omit<AgentState, 'userId'>>,
): Map<string, AgentState> {
  const next = agents instanceof AgentStates ? new AgentStates(agents.workspace, agents) : new Map(agents);
  const current = agents.get(userId) ?? { userId, status: 'offline' as const, load: {}, lastAssignedAt: null };
  next.set(userId, { ...current, ...state });
  return next;
}

function capitalise(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}
