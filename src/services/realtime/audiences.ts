/**
 * The realtime stream's audiences: who a stream row is for, and which of them a caller reads.
 * The frames' shapes are the contract's (src/contract/realtime.ts).
 */
import type { Principal } from '../auth/principal.js';

/** Who a stream row is for. */
export const AGENTS = 'agents';
export const userAudience = (userId: string): string => `user:${userId}`;
export const contactAudience = (contactId: string): string => `contact:${contactId}`;

/** The streams a principal reads: a user the agents' stream and their own notifications; a customer only its own contact's. */
export function audiencesOf(principal: Principal): string[] {
  switch (principal.kind) {
    case 'user':
      return [AGENTS, userAudience(principal.userId)];
    case 'admin_token':
      return [AGENTS];
    case 'customer':
      return [contactAudience(principal.contactId)];
  }
}

/** A token without the read (or admin) scope may not open the stream; sessions and customers may. */
export function canReadStream(principal: Principal): boolean {
  if (principal.kind !== 'user' || principal.scopes === 'all') return true;
  return principal.scopes.includes('read') || principal.scopes.includes('admin');
}
