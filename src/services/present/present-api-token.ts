import type { TokenScope } from '../../contract/api.js';
import type { ApiToken } from '../../contract/people-api.js';
import type { ApiTokenRecord } from '../../store/repositories/users.js';
import { iso, isoOrNull } from './present-conversation.js';

/** A token as listed: its name, scopes and use — the secret is never stored, so never shown. */
export function presentApiToken(token: ApiTokenRecord & { readonly userId: string }): ApiToken {
  return {
    id: token.id,
    name: token.name,
    userId: token.userId,
    scopes: token.scopes as TokenScope[],
    createdAt: iso(token.createdAt),
    lastUsedAt: isoOrNull(token.lastUsedAt),
    revokedAt: isoOrNull(token.revokedAt),
  };
}
