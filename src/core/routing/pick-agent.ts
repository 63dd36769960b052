import type { ChannelType, Strategy } from '../../contract/common.js';
import type { AgentState, WorkspaceModel } from '../model.js';

export interface PickContext {
  readonly workspace: WorkspaceModel;
  readonly agents: ReadonlyMap<string, AgentState>;
  readonly channelType: ChannelType;
}

/**
 * The agent a strategy assigns among eligible agents (already in member order), or null for
 * `manual` (agents claim) and when nobody is eligible.
 *
 * Trade-off (ZD 2024, CW #11034): `least_busy` keeps loads level but sends every new conversation
 * to whoever clears work fastest, penalising fast agents; `round_robin` spreads arrivals evenly
 * whatever the load. Both are offered; capacity caps apply to both through eligibility.
 */
export function pickAgent(strategy: Strategy, eligible: readonly string[], ctx: PickContext): string | null {
  switch (strategy) {
    case 'round_robin':
      return pickRoundRobin(eligible, ctx.agents);
    case 'least_busy':
      return pickLeastBusy(eligible, ctx);
    case 'manual':
      return null;
  }
}

/**
 * Fair rotation without a stored cursor: the eligible agent assigned longest ago (never assigned
 * first), ties by member order. A cursor would skip people when membership or status changes.
 */
export function pickRoundRobin(eligible: readonly string[], agents: ReadonlyMap<string, AgentState>): string | null {
  let best: string | null = null;
  let bestAt = Infinity;
  for (const id of eligible) {
    const at = agents.get(id)?.lastAssignedAt ?? -Infinity;
    if (best === null || at < bestAt) {
      best = id;
      bestAt = at;
    }
  }
  return best;
}

/**
 * Lowest *current open* load relative to capacity for the channel type (RC #13134 counted chats
 * ever routed). An agent without a cap for the type is compared by raw open count (as if the cap
 * were 1), so uncapped agents are not treated as infinitely free and do not collect every
 * conversation (CW #11034). Ties go to whoever was assigned longest ago, then member order.
 */
export function pickLeastBusy(eligible: readonly string[], ctx: PickContext): string | null {
  let best: string | null = null;
  let bestRatio = Infinity;
  let bestAt = Infinity;
  for (const id of eligible) {
    const state = ctx.agents.get(id);
    const load = state?.load[ctx.channelType] ?? 0;
    const cap = ctx.workspace.users.get(id)?.capacity[ctx.channelType];
    const ratio = cap === undefined || cap <= 0 ? load : load / cap;
    const at = state?.lastAssignedAt ?? -Infinity;
    if (best === null || ratio < bestRatio || (ratio === bestRatio && at < bestAt)) {
      best = id;
      bestRatio = ratio;
      bestAt = at;
    }
  }
  return best;
}
