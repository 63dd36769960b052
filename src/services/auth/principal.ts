/**
 * Who is calling, as every use case sees it: resolved once per request (http/app.ts, from the
 * session cookie or a bearer token) or per socket, and handed to the services. It is the
 * services' own notion, so they never reach into the HTTP layer for it.
 */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      role: 'admin' | 'agent';
      scopes: readonly ('read' | 'write' | 'admin' | 'bot')[] | 'all';
      /** A bot token's channels: the only conversations it reaches (empty: none). Absent for people. */
      channels?: readonly string[];
    }
  | { kind: 'admin_token' }
  | { kind: 'customer'; contactId: string; channelId: string };

/** What a caller presented: a bearer token (`Authorization` or `?token=`) and/or the session cookie. */
export interface Credentials {
  bearer: string | null;
  session: string | null;
}

/** A webhook bot's token (the `bot` scope): it speaks as the AI agent, and only while the conversation is in `bot`. */
export function isBotPrincipal(principal: Principal | null): boolean {
  return principal?.kind === 'user' && principal.scopes !== 'all' && principal.scopes.includes('bot');
}
