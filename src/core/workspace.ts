/**
 * The workspace document (baton.yaml, already validated) as the values the pure core decides
 * on, plus the indexes routing needs so that one decision does no lookup work it could have
 * done once at load time (bench target: p99 ≤ 50 µs per decision).
 */
import type { WorkspaceConfig } from '../contract/config.js';
import { parseDurationSeconds } from './duration.js';
import { MAX_SLA_REROUTES } from './decide-timer.js';
import type {
  ChannelModel,
  QueueModel,
  Schedule,
  TeamModel,
  UserModel,
  WorkspaceModel,
} from './model.js';
import { buildRoster, type Roster } from './routing/roster.js';
import { compileSchedule } from './schedule/schedule.js';

export function buildWorkspace(config: WorkspaceConfig): WorkspaceModel {
  const schedules = new Map<string, Schedule>();
  for (const schedule of config.schedules) schedules.set(schedule.id, compileSchedule(schedule));

  const teamsOfUser = new Map<string, string[]>();
  for (const team of config.teams) {
    for (const member of team.members) {
      const list = teamsOfUser.get(member);
      if (list === undefined) teamsOfUser.set(member, [team.id]);
      else if (!list.includes(team.id)) list.push(team.id);
    }
  }

  const users = new Map<string, UserModel>();
  for (const user of config.users) {
    users.set(user.id, {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      skills: new Set(user.skills),
      capacity: user.capacity,
      // A dangling schedule id means "no schedule" rather than "never on duty": validation
      // reports it, and routing should not silently take an agent off duty meanwhile.
      scheduleId: user.schedule !== undefined && schedules.has(user.schedule) ? user.schedule : null,
      teams: teamsOfUser.get(user.id) ?? [],
    });
  }

  const teams = new Map<string, TeamModel>();
  for (const team of config.teams) {
    teams.set(team.id, {
      id: team.id,
      name: team.name,
      members: dedupe(team.members),
      leads: dedupe(team.leads),
      strategy: team.strategy,
      sticky: team.sticky,
    });
  }

  const queues = new Map<string, QueueModel>();
  for (const queue of config.queues) {
    const team = queue.team === undefined ? undefined : teams.get(queue.team);
    queues.set(queue.id, {
      id: queue.id,
      name: queue.name,
      teamId: queue.team ?? null,
      strategy: queue.strategy ?? team?.strategy ?? 'round_robin',
      requiredSkills: dedupe(queue.requiredSkills),
      scheduleId: queue.schedule !== undefined && schedules.has(queue.schedule) ? queue.schedule : null,
      firstResponseSeconds: queue.sla === undefined ? null : parseDurationSeconds(queue.sla.firstResponse),
      slaBusinessHours: queue.sla?.businessHours ?? false,
      slaMaxBreaches: queue.sla?.maxBreaches ?? MAX_SLA_REROUTES,
      overflowAfterSeconds: queue.overflow === undefined ? null : parseDurationSeconds(queue.overflow.after),
      overflowTo: queue.overflow?.to ?? null,
      outOfHours: queue.outOfHours ?? null,
      sticky: queue.sticky ?? team?.sticky ?? false,
    });
  }

  const channels = new Map<string, ChannelModel>();
  for (const channel of config.channels) {
    channels.set(channel.id, {
      id: channel.id,
      name: channel.name ?? channel.id,
      type: channel.type,
      assistant: channel.assistant,
      defaultRoute: channel.defaultRoute,
      maxMessageLength: channel.maxMessageLength,
    });
  }

  const workspace: WorkspaceModel = {
    name: config.workspace.name,
    timezone: config.workspace.timezone,
    language: config.workspace.language,
    schedules,
    users,
    teams,
    queues,
    channels,
    config,
  };
  indexes.set(workspace, buildIndex(workspace));
  return workspace;
}

/** Precomputed per workspace: who may be routed to each team and queue. */
export interface WorkspaceIndex {
  /** Known users among the team's members, in member order (round robin ties go by this order). */
  readonly teamCandidates: ReadonlyMap<string, readonly string[]>;
  /**
   * A queue with a team: the team's known members (skills are checked per decision so the trace
   * can say "missing skill lang:es"). A queue without a team: every user holding the required
   * skills — listing the whole staff in each trace would be noise and cost.
   */
  readonly queueCandidates: ReadonlyMap<string, readonly string[]>;
  /**
   * The user models of each candidate list above, in the same order (keyed by the list itself):
   * eligibility reads them by position instead of looking 2,000 users up by id per decision.
   */
  readonly candidateUsers: WeakMap<readonly string[], readonly UserModel[]>;
  /** Per known user, the candidate list of a destination naming them: `[id]`, one per user, so its roster is kept. */
  readonly userCandidates: ReadonlyMap<string, readonly string[]>;
  /** Each user's position in `workspace.users` order: where `AgentStates` keeps their live state. */
  readonly userSlots: ReadonlyMap<string, number>;
  /** Rosters by candidate list, then by required skills (see `rosterFor`). */
  readonly rosters: WeakMap<readonly string[], WeakMap<readonly string[], Roster>>;
}

const indexes = new WeakMap<WorkspaceModel, WorkspaceIndex>();

/** The index of a workspace; built by `buildWorkspace`, or on first use for a hand-made model. */
export function workspaceIndex(workspace: WorkspaceModel): WorkspaceIndex {
  let index = indexes.get(workspace);
  if (index === undefined) {
    index = buildIndex(workspace);
    indexes.set(workspace, index);
  }
  return index;
}

function buildIndex(workspace: WorkspaceModel): WorkspaceIndex {
  const teamCandidates = new Map<string, readonly string[]>();
  for (const team of workspace.teams.values()) {
    teamCandidates.set(
      team.id,
      team.members.filter((id) => workspace.users.has(id)),
    );
  }
  const queueCandidates = new Map<string, readonly string[]>();
  for (const queue of workspace.queues.values()) {
    if (queue.teamId !== null) {
      // A dangling team id leaves the queue without candidates: it still is a place to wait.
      queueCandidates.set(queue.id, teamCandidates.get(queue.teamId) ?? []);
    } else {
      const ids: string[] = [];
      for (const user of workspace.users.values()) {
        if (queue.requiredSkills.every((skill) => user.skills.has(skill))) ids.push(user.id);
      }
      queueCandidates.set(queue.id, ids);
    }
  }
  const candidateUsers = new WeakMap<readonly string[], readonly UserModel[]>();
  for (const ids of [...teamCandidates.values(), ...queueCandidates.values()]) {
    if (candidateUsers.has(ids)) continue;
    candidateUsers.set(ids, ids.map((id) => workspace.users.get(id)!));
  }
  const userCandidates = new Map<string, readonly string[]>();
  const userSlots = new Map<string, number>();
  for (const id of workspace.users.keys()) {
    userCandidates.set(id, [id]);
    userSlots.set(id, userSlots.size);
  }
  return { teamCandidates, queueCandidates, candidateUsers, userCandidates, userSlots, rosters: new WeakMap() };
}

/**
 * The roster of a candidate list of this workspace's index under some required skills, built on
 * first use and kept while both arrays live (both belong to the workspace model and its index,
 * so a new workspace version gets new rosters).
 */
export function rosterFor(workspace: WorkspaceModel, members: readonly string[], requiredSkills: readonly string[]): Roster {
  const index = workspaceIndex(workspace);
  let bySkills = index.rosters.get(members);
  if (bySkills === undefined) {
    bySkills = new WeakMap();
    index.rosters.set(members, bySkills);
  }
  let roster = bySkills.get(requiredSkills);
  if (roster === undefined) {
    roster = buildRoster(workspace, members, requiredSkills);
    bySkills.set(requiredSkills, roster);
  }
  return roster;
}

function dedupe(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
