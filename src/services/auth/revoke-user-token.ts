import type { Principal } from './principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { listApiTokens, revokeApiToken } from '../../store/repositories/users.js';
import { actorOf } from './authenticate.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { ServiceContext } from '../context.js';

/**
 * Revoke one of a user's tokens: an admin, or the user themself (dropping a leaked token must not
 * wait for an admin). The token stops working on its next request — authentication reads
 * `revoked_at` every time. Revoking a revoked token changes nothing and is not audited twice.
 */
export async function revokeUserToken(
  ctx: ServiceContext,
  principal: Principal,
  input: { readonly userId: string; readonly tokenId: string },
): Promise<{ readonly revoked: boolean }> {
  const self = principal.kind === 'user' && principal.userId === input.userId;
  if (!self && !actsAsAdmin(principal)) throw new BatonError('forbidden', "only an admin or the user themself may revoke a user's tokens");
  const now = ctx.clock.now();
  const outcome = await withTransaction(ctx.database, async (trx) => {
    // Looked up among this user's tokens, so a token id of another user is "not found" here.
    const token = (await listApiTokens(trx, { userId: input.userId })).find((t) => t.id === input.tokenId);
    if (!token) throw notFound('token', input.tokenId);
    const revoked = await revokeApiToken(trx, token.id, now);
    if (revoked) {
      await appendAudit(trx, {
        actor: actorOf(principal),
        action: 'token.revoked',
        entity: 'user',
        entityId: input.userId,
        data: { tokenId: token.id, name: token.name },
        now,
      });
    }
    return { revoked };
  });
  if (outcome.revoked) ctx.afterCommit({ kind: 'signed_out' });
  return outcome;
}
