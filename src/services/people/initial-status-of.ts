import type { Availability } from '../../contract/common.js';
import type { WorkspaceConfig } from '../../contract/config.js';

/**
 * The status a user has until they set one: the workspace document's `status` (default
 * `available`, docs/configuration.md) — the same fallback the router applies to users without a
 * `user_state` row (loadAgentStates).
 */
export function initialStatusOf(config: WorkspaceConfig, userId: string): Availability {
  return config.users.find((user) => user.id === userId)?.status ?? 'available';
}
