/**
 * "Not handed straight back": whether anyone but the excluded could ever take a
 * conversation in a place — a member holding the place's skills, whatever their status, load or
 * hours now — and the sentence the conversation shows while it waits for them.
 */
import type { WorkspaceModel } from '../model.js';
import { workspaceIndex } from '../workspace.js';

export function anyoneElseIn(
  workspace: WorkspaceModel,
  members: readonly string[],
  requiredSkills: readonly string[],
  excluded: ReadonlySet<string>,
): boolean {
  return members.some((id) => {
    if (excluded.has(id)) return false;
    const user = workspace.users.get(id);
    return user !== undefined && requiredSkills.every((skill) => user.skills.has(skill));
  });
}

/**
 * Why a conversation waiting in `place` is not offered to `givers` (who released or transferred it
 * away); null when nobody else could ever take it (then it goes back to them) or nobody gave it away.
 */
export function explainNotBackTo(
  workspace: WorkspaceModel,
  place: { readonly queueId: string | null; readonly teamId: string | null },
  givers: ReadonlySet<string>,
): string | null {
  if (givers.size === 0) return null;
  const index = workspaceIndex(workspace);
  const queue = place.queueId === null ? undefined : workspace.queues.get(place.queueId);
  const members = queue !== undefined ? (index.queueCandidates.get(queue.id) ?? []) : place.teamId === null ? [] : (index.teamCandidates.get(place.teamId) ?? []);
  if (!anyoneElseIn(workspace, members, queue?.requiredSkills ?? [], givers)) return null;
  const names = [...givers].map((id) => workspace.users.get(id)?.name ?? id);
  const who = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
  const teamId = queue?.teamId ?? place.teamId;
  const where = teamId === null ? (queue?.name ?? 'the queue') : (workspace.teams.get(teamId)?.name ?? teamId);
  return `Not offered back to ${who ?? ''}, who released or transferred it away; waiting for someone else in ${where}.`;
}
