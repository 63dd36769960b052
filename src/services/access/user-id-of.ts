import type { Principal } from '../auth/principal.js';
import { BatonError } from '../../platform/errors.js';

/**
 * The user behind the credentials, for things that belong to one person (notifications). The
 * bootstrap admin token acts for the workspace, not for a person, so it has none.
 */
export function userIdOf(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return principal.userId;
    case 'admin_token':
      throw new BatonError('forbidden', 'the bootstrap admin token is no user; sign in or use a token that acts as a user');
    case 'customer':
      throw new BatonError('forbidden', 'customer tokens reach only the widget API');
  }
}
