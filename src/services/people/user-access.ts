import type { UserAccess } from '../../contract/access-api.js';
import type { Principal } from '../auth/principal.js';
import { BatonError } from '../../platform/errors.js';
import type { Executor } from '../../store/database.js';
import { listPendingInvitations, listUserAccess, type InvitationRecord, type UserAccessRecord } from '../../store/repositories/invitations.js';
import { listUserStates } from '../../store/repositories/users.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { ServiceContext } from '../context.js';
import { isoOrNull } from '../present/present-conversation.js';

/** Where one user stands, from their access row, pending invitation and whether a password is set. */
export function presentUserAccess(
  userId: string,
  access: UserAccessRecord | undefined,
  invitation: InvitationRecord | undefined,
  hasPassword: boolean,
): UserAccess {
  const deactivatedAt = access?.deactivatedAt ?? null;
  const state = deactivatedAt !== null ? 'deactivated' : invitation !== undefined ? 'invited' : hasPassword ? 'active' : 'no_password';
  return {
    userId,
    state,
    invitationExpiresAt: deactivatedAt === null ? isoOrNull(invitation?.expiresAt ?? null) : null,
    lastSignedInAt: isoOrNull(access?.lastSignedInAt ?? null),
    deactivatedAt: isoOrNull(deactivatedAt),
  };
}

export async function readUserAccess(ex: Executor, userIds: readonly string[], now: number): Promise<UserAccess[]> {
  const [access, invitations, states] = await Promise.all([listUserAccess(ex), listPendingInvitations(ex, now), listUserStates(ex)]);
  const passwords = new Set(states.filter((s) => s.hasPassword).map((s) => s.userId));
  return userIds.map((id) => presentUserAccess(id, access.get(id), invitations.get(id), passwords.has(id)));
}

/** The users screen's states (admin): invited (until when), active, deactivated, no password; last sign-in. */
export async function listUsersAccess(ctx: ServiceContext, principal: Principal): Promise<UserAccess[]> {
  if (!actsAsAdmin(principal)) throw new BatonError('forbidden', "only an admin may see who can sign in");
  const { config } = await ctx.workspace.current();
  return readUserAccess(ctx.database.db, config.users.map((u) => u.id), ctx.clock.now());
}
