import { notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { deleteSavedReply as removeSavedReply, getSavedReply } from '../../store/repositories/saved-replies.js';
import type { Principal } from '../auth/principal.js';
import type { ServiceContext } from '../context.js';
import { assertMayWrite, assertVisible } from './saved-reply-access.js';

/** `DELETE /api/saved-replies/{id}`: the owner removes a personal reply, an admin a shared one. */
export async function deleteSavedReply(ctx: ServiceContext, principal: Principal, id: string): Promise<void> {
  await withTransaction(ctx.database, async (trx) => {
    const reply = assertVisible(principal, await getSavedReply(trx, id), id);
    assertMayWrite(principal, reply);
    if (!(await removeSavedReply(trx, id))) throw notFound('saved reply', id);
  });
}
