/**
 * THE handoff decision: which rule, which destination, who owns it or where it waits, what the
 * customer is told, who is notified, which tasks and timers follow. Pure (time comes in as
 * `now`), used alike by the live path, the simulator and replay, so what the simulator shows is
 * what production does.
 */
import type { ChannelType, Priority, Strategy, Trigger } from '../contract/common.js';
import type { Scalar } from '../contract/conditions.js';
import type { Destination, RuleAction, Ruleset, SetSpec } from '../contract/config.js';
import type {
  CandidateTrace,
  CustomerMessageOut,
  HandoffTrace,
  PlannedNotification,
  PlannedTask,
  PlannedTimer,
} from '../contract/trace.js';
import { parseDurationSeconds } from './duration.js';
import type {
  AgentState,
  ContactFacts,
  ConversationFacts,
  Instant,
  QueueModel,
  QueueStats,
  RuleFacts,
  Schedule,
  TeamModel,
  WorkspaceModel,
} from './model.js';
import {
  expectationText,
  handoffText,
  instantText,
  outOfHoursText,
  waitText,
  withoutWaitSentences,
} from './routing/customer-texts.js';
import { estimateWaitSeconds } from './routing/estimate-wait.js';
import { eligibleInRoster, pickInRoster, type EligibilityContext } from './routing/roster.js';
import { chooseMessageLanguage, primarySubtag, renderTemplate, usesVariable } from './routing/render-template.js';
import type { CompiledRuleset } from './rules/compile.js';
import { compileRuleset, evaluateRuleset } from './rules/compile.js';
import { addBusinessSeconds, isOpenAt, nextOpeningAfter } from './schedule/schedule.js';
import { rosterFor, workspaceIndex } from './workspace.js';
import { anyoneElseIn } from './routing/not-back-to.js';

export interface HandoffInput {
  readonly now: Instant;
  readonly trigger: Trigger;
  readonly workspace: WorkspaceModel;
  readonly ruleset: CompiledRuleset;
  readonly conversation: ConversationFacts;
  readonly contact: ContactFacts;
  readonly messageText: string;
  readonly agents: ReadonlyMap<string, AgentState>;
  /** Waiting count and recent response time of a queue (by queue id) or team (by team id). */
  readonly queueStats: (placeId: string) => QueueStats;
  /**
   * Soft triggers (intent_or_keyword, negative_sentiment) hand off only when an explicit rule
   * matches: no fallback, and the result is null when none did.
   */
  readonly soft?: boolean;
  readonly note?: string | null;
  /** People not to assign, with the reason the trace shows (SLA re-routes skip the silent owner). */
  readonly exclude?: Exclusion;
}

/**
 * People a decision does not assign, and why (shown on their candidate line in the trace).
 * `unlessNobodyElse`: only while someone else in the place could ever take it — a member with
 * the place's skills, whatever their status, load or hours now; when the excluded are the only
 * ones, the exclusion is dropped rather than leaving the conversation waiting for nobody
 *.
 */
export interface Exclusion {
  readonly userIds: ReadonlySet<string>;
  readonly reason: string;
  readonly unlessNobodyElse?: boolean;
}

/** Returns null only for a soft trigger that no rule answered. */
export function decideHandoff(input: HandoffInput): HandoffTrace | null {
  const { workspace, now } = input;
  const channel = workspace.channels.get(input.conversation.channelId);
  // A conversation on a channel removed since: capacity is unknown per type, `api` is the generic one.
  const channelType: ChannelType = channel?.type ?? 'api';
  const language = input.conversation.language ?? input.contact.language;
  const intent = input.conversation.intent;

  const facts: RuleFacts = {
    trigger: input.trigger,
    channel: { id: input.conversation.channelId, type: channelType },
    contact: input.contact,
    conversation: input.conversation,
    language,
    intent,
    messageText: input.messageText,
    now,
  };
  let match = evaluateRuleset(input.ruleset, facts, { useFallback: input.soft !== true });
  if (match === null) {
    if (input.soft === true) return null;
    // The fallback always exists: a hard trigger is never dropped (CW #4271).
    match = { rule: 'fallback', action: input.ruleset.fallback, evaluated: [] };
  }
  const action = match.action;

  // `set` first, so the out-of-hours `when` and everything after sees the new priority and tags.
  const set: SetSpec = action.set ?? {};
  const priority: Priority = set.priority ?? input.conversation.priority;
  const tags = set.tags === undefined ? [...input.conversation.tags] : union(input.conversation.tags, set.tags);
  const properties: Readonly<Record<string, Scalar>> =
    set.properties === undefined ? input.conversation.properties : { ...input.conversation.properties, ...set.properties };
  const conversation: ConversationFacts =
    action.set === undefined ? input.conversation : { ...input.conversation, priority, tags, properties };

  // The facts as `set` left them (the out-of-hours `when` reads them); without `set`, the same.
  const router = new Router(input, action, conversation, channelType, conversation === input.conversation ? facts : { ...facts, conversation });
  const routed = router.route();

  // Expected wait and place in line.
  let queuePosition: number | null = null;
  let expectedWaitSeconds: number | null = null;
  if (routed.outcome === 'assigned') {
    expectedWaitSeconds = 0;
  } else if (routed.outcome === 'queued') {
    const placeId = routed.queue ?? routed.team;
    if (placeId !== null) {
      const stats = input.queueStats(placeId);
      queuePosition = stats.waiting + 1;
      const waitQueue = routed.queue === null ? undefined : workspace.queues.get(routed.queue);
      if (!routed.waitUnknown) {
        expectedWaitSeconds = estimateWaitSeconds({
          position: queuePosition,
          staffed: routed.staffed,
          recentFirstResponseSeconds: stats.recentFirstResponseSeconds,
          slaFirstResponseSeconds: waitQueue?.firstResponseSeconds ?? null,
          secondsUntilOpen: routed.nextOpenAt === null ? 0 : (routed.nextOpenAt - now) / 1000,
        });
      }
    }
  }

  const owner = routed.outcome === 'kept_owner' ? input.conversation.ownerId : routed.assignee;
  const messageLanguage = language ?? workspace.language;

  const customerMessages = planCustomerMessages({
    input,
    action,
    routed,
    owner,
    language: messageLanguage,
    queuePosition,
    expectedWaitSeconds,
  });

  return {
    trigger: input.trigger,
    rule: match.rule,
    ruleVersion: input.ruleset.version,
    evaluated: match.evaluated,
    destination: routed.destination,
    assignment: action.assignment,
    outcome: routed.outcome,
    assignee: routed.outcome === 'kept_owner' ? input.conversation.ownerId : routed.assignee,
    previousOwner: input.conversation.ownerId,
    team: routed.team,
    queue: routed.queue,
    followers: routed.followers,
    strategy: routed.strategy,
    sticky: routed.sticky,
    candidates: routed.candidates,
    routingNotes: routed.notes,
    outOfHours: routed.outOfHours,
    nextOpenAt: routed.nextOpenAt === null ? null : iso(routed.nextOpenAt),
    queuePosition,
    expectedWaitSeconds,
    customerMessages,
    notifications: planNotifications(action, routed, input.conversation.ownerId),
    tasks: planTasks(action, routed, owner, now),
    set,
    priority,
    tags,
    timers: planTimers(workspace, routed, now),
    language,
    intent,
    note: input.note ?? null,
    decidedAt: iso(now),
  };
}

// ---------------------------------------------------------------------------------------------
// Routing: destination → owner or place to wait.

interface Routed {
  destination: Destination;
  outcome: 'assigned' | 'queued' | 'kept_owner';
  assignee: string | null;
  team: string | null;
  queue: string | null;
  followers: string[];
  strategy: Strategy | null;
  sticky: boolean;
  candidates: CandidateTrace[];
  notes: string[];
  outOfHours: boolean;
  nextOpenAt: Instant | null;
  /** Eligible people of the place (for queued notifications). */
  eligible: readonly string[];
  /** Everyone of the place (queued notifications when nobody is eligible). */
  members: readonly string[];
  staffed: number;
  /** Closed with no opening in sight: no honest estimate exists. */
  waitUnknown: boolean;
}

/** A team's required skills: one shared array, so the team's roster is found by identity. */
const NO_SKILLS: readonly string[] = Object.freeze([]);

type Place =
  | { readonly kind: 'team'; readonly team: TeamModel }
  | { readonly kind: 'queue'; readonly queue: QueueModel; readonly team: TeamModel | null };

class Router {
  private readonly notes: string[] = [];
  private readonly workspace: WorkspaceModel;
  /** The conversation's human owner, when it has one the workspace knows. */
  private readonly owner: string | null;
  private readonly keepOwner: boolean;

  constructor(
    private readonly input: HandoffInput,
    private readonly action: RuleAction,
    private readonly conversation: ConversationFacts,
    private readonly channelType: ChannelType,
    private readonly facts: RuleFacts,
  ) {
    this.workspace = input.workspace;
    const ownerId = conversation.ownerId;
    this.owner = ownerId !== null && this.workspace.users.has(ownerId) ? ownerId : null;
    this.keepOwner = action.assignment === 'keep_owner_and_alert' && this.owner !== null;
  }

  route(): Routed {
    const { workspace } = this;
    const channel = workspace.channels.get(this.conversation.channelId);
    // Never drop a handoff (CW #4271): the rule's destination, else the channel's default route,
    // else the ruleset's fallback, else any place to wait.
    const chain: { dest: Destination; label: string }[] = [{ dest: this.action.destination, label: '' }];
    if (channel !== undefined) chain.push({ dest: channel.defaultRoute, label: "the channel's default route" });
    chain.push({ dest: this.input.ruleset.fallback.destination, label: "the fallback rule's destination" });

    let rejected: CandidateTrace[] = [];
    for (let i = 0; i < chain.length; i++) {
      const step = chain[i];
      if (step === undefined) continue;
      if (i > 0 && chain.slice(0, i).some((earlier) => sameDestination(earlier.dest, step.dest))) continue;
      if (i > 0) this.notes.push(`falling back to ${step.label} (${describe(step.dest)})`);
      const result = this.tryDestination(step.dest, 0);
      if (result.routed !== null) {
        if (rejected.length > 0) result.routed.candidates = [...rejected, ...result.routed.candidates];
        return result.routed;
      }
      rejected = [...rejected, ...result.rejected];
    }

    // Every configured destination was unusable (dangling ids or an ineligible user): wait
    // anywhere sensible rather than nowhere.
    const requested = this.requestedUser(this.action.destination);
    const userTeam = requested === null ? undefined : workspace.users.get(requested)?.teams[0];
    const team = userTeam === undefined ? undefined : workspace.teams.get(userTeam);
    const place: Place | null =
      team !== undefined
        ? { kind: 'team', team }
        : firstOf(workspace.queues) !== undefined
          ? { kind: 'queue', queue: firstOf(workspace.queues) as QueueModel, team: null }
          : firstOf(workspace.teams) !== undefined
            ? { kind: 'team', team: firstOf(workspace.teams) as TeamModel }
            : null;
    if (place !== null) {
      const withTeam: Place = place.kind === 'queue' ? { ...place, team: this.teamOf(place.queue) } : place;
      this.notes.push(`no configured destination was usable: waiting on ${placeLabel(withTeam)}`);
      const routed = this.routeToPlace(withTeam, 0);
      routed.candidates = [...rejected, ...routed.candidates];
      return routed;
    }
    this.notes.push('no queue or team exists to wait in: the workspace needs one');
    return this.result(this.action.destination, 'queued', {
      candidates: rejected,
    });
  }

  /** `routed` null: this destination cannot take the conversation; `rejected` says who was tried. */
  private tryDestination(dest: Destination, depth: number): { routed: Routed | null; rejected: CandidateTrace[] } {
    const { workspace } = this;
    if ('user' in dest) {
      const id = this.requestedUser(dest);
      if (id === null) {
        this.notes.push('the contact has no owner');
        return { routed: null, rejected: [] };
      }
      const user = workspace.users.get(id);
      if (user === undefined) {
        this.notes.push(`unknown user ${id}`);
        return { routed: null, rejected: [] };
      }
      const resolved: Destination = { user: id };
      if (this.keepOwner && this.owner !== null) {
        // The owner keeps it; the requested person follows and is alerted, wherever they are.
        return {
          routed: this.result(resolved, 'kept_owner', {
            assignee: this.owner,
            team: this.conversation.teamId,
            queue: this.conversation.queueId,
            followers: id === this.owner ? [] : [id],
          }),
          rejected: [],
        };
      }
      if (this.action.assignment === 'unassign_to_queue') {
        this.notes.push(`a user destination has no queue: ${id} is assigned as with reassign`);
      }
      const members = workspaceIndex(workspace).userCandidates.get(id) ?? [id];
      const check = eligibleInRoster(rosterFor(workspace, members, NO_SKILLS), this.eligibilityContext(NO_SKILLS, this.input.exclude));
      if (check.eligible.length === 1) {
        return {
          routed: this.result(resolved, 'assigned', {
            assignee: id,
            candidates: check.candidates,
            eligible: check.eligible,
            members,
            staffed: check.staffed,
          }),
          rejected: [],
        };
      }
      this.notes.push(`${id} is not eligible (${check.candidates[0]?.reason ?? 'unknown'})`);
      return { routed: null, rejected: check.candidates };
    }
    if ('team' in dest) {
      const team = workspace.teams.get(dest.team);
      if (team === undefined) {
        this.notes.push(`unknown team ${dest.team}`);
        return { routed: null, rejected: [] };
      }
      return { routed: this.routeToPlace({ kind: 'team', team }, depth), rejected: [] };
    }
    const queue = workspace.queues.get(dest.queue);
    if (queue === undefined) {
      this.notes.push(`unknown queue ${dest.queue}`);
      return { routed: null, rejected: [] };
    }
    return { routed: this.routeToPlace({ kind: 'queue', queue, team: this.teamOf(queue) }, depth), rejected: [] };
  }

  private routeToPlace(place: Place, depth: number): Routed {
    const index = workspaceIndex(this.workspace);
    const destination: Destination = place.kind === 'team' ? { team: place.team.id } : { queue: place.queue.id };
    const members =
      (place.kind === 'team' ? index.teamCandidates.get(place.team.id) : index.queueCandidates.get(place.queue.id)) ?? [];
    const requiredSkills = place.kind === 'queue' ? place.queue.requiredSkills : NO_SKILLS;
    const strategy: Strategy = place.kind === 'team' ? place.team.strategy : place.queue.strategy;
    const sticky = place.kind === 'team' ? place.team.sticky : place.queue.sticky;
    const teamId = place.kind === 'team' ? place.team.id : (place.team?.id ?? null);
    const queueId = place.kind === 'queue' ? place.queue.id : null;

    const keepOwner = this.keepOwner && this.owner !== null;
    // Closed now? Asked before the place's own eligibility: when the out-of-hours rule sends the
    // conversation elsewhere, the trace shows the other place's candidates, not these.
    let closed: Schedule | null = null;
    if (!keepOwner && place.kind === 'queue' && place.queue.scheduleId !== null) {
      const schedule = this.workspace.schedules.get(place.queue.scheduleId);
      if (schedule !== undefined && !isOpenAt(schedule, this.input.now)) {
        closed = schedule;
        const queue = place.queue;
        const ooh = queue.outOfHours;
        if (ooh?.action === 'route' && ooh.to !== undefined && depth === 0) {
          if (ooh.when === undefined || this.outOfHoursConditionHolds(queue)) {
            this.notes.push(`queue ${queue.id} is closed: routed to ${describe(ooh.to)} (out-of-hours rule)`);
            const rerouted = this.tryDestination(ooh.to, depth + 1);
            if (rerouted.routed !== null) {
              rerouted.routed.outOfHours = true;
              return rerouted.routed;
            }
            this.notes.push(`out-of-hours destination ${describe(ooh.to)} is unusable: queued and informed`);
          } else {
            this.notes.push(`queue ${queue.id} is closed and the out-of-hours condition does not hold: queued and informed`);
          }
        } else {
          this.notes.push(`queue ${queue.id} is closed: queued and informed`);
        }
      }
    }

    const roster = rosterFor(this.workspace, members, requiredSkills);
    const check = eligibleInRoster(roster, this.eligibilityContext(requiredSkills, this.exclusionIn(members, requiredSkills)));
    // The place's result, completed by the branch that decides: one object per decision, where
    // spreading a base into each outcome built two (bench/results/routing-profile.md).
    const routed = this.result(destination, 'queued', {
      team: teamId,
      queue: queueId,
      strategy,
      candidates: check.candidates,
      eligible: check.eligible,
      members,
      staffed: check.staffed,
    });

    if (keepOwner) {
      // The place is recorded for visibility; its agents follow and are alerted.
      const owner = this.owner;
      const pool = check.eligible.length > 0 ? check.eligible : members;
      routed.outcome = 'kept_owner';
      routed.assignee = owner;
      routed.followers = pool.filter((id) => id !== owner);
      return routed;
    }

    if (closed !== null) {
      const nextOpenAt = nextOpeningAfter(closed, this.input.now);
      if (nextOpenAt === null) this.notes.push(`schedule ${closed.id} does not open within a year`);
      routed.outOfHours = true;
      routed.nextOpenAt = nextOpenAt;
      routed.waitUnknown = nextOpenAt === null;
      return routed;
    }

    if (strategy === 'manual') {
      this.notes.push(`${placeLabel(place)} is manual: waits for an agent to claim it`);
      return routed;
    }

    // Stickiness only for a previous owner who is eligible now (CW #9587: a reopened
    // conversation went back to its offline previous owner).
    const previous = this.conversation.previousOwnerId;
    if (sticky && previous !== null) {
      if (check.eligible.includes(previous)) {
        routed.outcome = 'assigned';
        routed.assignee = previous;
        routed.sticky = true;
        return routed;
      }
      const trace = check.candidates.find((c) => c.user === previous);
      this.notes.push(
        trace === undefined
          ? `previous owner ${previous} is not a member of ${placeLabel(place)}`
          : `previous owner ${previous} is not eligible now (${trace.reason ?? 'unknown'})`,
      );
    }

    const pick = pickInRoster(strategy, roster, check, {
      workspace: this.workspace,
      agents: this.input.agents,
      channelType: this.channelType,
    });
    if (pick !== null) {
      routed.outcome = 'assigned';
      routed.assignee = pick;
      return routed;
    }
    this.notes.push(`nobody in ${placeLabel(place)} is eligible now: waits until someone is`);
    return routed;
  }

  private outOfHoursConditionHolds(queue: QueueModel): boolean {
    const compiled = outOfHoursCondition(this.workspace, queue);
    if (compiled === null) return true;
    return evaluateRuleset(compiled, this.facts, { useFallback: false }) !== null;
  }

  private requestedUser(dest: Destination): string | null {
    if (!('user' in dest)) return null;
    return dest.user === 'contact_owner' ? this.input.contact.ownerId : dest.user;
  }

  private teamOf(queue: QueueModel): TeamModel | null {
    return queue.teamId === null ? null : (this.workspace.teams.get(queue.teamId) ?? null);
  }

  private eligibilityContext(requiredSkills: readonly string[], exclude: Exclusion | undefined): EligibilityContext {
    return {
      workspace: this.workspace,
      agents: this.input.agents,
      now: this.input.now,
      channelType: this.channelType,
      requiredSkills,
      exclude,
    };
  }

  /** The exclusion for one place: dropped when it would leave nobody who could ever take it (`unlessNobodyElse`). */
  private exclusionIn(members: readonly string[], requiredSkills: readonly string[]): Exclusion | undefined {
    const exclude = this.input.exclude;
    if (exclude?.unlessNobodyElse !== true) return exclude;
    return anyoneElseIn(this.workspace, members, requiredSkills, exclude.userIds) ? exclude : undefined;
  }

  /** Fields left out take their defaults; read one by one, since spreading a partial is slow. */
  private result(destination: Destination, outcome: Routed['outcome'], fields: Partial<Routed>): Routed {
    return {
      destination,
      outcome,
      assignee: fields.assignee ?? null,
      team: fields.team ?? null,
      queue: fields.queue ?? null,
      followers: fields.followers ?? [],
      strategy: fields.strategy ?? null,
      sticky: fields.sticky ?? false,
      candidates: fields.candidates ?? [],
      outOfHours: fields.outOfHours ?? false,
      nextOpenAt: fields.nextOpenAt ?? null,
      eligible: fields.eligible ?? [],
      members: fields.members ?? [],
      staffed: fields.staffed ?? 0,
      waitUnknown: fields.waitUnknown ?? false,
      notes: this.notes,
    };
  }
}

/** Out-of-hours `when` conditions, compiled once per workspace and queue (never per decision). */
const outOfHoursConditions = new WeakMap<WorkspaceModel, Map<string, CompiledRuleset | null>>();

function outOfHoursCondition(workspace: WorkspaceModel, queue: QueueModel): CompiledRuleset | null {
  let perQueue = outOfHoursConditions.get(workspace);
  if (perQueue === undefined) {
    perQueue = new Map();
    outOfHoursConditions.set(workspace, perQueue);
  }
  const cached = perQueue.get(queue.id);
  if (cached !== undefined) return cached;
  const when = queue.outOfHours?.when;
  let compiled: CompiledRuleset | null = null;
  if (when !== undefined) {
    // A one-rule ruleset is the condition compiler: one grammar, one evaluator, one explanation.
    const placeholder: RuleAction = { destination: { queue: queue.id }, assignment: 'reassign', notify: [], tasks: [] };
    const ruleset: Ruleset = {
      reviewEvery: '90d',
      rules: [{ id: `${queue.id}-out-of-hours`, enabled: true, if: when, then: placeholder }],
      fallback: placeholder,
    };
    compiled = compileRuleset(ruleset, { schedules: workspace.schedules, timezone: workspace.timezone }, null);
  }
  perQueue.set(queue.id, compiled);
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// What follows from the routing: customer messages, notifications, tasks, timers.

function planCustomerMessages(args: {
  input: HandoffInput;
  action: RuleAction;
  routed: Routed;
  owner: string | null;
  language: string;
  queuePosition: number | null;
  expectedWaitSeconds: number | null;
}): CustomerMessageOut[] {
  const { input, action, routed, owner } = args;
  if (action.message === false) return [];
  const { workspace } = input;

  let template: string;
  let lang: string;
  if (action.message === undefined) {
    lang = primarySubtag(args.language);
    template = handoffText(lang);
    if (routed.outcome === 'queued' && args.expectedWaitSeconds !== null) template += ` ${expectationText(lang)}`;
  } else {
    const chosen = chooseMessageLanguage(Object.keys(action.message), input.conversation.language ?? input.contact.language, workspace.language);
    if (chosen === null) return [];
    lang = chosen;
    template = action.message[chosen] ?? '';
  }
  // A person assigned now: who joined is the next message, never a wait.
  if (routed.outcome !== 'queued') template = withoutWaitSentences(template);
  if (template === '') return [];
  if (routed.outOfHours && routed.outcome === 'queued' && routed.nextOpenAt !== null && !usesVariable(template, 'business_hours.next_open')) {
    template += ` ${outOfHoursText(lang)}`;
  }

  const team = routed.team === null ? undefined : workspace.teams.get(routed.team);
  const queue = routed.queue === null ? undefined : workspace.queues.get(routed.queue);
  const agent = owner === null ? undefined : workspace.users.get(owner);
  let nextOpen: string | null = null;
  if (routed.nextOpenAt !== null) {
    const schedule = queue === undefined || queue.scheduleId === null ? undefined : workspace.schedules.get(queue.scheduleId);
    const zone = input.contact.timezone ?? schedule?.timezone ?? workspace.timezone;
    nextOpen = instantText(routed.nextOpenAt, zone, lang);
  }
  const body = renderTemplate(template, {
    'contact.name': input.contact.name,
    'team.name': team?.name,
    'queue.name': queue?.name,
    'agent.name': agent?.name,
    expected_wait: args.expectedWaitSeconds === null ? null : waitText(args.expectedWaitSeconds, lang),
    'queue.position': args.queuePosition === null ? null : String(args.queuePosition),
    'business_hours.next_open': nextOpen,
  });
  return [{ language: lang, body }];
}

function planNotifications(action: RuleAction, routed: Routed, ownerId: string | null): PlannedNotification[] {
  if (action.notify.length === 0) return [];
  let recipients: string[];
  let reason: PlannedNotification['reason'];
  switch (routed.outcome) {
    case 'assigned':
      recipients = routed.assignee === null ? [] : [routed.assignee];
      reason = 'assigned';
      break;
    case 'queued':
      // Queue handoffs alert the eligible members; if nobody is eligible, everyone of the place:
      // somebody must hear of it (CW #5077/#6112: agents never learnt of the handoff).
      recipients = [...(routed.eligible.length > 0 ? routed.eligible : routed.members)];
      reason = 'queued';
      break;
    case 'kept_owner':
      recipients = ownerId === null ? [...routed.followers] : [ownerId, ...routed.followers.filter((id) => id !== ownerId)];
      reason = 'alert';
      break;
  }
  return action.notify.map((channel) => ({ channel, recipients: [...recipients], reason }));
}

function planTasks(action: RuleAction, routed: Routed, owner: string | null, now: Instant): PlannedTask[] {
  if (action.tasks.length === 0) return [];
  return action.tasks.map((spec) => {
    const dueSeconds = parseDurationSeconds(spec.due);
    let assignee: string | null = null;
    let team: string | null = null;
    if (spec.assignee === 'owner') {
      assignee = owner;
      // Nobody owns it yet: the waiting team carries the task until someone does.
      if (owner === null) team = routed.team;
    } else if ('user' in spec.assignee) {
      assignee = spec.assignee.user;
    } else {
      team = spec.assignee.team;
    }
    const checkIn = spec.type === 'check_in';
    const dueAt = now + dueSeconds * 1000;
    return {
      type: spec.type,
      assignee,
      team,
      dueAt: checkIn || !isDate(dueAt) ? null : iso(dueAt),
      dueAfterResolutionSeconds: checkIn ? dueSeconds : null,
      note: spec.note ?? null,
    };
  });
}

function planTimers(workspace: WorkspaceModel, routed: Routed, now: Instant): PlannedTimer[] {
  if (routed.outcome === 'kept_owner' || routed.queue === null) return [];
  const queue = workspace.queues.get(routed.queue);
  if (queue === undefined) return [];
  const timers: PlannedTimer[] = [];
  // The human clock starts at handoff (CW #8477), queued or assigned: the first reply is still owed.
  if (queue.firstResponseSeconds !== null) {
    let dueAt = now + queue.firstResponseSeconds * 1000;
    if (queue.slaBusinessHours && queue.scheduleId !== null) {
      // CW PR #13392: SLA ignored business hours.
      const schedule = workspace.schedules.get(queue.scheduleId);
      const business = schedule === undefined ? null : addBusinessSeconds(schedule, now, queue.firstResponseSeconds);
      if (business !== null) dueAt = business;
    }
    if (isDate(dueAt)) timers.push({ kind: 'sla.first_response', dueAt: iso(dueAt), queue: queue.id });
  }
  if (routed.outcome === 'queued' && queue.overflowAfterSeconds !== null && queue.overflowTo !== null) {
    const dueAt = now + queue.overflowAfterSeconds * 1000;
    if (isDate(dueAt)) timers.push({ kind: 'queue.overflow', dueAt: iso(dueAt), queue: queue.id });
  }
  return timers;
}

/**
 * The schema bounds durations (366 days), so every timer lands on a date; a workspace built some
 * other way must still not make a handoff fail: the conversation lands in its owner or queue, and
 * a timer that would not be a date is left out (`new Date(…).toISOString()` throws on it).
 */
function isDate(at: Instant): boolean {
  return Number.isFinite(at) && Math.abs(at) <= 8.64e15;
}

// ---------------------------------------------------------------------------------------------

function iso(at: Instant): string {
  return new Date(at).toISOString();
}

function union(a: readonly string[], b: readonly string[]): string[] {
  const out = [...a];
  for (const tag of b) if (!out.includes(tag)) out.push(tag);
  return out;
}

function sameDestination(a: Destination, b: Destination): boolean {
  if ('user' in a) return 'user' in b && a.user === b.user;
  if ('team' in a) return 'team' in b && a.team === b.team;
  return 'queue' in b && a.queue === b.queue;
}

function describe(dest: Destination): string {
  if ('user' in dest) return `user ${dest.user}`;
  if ('team' in dest) return `team ${dest.team}`;
  return `queue ${dest.queue}`;
}

function placeLabel(place: Place): string {
  return place.kind === 'team' ? `team ${place.team.id}` : `queue ${place.queue.id}`;
}

function firstOf<T>(map: ReadonlyMap<string, T>): T | undefined {
  for (const value of map.values()) return value;
  return undefined;
}
