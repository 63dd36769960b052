import type { AcceptInviteInput } from '../../contract/access-api.js';
import type { Me } from '../../contract/api.js';
import { BatonError } from '../../platform/errors.js';
import { hashPassword, hashToken } from '../../platform/secrets.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { findInvitationByHash, lockUserAccess, useInvitation, type InvitationRecord } from '../../store/repositories/invitations.js';
import { setPasswordHash } from '../../store/repositories/users.js';
import { openSession } from '../auth/authenticate.js';
import type { ServiceContext } from '../context.js';

const ASK_AGAIN = 'ask an admin to send you a new one';

/** Why this invitation cannot be used now, as a sentence for the person holding the link; null when it can. */
function refusalOf(invitation: InvitationRecord | null, now: number): BatonError | null {
  if (invitation === null) return new BatonError('not_found', `this invitation link is not valid; check you copied all of it, or ${ASK_AGAIN}`);
  if (invitation.usedAt !== null) return new BatonError('conflict', `this invitation link has already been used; sign in with your password, or ${ASK_AGAIN}`);
  if (invitation.supersededAt !== null) return new BatonError('conflict', `this invitation link was replaced by a newer one; use the latest link you were sent, or ${ASK_AGAIN}`);
  if (invitation.expiresAt <= now) {
    return new BatonError('conflict', `this invitation link expired on ${new Date(invitation.expiresAt).toUTCString()}; ${ASK_AGAIN}`);
  }
  return null;
}

/**
 * Accept an invitation: the password is set, the link is used up, and the person is signed in —
 * one transaction. The link is used with a conditional UPDATE, so of two tabs submitting one link
 * exactly one sets the password. The password was checked by the schema (NewPassword) before any
 * of this; a refused one changes nothing.
 */
export async function acceptInvitation(
  ctx: ServiceContext,
  input: AcceptInviteInput,
): Promise<{ token: string; expiresAt: number; me: Me }> {
  const tokenHash = hashToken(input.token);
  const first = await findInvitationByHash(ctx.database.db, tokenHash);
  const early = refusalOf(first, ctx.clock.now());
  if (early !== null || first === null) throw early ?? new BatonError('internal', 'unreachable');
  // scrypt before the transaction: slow on purpose, and a transaction body may run twice.
  const passwordHash = await hashPassword(input.password);
  const { model } = await ctx.workspace.current();
  const user = model.users.get(first.userId);
  if (!user) throw new BatonError('conflict', `this invitation is for an account that no longer exists; ${ASK_AGAIN}`);

  const session = await withTransaction(ctx.database, async (trx) => {
    const now = ctx.clock.now();
    const access = await lockUserAccess(trx, user.id);
    if (access.deactivatedAt !== null) throw new BatonError('conflict', 'this account has been deactivated; ask an admin to reactivate it');
    if (!(await useInvitation(trx, first.id, now))) {
      throw refusalOf(await findInvitationByHash(trx, tokenHash), now) ?? new BatonError('conflict', `this invitation link can no longer be used; ${ASK_AGAIN}`);
    }
    await setPasswordHash(trx, user.id, passwordHash);
    await appendAudit(trx, { actor: user.id, action: 'user.invitation_accepted', entity: 'user', entityId: user.id, data: { invitationId: first.id }, now });
    return openSession(trx, user.id, now);
  });
  return { ...session, me: { id: user.id, name: user.name, email: user.email, role: user.role } };
}
