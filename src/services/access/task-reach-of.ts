import type { WorkspaceModel } from '../../core/model.js';
import type { Principal } from '../auth/principal.js';
import { BatonError } from '../../platform/errors.js';

/**
 * Which tasks a caller may see and change: admins every
 * task; an agent the tasks assigned to them and those of the teams they belong to or lead — a
 * team-assigned task is everyone's in the team until one of them takes it.
 */
export type TaskReach =
  | { readonly kind: 'all'; readonly userId: string | null }
  | { readonly kind: 'own'; readonly userId: string; readonly teamIds: readonly string[] };

export function taskReachOf(principal: Principal, model: WorkspaceModel, admin: boolean): TaskReach {
  switch (principal.kind) {
    case 'admin_token':
      return { kind: 'all', userId: null };
    case 'customer':
      throw new BatonError('forbidden', 'customer tokens reach only the widget API');
    case 'user': {
      if (admin) return { kind: 'all', userId: principal.userId };
      const teamIds = [...model.teams.values()]
        .filter((team) => team.members.includes(principal.userId) || team.leads.includes(principal.userId))
        .map((team) => team.id);
      return { kind: 'own', userId: principal.userId, teamIds };
    }
  }
}

export function canReachTask(reach: TaskReach, task: { readonly assigneeId: string | null; readonly teamId: string | null }): boolean {
  if (reach.kind === 'all') return true;
  return task.assigneeId === reach.userId || (task.teamId !== null && reach.teamIds.includes(task.teamId));
}
