/**
 * The ownership policy (core/ownership.ts) at a service's door: checked inside the transaction,
 * after the row lock, on the state the one writer is about to change; a refusal is a 409 (someone
 * else holds it) or a 403 (not theirs to take over), worded with display names.
 */
import { decideOwnership, explainRefusal, ownershipTeam, type OwnershipAction, type OwnershipFacts, type OwnershipViewer, type ViewerStanding } from '../../core/ownership.js';
import type { WorkspaceModel } from '../../core/model.js';
import { BatonError } from '../../platform/errors.js';

export type { OwnershipViewer };
import type { ConversationRecord } from '../../store/repositories/conversations.js';

export function ownershipFacts(model: WorkspaceModel, conversation: Pick<ConversationRecord, 'ownerId' | 'status' | 'teamId' | 'queueId'>): OwnershipFacts {
  return { ownerId: conversation.ownerId, status: conversation.status, team: ownershipTeam(model, conversation) };
}

export function displayNameOf(model: WorkspaceModel, userId: string): string {
  return model.users.get(userId)?.name ?? userId;
}

export function requireOwnership(
  model: WorkspaceModel,
  conversation: Pick<ConversationRecord, 'ownerId' | 'status' | 'teamId' | 'queueId'>,
  viewer: OwnershipViewer,
  action: OwnershipAction,
): ViewerStanding {
  const verdict = decideOwnership(ownershipFacts(model, conversation), viewer, action);
  if (verdict.allowed) return verdict.standing;
  const message = explainRefusal(verdict, action, {
    user: (id) => displayNameOf(model, id),
    team: (id) => model.teams.get(id)?.name ?? id,
  });
  const holder = verdict.why === 'not_held' ? null : displayNameOf(model, verdict.holderId);
  throw new BatonError(verdict.why === 'not_in_team' ? 'forbidden' : 'conflict', message, {
    ...(holder === null ? {} : { details: [{ path: 'owner', message: holder }] }),
  });
}
