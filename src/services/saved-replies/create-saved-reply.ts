import type { CreateSavedReplyInput, SavedReply } from '../../contract/saved-replies-api.js';
import { BatonError } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { countSavedReplies, insertSavedReply } from '../../store/repositories/saved-replies.js';
import { userIdOf } from '../access/user-id-of.js';
import type { Principal } from '../auth/principal.js';
import type { ServiceContext } from '../context.js';
import { presentSavedReply } from '../present/present-saved-reply.js';
import { assertKnownVariables, assertMayWrite, SAVED_REPLIES_PER_OWNER_MAX } from './saved-reply-access.js';

/** `POST /api/saved-replies`: a personal reply for the caller, or (admins) a shared one. */
export async function createSavedReply(ctx: ServiceContext, principal: Principal, input: CreateSavedReplyInput): Promise<SavedReply> {
  const ownerId = input.shared ? null : userIdOf(principal);
  assertMayWrite(principal, { ownerId });
  assertKnownVariables(input.bodies);
  if (!Object.hasOwn(input.bodies, input.defaultLanguage)) {
    throw new BatonError('invalid', 'the default language needs a body', {
      details: [{ path: 'defaultLanguage', message: `no body in "${input.defaultLanguage}"` }],
    });
  }
  const now = ctx.clock.now();
  const created = await withTransaction(ctx.database, async (trx) => {
    if ((await countSavedReplies(trx, ownerId)) >= SAVED_REPLIES_PER_OWNER_MAX) {
      throw new BatonError('invalid', `at most ${SAVED_REPLIES_PER_OWNER_MAX} saved replies ${ownerId === null ? 'shared' : 'per person'}`);
    }
    return insertSavedReply(trx, {
      id: ctx.createId(),
      ownerId,
      title: input.title,
      shortcut: input.shortcut,
      defaultLanguage: input.defaultLanguage,
      bodies: input.bodies,
      createdBy: principal.kind === 'user' ? principal.userId : null,
      now,
    });
  });
  return presentSavedReply(created);
}
