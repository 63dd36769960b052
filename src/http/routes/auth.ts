import { CreatedToken, CreateTokenInput, IdParams, LoginInput, StatusInput } from '../../contract/api.js';
import { ApiTokenList, MeWithStatus, UserStatus, UserTokenParams } from '../../contract/people-api.js';
import { BatonError } from '../../platform/errors.js';
import { actorOf, createUserToken, logOut } from '../../services/auth/authenticate.js';
import { describeMeWithStatus } from '../../services/people/describe-me-with-status.js';
import { listUserTokens } from '../../services/auth/list-user-tokens.js';
import { revokeUserToken } from '../../services/auth/revoke-user-token.js';
import { setUserStatus } from '../../services/people/set-user-status.js';
import { signIn } from '../../services/auth/sign-in.js';
import { credentialsOf, SESSION_COOKIE, sessionCookieOptions } from '../app.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';
import { answerSignedIn } from './signed-in.js';

/** Sign-in, who am I, API tokens that act as a user, and availability (docs/api.md "Authentication"). */
export function authRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx, loginThrottle: throttle } = deps;

  return [
    defineRoute({
      method: 'POST',
      url: '/api/auth/login',
      summary: 'Sign in with email and password; sets the session cookie',
      tags: ['auth'],
      access: 'public',
      body: LoginInput,
      response: MeWithStatus,
      handler: async ({ body, request, reply }) => {
        const result = await signIn(ctx, throttle, body, request.ip);
        if (result.outcome === 'throttled') {
          const seconds = Math.ceil(result.retryAfterMs / 1000);
          // RFC 9110 §10.2.3: tells a well-behaved client when to try again.
          void reply.header('retry-after', String(seconds));
          throw new BatonError('rate_limited', `too many failed sign-ins for this email from here; try again in ${seconds < 60 ? `${seconds} second(s)` : `${Math.ceil(seconds / 60)} minute(s)`}`);
        }
        return answerSignedIn(ctx, request, reply, result);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/auth/logout',
      summary: 'Sign out: ends the session and clears its cookie',
      tags: ['auth'],
      // Public so that a stale or expired cookie can always be cleared.
      access: 'public',
      handler: async ({ request, reply }) => {
        await logOut(ctx, credentialsOf(request).session);
        void reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request, ctx.env.BATON_PUBLIC_URL));
        return undefined;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/me',
      summary: 'Who the credentials belong to, with their availability now',
      tags: ['auth'],
      access: 'user',
      response: MeWithStatus,
      handler: ({ principal }) => describeMeWithStatus(ctx, principal!),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/users/:id/tokens',
      summary: 'Create an API token that acts as the user (shown once)',
      tags: ['auth'],
      access: 'admin',
      writes: true,
      params: IdParams,
      body: CreateTokenInput,
      response: CreatedToken,
      status: 201,
      handler: ({ params, body, principal }) => createUserToken(ctx, params.id, body, actorOf(principal)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/users/:id/tokens',
      summary: "A user's API tokens, without secrets (admin, or the user themself)",
      tags: ['auth'],
      access: 'user',
      params: IdParams,
      response: ApiTokenList,
      handler: async ({ params, principal }) => ({ items: await listUserTokens(ctx, principal!, params.id) }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/users/:id/tokens/:tokenId',
      summary: 'Revoke an API token (admin, or the user themself)',
      tags: ['auth'],
      access: 'user',
      writes: true,
      params: UserTokenParams,
      handler: async ({ params, principal }) => {
        await revokeUserToken(ctx, principal!, { userId: params.id, tokenId: params.tokenId });
        return undefined;
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/users/:id/status',
      summary: 'Set availability: available, away or offline (the user themself, or an admin)',
      tags: ['users'],
      access: 'user',
      writes: true,
      params: IdParams,
      body: StatusInput,
      response: UserStatus,
      handler: ({ params, body, principal }) => setUserStatus(ctx, principal!, { userId: params.id, status: body.status }),
    }),
  ];
}
