import { BatonError } from '../../platform/errors.js';
import type { Principal } from '../auth/principal.js';

/** The acting user's id; the bootstrap admin token acts as `admin-token` and owns nothing. */
export function actingUser(principal: Principal): { readonly userId: string | null; readonly isAdmin: boolean } {
  switch (principal.kind) {
    case 'user':
      return { userId: principal.userId, isAdmin: principal.role === 'admin' };
    case 'admin_token':
      return { userId: null, isAdmin: true };
    case 'customer':
      throw new BatonError('forbidden', 'customer tokens cannot act on conversations as an agent');
  }
}
