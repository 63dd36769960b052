import type { PatchSavedReplyInput, SavedReply } from '../../contract/saved-replies-api.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { getSavedReply, updateSavedReply as writeSavedReply } from '../../store/repositories/saved-replies.js';
import type { Principal } from '../auth/principal.js';
import type { ServiceContext } from '../context.js';
import { presentSavedReply } from '../present/present-saved-reply.js';
import { assertKnownVariables, assertMayWrite, assertVisible } from './saved-reply-access.js';

/** `PATCH /api/saved-replies/{id}`: the owner changes a personal reply, an admin a shared one. */
export async function updateSavedReply(ctx: ServiceContext, principal: Principal, id: string, patch: PatchSavedReplyInput): Promise<SavedReply> {
  if (patch.bodies !== undefined) assertKnownVariables(patch.bodies);
  const now = ctx.clock.now();
  const updated = await withTransaction(ctx.database, async (trx) => {
    const reply = assertVisible(principal, await getSavedReply(trx, id), id);
    assertMayWrite(principal, reply);
    const bodies = patch.bodies ?? reply.bodies;
    const defaultLanguage = patch.defaultLanguage ?? reply.defaultLanguage;
    if (!Object.hasOwn(bodies, defaultLanguage)) {
      throw new BatonError('invalid', 'the default language needs a body', {
        details: [{ path: 'defaultLanguage', message: `no body in "${defaultLanguage}"` }],
      });
    }
    const written = await writeSavedReply(trx, id, patch, now);
    if (written === null) throw notFound('saved reply', id);
    return written;
  });
  return presentSavedReply(updated);
}
