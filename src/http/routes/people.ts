import {
  AcceptInviteInput,
  ChangePasswordInput,
  Deactivated,
  InvitationCreated,
  SetupInput,
  SetupState,
  UserAccess,
  UserAccessList,
} from '../../contract/access-api.js';
import { IdParams } from '../../contract/api.js';
import { MeWithStatus } from '../../contract/people-api.js';
import { acceptInvitation } from '../../services/people/accept-invitation.js';
import { changeOwnPassword } from '../../services/people/change-own-password.js';
import { deactivateUser, reactivateUser } from '../../services/people/deactivate-user.js';
import { inviteUser } from '../../services/people/invite-user.js';
import { readSetupState, setUpFirstAdmin } from '../../services/people/set-up-first-admin.js';
import { listUsersAccess } from '../../services/people/user-access.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';
import { answerSignedIn } from './signed-in.js';


/**
 * People joining the desk (issue 16 §1, docs/api.md "Authentication"): invitations and accepting them,
 * one's own password, the first-run setup, deactivation, and who can sign in.
 */
export function peopleRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/users/:id/invite',
      summary: 'Invite the user to set their password: a single-use link valid 7 days (emailed too when SMTP is configured); supersedes older links',
      tags: ['users'],
      access: 'admin',
      writes: true,
      params: IdParams,
      response: InvitationCreated,
      status: 201,
      handler: ({ params, principal }) => inviteUser(ctx, principal!, { userId: params.id }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/users/:id/reset-password',
      summary: "Reset the user's password: the current one stops working, their sessions end, and a new invitation is sent",
      tags: ['users'],
      access: 'admin',
      writes: true,
      params: IdParams,
      response: InvitationCreated,
      status: 201,
      handler: ({ params, principal }) => inviteUser(ctx, principal!, { userId: params.id, reset: true }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/auth/accept-invite',
      summary: 'Accept an invitation: set the password (at least 10 characters, not a common one) and sign in',
      tags: ['auth'],
      access: 'public',
      body: AcceptInviteInput,
      response: MeWithStatus,
      handler: async ({ body, request, reply }) => {
        return answerSignedIn(ctx, request, reply, await acceptInvitation(ctx, body));
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/users/me/password',
      summary: 'Change your own password, giving the current one',
      tags: ['users'],
      access: 'user',
      writes: true,
      body: ChangePasswordInput,
      handler: async ({ body, principal }) => {
        await changeOwnPassword(ctx, principal!, body);
        return undefined;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/setup',
      summary: 'Whether the one-time setup applies (nobody has a password yet)',
      tags: ['auth'],
      access: 'public',
      response: SetupState,
      handler: () => readSetupState(ctx),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/setup',
      summary: 'One-time setup: create the first admin and sign in; 409 once anyone has a password',
      tags: ['auth'],
      access: 'public',
      body: SetupInput,
      response: MeWithStatus,
      status: 201,
      handler: async ({ body, request, reply }) => {
        return answerSignedIn(ctx, request, reply, await setUpFirstAdmin(ctx, body));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/user-access',
      summary: 'Who can sign in: per user invited (until when), active, deactivated or without a password, and the last sign-in',
      tags: ['users'],
      access: 'admin',
      response: UserAccessList,
      handler: async ({ principal }) => ({ items: await listUsersAccess(ctx, principal!) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/users/:id/deactivate',
      summary: 'Deactivate: signed out everywhere, tokens refused, open conversations back to their queues',
      tags: ['users'],
      access: 'admin',
      writes: true,
      params: IdParams,
      response: Deactivated,
      handler: ({ params, principal }) => deactivateUser(ctx, principal!, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/users/:id/reactivate',
      summary: 'Reactivate a deactivated user: they may sign in again',
      tags: ['users'],
      access: 'admin',
      writes: true,
      params: IdParams,
      response: UserAccess,
      handler: ({ params, principal }) => reactivateUser(ctx, principal!, params.id),
    }),
  ];
}

