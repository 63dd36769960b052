import type { AgentStateRows } from '../../src/store/repositories/agent-state-rows.js';

/**
 * Agent state rows as one line of text (users in order; a user with nothing stored is left out,
 * as it reads the same as no row), so two views of them compare with one `toBe`.
 */
export function describeAgentStateRows(rows: AgentStateRows): string {
  return [...rows]
    .filter(([, row]) => row.status !== null || row.lastAssignedAt !== null || Object.keys(row.load).length > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([user, row]) => `${user}:${row.status ?? '-'}:${row.lastAssignedAt ?? '-'}:${Object.entries(row.load).sort().map(([k, v]) => `${k}=${v}`).join(',')}`)
    .join(' ');
}
