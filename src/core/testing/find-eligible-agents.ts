/**
 * THE REFERENCE, not used in production: eligibility in plain code, one candidate after another.
 * Routing decides through `eligibleInRoster` (routing/roster.ts), and the property test in
 * routing/roster.test.ts checks that it gives exactly what this gives (eligible list, candidate
 * traces byte for byte, staffed count) over random workspaces, live states and exclusions;
 * find-eligible-agents.test.ts pins this reference to the specified examples.
 */
import type { CandidateTrace } from '../../contract/trace.js';
import type { UserModel } from '../model.js';
import type { Eligibility, EligibilityContext } from '../routing/roster.js';
import { isOpenAt } from '../schedule/schedule.js';

/** Eligibility as routing/roster.ts states it, candidate by candidate. */
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
