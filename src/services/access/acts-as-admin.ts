import type { Principal } from '../auth/principal.js';

/**
 * True when the caller may act on other users: the bootstrap admin token, or an admin user whose
 * credentials carry the admin scope (a session has every scope). An admin's read/write token acts
 * as a plain user, so handing an integration a narrow token never hands it an admin's reach.
 */
export function actsAsAdmin(principal: Principal): boolean {
  switch (principal.kind) {
    case 'admin_token':
      return true;
    case 'customer':
      return false;
    case 'user':
      return principal.role === 'admin' && (principal.scopes === 'all' || principal.scopes.includes('admin'));
  }
}
