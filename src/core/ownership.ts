/**
 * Who may act on a conversation. One policy, two readers: the services check it inside
 * their transaction after the row lock (so it is decided on the state the one writer then
 * changes), and the presenters turn it into `viewerCan` for the app, which shows exactly those
 * actions and never guesses (issue 16 §2: the app offered Claim, Release, Hand back and Resolve on
 * a colleague's conversation; Claim then failed and Hand back by a non-holder succeeded).
 *
 * - Nobody holds it: anyone acts (claim, resolve, transfer, hand back).
 * - The holder acts on it.
 * - Leads of the conversation's team and admins act directly, or take it over.
 * - Members of its team take it over (audited, the holder is told), and otherwise get a conflict
 *   naming the holder; anyone else gets the same conflict, and may not take it over.
 */
import { OwnershipAction } from '../contract/api.js';
import type { ConversationStatus } from '../contract/common.js';
import type { WorkspaceModel } from './model.js';

export { OwnershipAction };
export const OWNERSHIP_ACTIONS: readonly OwnershipAction[] = OwnershipAction.options;

/** How the viewer stands to the conversation, in the order the policy asks. */
export type ViewerStanding = 'unheld' | 'holder' | 'admin' | 'lead' | 'teammate' | 'other';

export interface OwnershipViewer {
  /** null: a principal that is not a person (the bootstrap admin token). */
  readonly userId: string | null;
  readonly isAdmin: boolean;
}

export interface OwnershipFacts {
  readonly ownerId: string | null;
  readonly status: ConversationStatus;
  /** The conversation's team: its own, else its queue's (null: neither). */
  readonly team: { readonly id: string; readonly members: readonly string[]; readonly leads: readonly string[] } | null;
}

export type OwnershipVerdict =
  | { readonly allowed: true; readonly standing: ViewerStanding }
  /** Someone else holds it: 409 naming them; `takeOver` says whether this viewer may take it over. */
  | { readonly allowed: false; readonly why: 'held'; readonly holderId: string; readonly takeOver: boolean }
  /** A take over by someone outside the team who is neither lead nor admin: 403. */
  | { readonly allowed: false; readonly why: 'not_in_team'; readonly holderId: string; readonly teamId: string | null }
  /** Take over of a conversation nobody else holds: there is nothing to take over (claim it). */
  | { readonly allowed: false; readonly why: 'not_held' };

export function standingOf(facts: OwnershipFacts, viewer: OwnershipViewer): ViewerStanding {
  if (facts.ownerId === null) return 'unheld';
  if (viewer.userId !== null && viewer.userId === facts.ownerId) return 'holder';
  if (viewer.isAdmin) return 'admin';
  if (viewer.userId !== null && facts.team !== null) {
    if (facts.team.leads.includes(viewer.userId)) return 'lead';
    if (facts.team.members.includes(viewer.userId)) return 'teammate';
  }
  return 'other';
}

/** The ownership side of an action: whether this viewer may do it given who holds it. */
export function decideOwnership(facts: OwnershipFacts, viewer: OwnershipViewer, action: OwnershipAction): OwnershipVerdict {
  const standing = standingOf(facts, viewer);
  const holderId = facts.ownerId;
  const mayTakeOver = standing === 'admin' || standing === 'lead' || standing === 'teammate';
  if (action === 'take_over') {
    if (holderId === null || standing === 'holder') return { allowed: false, why: 'not_held' };
    return mayTakeOver ? { allowed: true, standing } : { allowed: false, why: 'not_in_team', holderId, teamId: facts.team?.id ?? null };
  }
  if (holderId === null || standing === 'holder') return { allowed: true, standing };
  // A claim never takes a held conversation from anyone: taking over is its own, explicit act.
  if (action !== 'claim' && (standing === 'admin' || standing === 'lead')) return { allowed: true, standing };
  return { allowed: false, why: 'held', holderId, takeOver: mayTakeOver };
}

const WITH_HUMANS: ReadonlySet<ConversationStatus> = new Set(['queued', 'assigned', 'waiting_on_customer']);
const CLOSED: ReadonlySet<ConversationStatus> = new Set(['resolved', 'closed']);

/** Whether the action means anything in this state (the one writer refuses the rest as conflicts). */
export function isApplicable(facts: Pick<OwnershipFacts, 'ownerId' | 'status'>, action: OwnershipAction): boolean {
  switch (action) {
    case 'claim':
      return facts.ownerId === null && WITH_HUMANS.has(facts.status);
    case 'take_over':
      return facts.ownerId !== null && WITH_HUMANS.has(facts.status);
    case 'release':
      return facts.ownerId !== null && (facts.status === 'assigned' || facts.status === 'waiting_on_customer');
    case 'handback':
      return WITH_HUMANS.has(facts.status);
    case 'resolve':
    case 'transfer':
      return !CLOSED.has(facts.status);
  }
}

/** What the app offers this viewer: applicable in this state and allowed by the policy. */
export function allowedActions(facts: OwnershipFacts, viewer: OwnershipViewer): OwnershipAction[] {
  return OWNERSHIP_ACTIONS.filter((action) => isApplicable(facts, action) && decideOwnership(facts, viewer, action).allowed);
}

/** The conversation's team for the policy: its own team, else its queue's. */
export function ownershipTeam(
  model: Pick<WorkspaceModel, 'teams' | 'queues'>,
  conversation: { readonly teamId: string | null; readonly queueId: string | null },
): OwnershipFacts['team'] {
  const teamId = conversation.teamId ?? (conversation.queueId === null ? null : (model.queues.get(conversation.queueId)?.teamId ?? null));
  const team = teamId === null ? undefined : model.teams.get(teamId);
  return team === undefined ? null : { id: team.id, members: team.members, leads: team.leads };
}

const VERB: Readonly<Record<OwnershipAction, string>> = {
  claim: 'claim',
  take_over: 'take over',
  release: 'release',
  handback: 'hand back',
  resolve: 'resolve',
  transfer: 'transfer',
};

/**
 * A refusal in words a person understands, with display names, never ids (issue 16 §2: Claim
 * failed with "conversation is held by ana").
 */
export function explainRefusal(
  verdict: Exclude<OwnershipVerdict, { allowed: true }>,
  action: OwnershipAction,
  names: { readonly user: (id: string) => string; readonly team: (id: string) => string },
): string {
  switch (verdict.why) {
    case 'held': {
      const holder = names.user(verdict.holderId);
      if (action === 'claim') return `${holder} is handling this conversation.${verdict.takeOver ? ' You can take it over.' : ''}`;
      return verdict.takeOver
        ? `${holder} is handling this conversation. Take it over to ${VERB[action]} it.`
        : `${holder} is handling this conversation, so you cannot ${VERB[action]} it.`;
    }
    case 'not_in_team': {
      const holder = names.user(verdict.holderId);
      const who = verdict.teamId === null ? 'Only admins' : `Only members of ${names.team(verdict.teamId)}, its leads and admins`;
      return `${who} can take over ${holder}'s conversation.`;
    }
    case 'not_held':
      return 'Nobody else is handling this conversation: there is nothing to take over.';
  }
}
