import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Me } from '../../contract/api.js';
import type { MeWithStatus } from '../../contract/people-api.js';
import type { ServiceContext } from '../../services/context.js';
import { describeMeWithStatus } from '../../services/people/describe-me-with-status.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../app.js';

/**
 * The answer to every way of signing in (password, accepted invitation, first-run setup): the
 * session cookie, and who is now signed in with their availability.
 */
export function answerSignedIn(
  ctx: ServiceContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: { readonly token: string; readonly expiresAt: number; readonly me: Me },
): Promise<MeWithStatus> {
  const maxAge = Math.max(0, Math.floor((session.expiresAt - ctx.clock.now()) / 1000));
  void reply.setCookie(SESSION_COOKIE, session.token, sessionCookieOptions(request, ctx.env.BATON_PUBLIC_URL, maxAge));
  return describeMeWithStatus(ctx, { kind: 'user', userId: session.me.id, role: session.me.role, scopes: 'all' });
}
