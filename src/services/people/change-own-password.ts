import type { ChangePasswordInput } from '../../contract/access-api.js';
import type { Principal } from '../auth/principal.js';
import { BatonError } from '../../platform/errors.js';
import { hashPassword, verifyPassword } from '../../platform/secrets.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { supersedeInvitations } from '../../store/repositories/invitations.js';
import { getPasswordHash, setPasswordHash } from '../../store/repositories/users.js';
import type { ServiceContext } from '../context.js';

/**
 * A signed-in user changes their own password, proving the current one (a session left open on
 * a shared screen must not be enough to take the account). The new one follows NewPassword, checked
 * by the schema before this runs. Pending invitations of the user stop working.
 */
export async function changeOwnPassword(ctx: ServiceContext, principal: Principal, input: ChangePasswordInput): Promise<void> {
  if (principal.kind !== 'user') throw new BatonError('forbidden', 'only a signed-in person has a password to change');
  const stored = await getPasswordHash(ctx.database.db, principal.userId);
  if (stored === null || !(await verifyPassword(input.current, stored))) {
    throw new BatonError('invalid', 'your current password is not right; nothing was changed', {
      details: [{ path: 'current', message: 'does not match your current password' }],
    });
  }
  if (input.current === input.password) {
    throw new BatonError('invalid', 'the new password is the same as the current one; choose a different one', {
      details: [{ path: 'password', message: 'same as the current password' }],
    });
  }
  const hash = await hashPassword(input.password);
  await withTransaction(ctx.database, async (trx) => {
    const now = ctx.clock.now();
    await setPasswordHash(trx, principal.userId, hash);
    await supersedeInvitations(trx, principal.userId, now);
    await appendAudit(trx, { actor: principal.userId, action: 'user.password_changed', entity: 'user', entityId: principal.userId, data: {}, now });
  });
}
