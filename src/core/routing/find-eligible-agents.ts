import type { ChannelType } from '../../contract/common.js';
import type { CandidateTrace } from '../../contract/trace.js';
import type { AgentState, Instant, UserModel, WorkspaceModel } from '../model.js';
import { isOpenAt } from '../schedule/schedule.js';

export interface EligibilityContext {
  readonly workspace: WorkspaceModel;
  readonly agents: ReadonlyMap<string, AgentState>;
  readonly now: Instant;
  /** Capacity is per channel type (CONFIG.md `capacity: { chat: 3 }`). */
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

/**
 * An agent is eligible when available, on duty by their schedule at `now` (no schedule: always),
 * holding every required skill, and under capacity for the channel type (no capacity for that
 * type: no cap) — PRODUCT.md §4. Availability is the explicit status, never socket presence
 * (CW #5672, #10685); "on duty" is computed from the schedule at read time, never flipped by a
 * job (RC #4898).
 */
export function findEligibleAgents(
  candidateIds: readonly string[],
  ctx: EligibilityContext,
  /** The candidates' user models in the same order, when the caller has them (workspaceIndex). */
  users?: readonly (UserModel | undefined)[],
): Eligibility {
  const eligible: string[] = [];
  const candidates: CandidateTrace[] = [];
  let staffed = 0;
  // Agents share a handful of schedules: ask each schedule once per decision.
  let openBySchedule: Map<string, boolean> | null = null;

  for (let index = 0; index < candidateIds.length; index += 1) {
    const id = candidateIds[index]!;
    const user = users === undefined ? ctx.workspace.users.get(id) : users[index];
    const state = ctx.agents.get(id);
    const load = state?.load[ctx.channelType] ?? 0;
    const cap = user?.capacity[ctx.channelType];
    const capacity = cap ?? null;
    let reason: string | null = null;

    if (user === undefined) {
      reason = 'unknown user';
    } else if (ctx.exclude?.userIds.has(id) === true) {
      reason = ctx.exclude.reason;
    } else if (state === undefined || state.status !== 'available') {
      // No live state loaded for this user: nobody has seen them come online.
      reason = state?.status ?? 'offline';
    } else {
      if (user.scheduleId !== null) {
        const schedule = ctx.workspace.schedules.get(user.scheduleId);
        if (schedule !== undefined) {
          openBySchedule ??= new Map();
          let open = openBySchedule.get(schedule.id);
          if (open === undefined) {
            open = isOpenAt(schedule, ctx.now);
            openBySchedule.set(schedule.id, open);
          }
          if (!open) reason = `off duty (schedule ${schedule.id})`;
        }
      }
      if (reason === null) {
        for (const skill of ctx.requiredSkills) {
          if (!user.skills.has(skill)) {
            reason = `missing skill ${skill}`;
            break;
          }
        }
      }
      if (reason === null) {
        staffed += 1;
        if (cap !== undefined && load >= cap) reason = `at capacity ${load}/${cap}`;
      }
    }

    if (reason === null) eligible.push(id);
    candidates.push({ user: id, eligible: reason === null, reason, load, capacity });
  }
  return { eligible, candidates, staffed };
}
