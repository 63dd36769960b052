import { findUnknownVariables, SAVED_REPLY_VARIABLES } from '../../core/render-saved-reply.js';
import { BatonError, notFound } from '../../platform/errors.js';
import type { SavedReplyRecord } from '../../store/repositories/saved-replies.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { Principal } from '../auth/principal.js';

/** At most this many replies per person, and shared: a picker, not a knowledge base. */
export const SAVED_REPLIES_PER_OWNER_MAX = 500;

/** The user whose personal replies the caller sees; null for the bootstrap admin token (shared only). */
export function personalOwnerOf(principal: Principal): string | null {
  return principal.kind === 'user' ? principal.userId : null;
}

/**
 * A personal reply exists only for its owner: anyone else is told it is not found (404), never
 * that it is someone else's, so replies cannot be probed by id.
 */
export function assertVisible(principal: Principal, reply: SavedReplyRecord | null, id: string): SavedReplyRecord {
  if (reply === null || (reply.ownerId !== null && reply.ownerId !== personalOwnerOf(principal))) throw notFound('saved reply', id);
  return reply;
}

/** Shared replies speak for the workspace: only admins write them. */
export function assertMayWrite(principal: Principal, reply: { readonly ownerId: string | null }): void {
  if (reply.ownerId === null && !actsAsAdmin(principal)) {
    throw new BatonError('forbidden', 'only admins create and change shared saved replies; make it personal instead');
  }
}

/** Unknown `{{variables}}` are refused at save time, each with the path of its body. */
export function assertKnownVariables(bodies: Readonly<Record<string, string>>): void {
  const unknown = findUnknownVariables(bodies);
  if (unknown.length === 0) return;
  throw new BatonError('invalid', `unknown variable${unknown.length === 1 ? '' : 's'} in the saved reply`, {
    details: unknown.map(({ language, variable }) => ({
      path: `bodies.${language}`,
      message: `unknown variable {{${variable}}}; known: ${SAVED_REPLY_VARIABLES.map((name) => `{{${name}}}`).join(', ')}`,
    })),
  });
}
