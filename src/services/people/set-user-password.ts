import { NewPassword } from '../../contract/access-api.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { hashPassword } from '../../platform/secrets.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { supersedeInvitations } from '../../store/repositories/invitations.js';
import { deleteUserSessions, setPasswordHash } from '../../store/repositories/users.js';
import type { ServiceContext } from '../context.js';

/**
 * The operator sets a user's password (`baton user password <id>`): for the one who runs the
 * server and has lost every admin sign-in. The same rule as everywhere (NewPassword); the user's
 * sessions end and pending invitations stop working, since whoever held them is not who chose this.
 */
export async function setUserPassword(ctx: ServiceContext, input: { readonly userId: string; readonly password: string; readonly actor: string }): Promise<void> {
  const { model } = await ctx.workspace.current();
  if (!model.users.has(input.userId)) throw notFound('user', input.userId);
  const parsed = NewPassword.safeParse(input.password);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => issue.message);
    throw new BatonError('invalid', `the password was refused: ${reasons.join('; ')}`, { details: reasons.map((message) => ({ path: 'password', message })) });
  }
  const hash = await hashPassword(parsed.data);
  await withTransaction(ctx.database, async (trx) => {
    const now = ctx.clock.now();
    await setPasswordHash(trx, input.userId, hash);
    await deleteUserSessions(trx, input.userId);
    await supersedeInvitations(trx, input.userId, now);
    await appendAudit(trx, { actor: input.actor, action: 'user.password_set', entity: 'user', entityId: input.userId, data: {}, now });
  });
  ctx.afterCommit({ kind: 'signed_out' });
}
