/**
 * Eligibility, the one path routing takes (a team, a queue, a user destination): the people of
 * one candidate list (a team, a queue with its required skills, one user), resolved once per
 * workspace version so that a routing decision checks only what changes between decisions:
 * status, load and whether a schedule is open now (bench/routing.ts, p99 ≤ 50 µs per decision).
 *
 * An agent is eligible when available, on duty by their schedule at `now` (no schedule: always),
 * holding every required skill, and under capacity for the channel type (no capacity for that
 * type: no cap). Availability is the explicit status, never socket presence
 * (CW #5672, #10685); "on duty" is computed from the schedule at read time, never flipped by a
 * job (RC #4898).
 *
 * What is static configuration — the user model, the schedule object, the first required skill
 * the user lacks, and the trace texts built from them — is computed here. `eligibleInRoster`
 * gives exactly what the plain reference `findEligibleAgents` (core/testing/find-eligible-agents.ts,
 * not used in production) gives for the same candidates and context: the property test in
 * roster.test.ts compares the two over random workspaces and live states.
 */
import type { ChannelType } from '../../contract/common.js';
import type { CandidateTrace } from '../../contract/trace.js';
import type { Strategy } from '../../contract/common.js';
import type { AgentState, Instant, Schedule, UserModel, WorkspaceModel } from '../model.js';
import { isOpenAt } from '../schedule/schedule.js';
import { workspaceIndex } from '../workspace.js';
import { AgentStates, loadFor, STATUS_CODE, statusCode } from './agent-states.js';
import { pickAgent, type PickContext } from './pick-agent.js';

export interface EligibilityContext {
  readonly workspace: WorkspaceModel;
  readonly agents: ReadonlyMap<string, AgentState>;
  readonly now: Instant;
  /** Capacity is per channel type (docs/configuration.md `capacity: { chat: 3 }`). */
  readonly channelType: ChannelType;
  readonly requiredSkills: readonly string[];
  /** People this decision must not pick, and why (an SLA re-route skips whoever did not answer). */
  readonly exclude?: { readonly userIds: ReadonlySet<string>; readonly reason: string };
}

export interface Eligibility {
  /** Eligible candidates, in candidate order. */
  readonly eligible: string[];
  /** One entry per candidate: why they could or could not take the conversation. */
  readonly candidates: CandidateTrace[];
  /**
   * Candidates who are available, on duty and skilled, whatever their load: the people who
   * will work the queue down (the `e` of the expected-wait estimate).
   */
  readonly staffed: number;
}

export interface Roster {
  readonly ids: readonly string[];
  /** The user model per candidate; undefined for an id the workspace does not know. */
  readonly users: readonly (UserModel | undefined)[];
  /** Each candidate's position in the workspace's user order (`AgentStates`), or -1 if unknown. */
  readonly slots: Int32Array;
  /** Index into `schedules` of the candidate's schedule, or -1 (none, or a dangling id). */
  readonly scheduleSlot: Int32Array;
  /** The distinct schedules of the candidates. */
  readonly schedules: readonly Schedule[];
  /** `off duty (schedule <id>)`, per entry of `schedules`. */
  readonly offDutyText: readonly string[];
  /** `missing skill <skill>` for the first required skill the candidate lacks, else null. */
  readonly missingSkill: readonly (string | null)[];
  /** Per candidate, what configuration alone decides: 0, `UNKNOWN_USER` or `MISSING_SKILL`. */
  readonly staticCode: Uint8Array;
  /**
   * The candidate traces handed out last, per channel type: a decision whose candidate has the
   * same reason and load (the capacity is the roster's, fixed per channel type) returns the same
   * (frozen) object instead of allocating one per candidate. A memo of values, so it cannot
   * change what a trace says.
   */
  readonly lastTraces: Map<ChannelType, TraceMemo>;
  /** Each candidate's capacity for a channel type (undefined: no cap), built on first use. */
  readonly caps: Map<ChannelType, readonly (number | undefined)[]>;
  /** The same capacities in a typed array, NaN for no cap (no load is ≥ NaN), built on first use. */
  readonly capLimits: Map<ChannelType, Float64Array>;
  /** `at capacity 3/5`, built once per (load, cap) pair seen (`atCapacityText`). */
  readonly atCapacityTexts: Map<number, string>;
  /**
   * The scratch state of `eligibleInRoster`, kept for the next call: a call takes it, or makes
   * its own when another call holds it, so two calls never share it.
   */
  spare: RosterScratch | null;
}

/** What one `eligibleInRoster` call works in, sized for its roster. */
interface RosterScratch {
  /** Roster positions of the eligible candidates, before they are copied into arrays of the right length. */
  readonly eligible: Int32Array;
  /** Open/closed answers of the call's schedules, per entry of `Roster.schedules` (`UNKNOWN` until asked). */
  readonly open: Uint8Array;
}

function newScratch(roster: Roster): RosterScratch {
  return { eligible: new Int32Array(roster.ids.length), open: new Uint8Array(roster.schedules.length) };
}

/**
 * Two traces per candidate, the latest and the one before: a candidate's reason flips between
 * two values as their schedule opens and closes, and with one remembered trace many were still
 * built anew per decision (bench/results/routing-profile.md). Each trace's key — its reason as a small code
 * and its load (`traceKey`) — is kept beside the traces, so that the check compares one number
 * and the reason's text is made only for a new trace.
 */
interface TraceMemo {
  readonly latest: (CandidateTrace | undefined)[];
  readonly latestKey: Float64Array;
  readonly before: (CandidateTrace | undefined)[];
  readonly beforeKey: Float64Array;
}

function emptyMemo(count: number): TraceMemo {
  return {
    latest: new Array<CandidateTrace | undefined>(count).fill(undefined),
    latestKey: new Float64Array(count).fill(Number.NaN),
    before: new Array<CandidateTrace | undefined>(count).fill(undefined),
    beforeKey: new Float64Array(count).fill(Number.NaN),
  };
}

/**
 * A candidate's reason, as a code: within one roster and channel type the code and the load
 * give the whole trace (the user, the capacity, the missing skill and the off-duty texts are the
 * roster's). Reasons that are not the roster's own (an exclusion's text, a status outside the
 * known three) have no code and are never remembered.
 */
const ELIGIBLE = 0;
const UNKNOWN_USER = 1;
const AWAY = 2;
const OFFLINE = 3;
const MISSING_SKILL = 4;
const AT_CAPACITY = 5;
/** `OFF_DUTY + i`: off duty on the roster's schedule i. */
const OFF_DUTY = 6;
const NOT_REMEMBERED = -1;
const CODES = 4_096;

/** Code and load in one number, or NaN (equal to nothing) when either cannot be kept exactly. */
function traceKey(code: number, load: number): number {
  // `load >>> 0 === load`: a whole number in [0, 2³²), so the key stays below 2⁴⁴ and exact.
  return code >= 0 && code < CODES && load >>> 0 === load ? load * CODES + code : Number.NaN;
}

export function buildRoster(workspace: WorkspaceModel, ids: readonly string[], requiredSkills: readonly string[]): Roster {
  const users = ids.map((id) => workspace.users.get(id));
  const userSlots = workspaceIndex(workspace).userSlots;
  const slots = Int32Array.from(ids, (id) => userSlots.get(id) ?? -1);
  const schedules: Schedule[] = [];
  const scheduleSlot = new Int32Array(ids.length).fill(-1);
  const missingSkill: (string | null)[] = [];
  users.forEach((user, index) => {
    let missing: string | null = null;
    if (user !== undefined) {
      const schedule = user.scheduleId === null ? undefined : workspace.schedules.get(user.scheduleId);
      if (schedule !== undefined) {
        let slot = schedules.indexOf(schedule);
        if (slot < 0) {
          slot = schedules.length;
          schedules.push(schedule);
        }
        scheduleSlot[index] = slot;
      }
      for (const skill of requiredSkills) {
        if (!user.skills.has(skill)) {
          missing = `missing skill ${skill}`;
          break;
        }
      }
    }
    missingSkill.push(missing);
  });
  return {
    ids,
    users,
    slots,
    scheduleSlot,
    schedules,
    offDutyText: schedules.map((schedule) => `off duty (schedule ${schedule.id})`),
    missingSkill,
    staticCode: Uint8Array.from(users, (user, index) => (user === undefined ? UNKNOWN_USER : missingSkill[index] !== null ? MISSING_SKILL : ELIGIBLE)),
    lastTraces: new Map(),
    caps: new Map(),
    capLimits: new Map(),
    atCapacityTexts: new Map(),
    spare: null,
  };
}

const MAX_AT_CAPACITY_TEXTS = 4_096;

function atCapacityText(atCapacityTexts: Map<number, string>, load: number, cap: number): string {
  // Small non-negative integers (every real load and cap) share one text; anything else is built.
  if (!(Number.isInteger(load) && Number.isInteger(cap) && load >= 0 && cap >= 0 && load < 65_536 && cap < 65_536)) {
    return `at capacity ${load}/${cap}`;
  }
  const key = load * 65_536 + cap;
  let text = atCapacityTexts.get(key);
  if (text === undefined) {
    text = `at capacity ${load}/${cap}`;
    if (atCapacityTexts.size >= MAX_AT_CAPACITY_TEXTS) atCapacityTexts.clear();
    atCapacityTexts.set(key, text);
  }
  return text;
}

const UNKNOWN = 0;
const OPEN = 1;
const CLOSED = 2;

function capLimitsFor(roster: Roster, channelType: ChannelType): Float64Array {
  let limits = roster.capLimits.get(channelType);
  if (limits === undefined) {
    limits = Float64Array.from(capsFor(roster, channelType), (cap) => cap ?? Number.NaN);
    roster.capLimits.set(channelType, limits);
  }
  return limits;
}

function capsFor(roster: Roster, channelType: ChannelType): readonly (number | undefined)[] {
  let caps = roster.caps.get(channelType);
  if (caps === undefined) {
    caps = roster.users.map((user) => user?.capacity[channelType]);
    roster.caps.set(channelType, caps);
  }
  return caps;
}

/**
 * `findEligibleAgents(roster.ids, ctx)` for a context whose `requiredSkills` are the roster's:
 * the same eligible list, candidate traces (equal values; shared frozen objects) and staffed
 * count, in the same order, with the same first reason per candidate.
 */
export interface RosterEligibility extends Eligibility {
  /** The roster index of each eligible candidate, in the order of `eligible`. */
  readonly eligibleAt: readonly number[];
}

/** The states of `agents` by workspace slot, when they were laid out for this workspace. */
function denseStates(agents: EligibilityContext['agents'], workspace: WorkspaceModel): AgentStates | null {
  return agents instanceof AgentStates && agents.workspace === workspace ? agents : null;
}

export function eligibleInRoster(roster: Roster, ctx: EligibilityContext): RosterEligibility {
  const { ids, slots, scheduleSlot, missingSkill, staticCode } = roster;
  const count = ids.length;
  const channelType = ctx.channelType;
  const agents = ctx.agents;
  // States laid out by workspace slot when the caller loaded them so for this workspace; a plain
  // map (tests, hand-made inputs) is read by id, with the same answers.
  const dense = denseStates(agents, ctx.workspace);
  const statuses = dense === null ? null : dense.statuses;
  const statusCodes = dense === null ? null : dense.statusCodes;
  const loads = dense === null ? null : dense.loads(channelType);
  const exclude = ctx.exclude;
  let memo = roster.lastTraces.get(channelType);
  if (memo === undefined) {
    memo = emptyMemo(count);
    roster.lastTraces.set(channelType, memo);
  }
  const { latest, latestKey, before, beforeKey } = memo;
  const caps = capsFor(roster, channelType);
  const capLimits = capLimitsFor(roster, channelType);
  const scratch = roster.spare ?? newScratch(roster);
  roster.spare = null;
  // Schedules are asked once per decision each (agents share a handful).
  const openState = scratch.open;
  openState.fill(UNKNOWN);
  // Eligible positions first in a kept buffer, then copied into arrays of the right length:
  // growing two arrays by push was a visible share of this loop.
  const eligibleBuffer = scratch.eligible;
  let eligibleCount = 0;
  const candidates: CandidateTrace[] = new Array<CandidateTrace>(count);
  let staffed = 0;

  for (let index = 0; index < count; index += 1) {
    const slot = slots[index]!;
    // No live state reads as offline with no load.
    let status: number;
    let load: number;
    if (statusCodes !== null && loads !== null && slot >= 0) {
      status = statusCodes[slot]!;
      load = loads[slot]!;
    } else {
      const state = agents.get(ids[index]!);
      status = statusCode(state?.status);
      load = (state === undefined ? undefined : loadFor(state.load, channelType)) ?? 0;
    }
    const fixed = staticCode[index]!;
    let code: number;

    if (fixed === UNKNOWN_USER) {
      code = UNKNOWN_USER;
    } else if (exclude !== undefined && exclude.userIds.has(ids[index]!)) {
      code = NOT_REMEMBERED;
    } else if (status !== STATUS_CODE.available) {
      code = status === STATUS_CODE.away ? AWAY : status === STATUS_CODE.other ? NOT_REMEMBERED : OFFLINE;
    } else {
      code = ELIGIBLE;
      const scheduleIndex = scheduleSlot[index]!;
      if (scheduleIndex >= 0) {
        let open = openState[scheduleIndex]!;
        if (open === UNKNOWN) {
          open = isOpenAt(roster.schedules[scheduleIndex]!, ctx.now) ? OPEN : CLOSED;
          openState[scheduleIndex] = open;
        }
        if (open === CLOSED) code = OFF_DUTY + scheduleIndex;
      }
      if (code === ELIGIBLE && fixed === MISSING_SKILL) code = MISSING_SKILL;
      if (code === ELIGIBLE) {
        staffed += 1;
        if (load >= capLimits[index]!) code = AT_CAPACITY;
      }
    }

    if (code === ELIGIBLE) {
      eligibleBuffer[eligibleCount] = index;
      eligibleCount += 1;
    }
    const key = traceKey(code, load);
    if (latestKey[index] === key) {
      candidates[index] = latest[index]!;
      continue;
    }
    let trace: CandidateTrace;
    if (beforeKey[index] === key) {
      trace = before[index]!;
    } else {
      const id = ids[index]!;
      const cap = caps[index];
      let reason: string | null;
      switch (code) {
        case ELIGIBLE:
          reason = null;
          break;
        case UNKNOWN_USER:
          reason = 'unknown user';
          break;
        case AWAY:
          reason = 'away';
          break;
        case OFFLINE:
          reason = 'offline';
          break;
        case MISSING_SKILL:
          reason = missingSkill[index]!;
          break;
        case AT_CAPACITY:
          reason = atCapacityText(roster.atCapacityTexts, load, cap!);
          break;
        case NOT_REMEMBERED:
          reason =
            fixed !== UNKNOWN_USER && exclude?.userIds.has(id) === true
              ? exclude.reason
              : ((statuses !== null && slot >= 0 ? statuses[slot] : agents.get(id)?.status) ?? 'offline');
          break;
        default:
          reason = roster.offDutyText[code - OFF_DUTY]!;
          break;
      }
      trace = Object.freeze({ user: id, eligible: reason === null, reason, load, capacity: cap ?? null });
    }
    // The latest becomes the one before: swapping keeps both variants of a flipping candidate.
    before[index] = latest[index];
    beforeKey[index] = latestKey[index]!;
    latest[index] = trace;
    latestKey[index] = key;
    candidates[index] = trace;
  }
  const eligible: string[] = new Array<string>(eligibleCount);
  const eligibleAt: number[] = new Array<number>(eligibleCount);
  for (let k = 0; k < eligibleCount; k += 1) {
    const index = eligibleBuffer[k]!;
    eligible[k] = ids[index]!;
    eligibleAt[k] = index;
  }
  roster.spare = scratch;
  return { eligible, eligibleAt, candidates, staffed };
}

/**
 * `pickAgent(strategy, result.eligible, ctx)` for the result of `eligibleInRoster` on this
 * roster: with states laid out by slot it reads each eligible agent's load, capacity and last
 * assignment by position instead of two `Map.get`s per agent; otherwise it is `pickAgent`.
 */
export function pickInRoster(strategy: Strategy, roster: Roster, result: RosterEligibility, ctx: PickContext): string | null {
  const dense = denseStates(ctx.agents, ctx.workspace);
  if (dense === null || strategy === 'manual') return pickAgent(strategy, result.eligible, ctx);
  const { slots } = roster;
  const eligibleAt = result.eligibleAt;
  const lastAssigned = dense.lastAssignedAts;
  const leastBusy = strategy === 'least_busy';
  const loads = dense.loads(ctx.channelType);
  const caps = capsFor(roster, ctx.channelType);
  let best = -1;
  let bestRatio = Infinity;
  let bestAt = Infinity;
  for (let k = 0; k < eligibleAt.length; k += 1) {
    const index = eligibleAt[k]!;
    const slot = slots[index]!;
    // Eligible means known and available, so every eligible candidate has a slot and a state.
    if (slot < 0) return pickAgent(strategy, result.eligible, ctx);
    const at = lastAssigned[slot]!;
    if (!leastBusy) {
      // round_robin: assigned longest ago (never: -Infinity) first, ties by member order.
      if (best < 0 || at < bestAt) {
        best = index;
        bestAt = at;
      }
      continue;
    }
    const load = loads[slot]!;
    const cap = caps[index];
    const ratio = cap === undefined || cap <= 0 ? load : load / cap;
    if (best < 0 || ratio < bestRatio || (ratio === bestRatio && at < bestAt)) {
      best = index;
      bestRatio = ratio;
      bestAt = at;
    }
  }
  return best < 0 ? null : roster.ids[best]!;
}
