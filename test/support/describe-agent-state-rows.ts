import { describeRows, type AgentStateRows } from '../../src/store/repositories/agent-state-rows.js';

/**
 * Agent state rows as one line of text (users in order; a user with nothing stored is left out,
 * as it reads the same as no row), so two views of them compare with one `toBe` — the same
 * comparison the checking mode makes after each commit.
 */
export function describeAgentStateRows(rows: AgentStateRows): string {
  return describeRows(rows);
}
