import type { InvitationCreated } from '../../contract/access-api.js';
import type { Principal } from '../auth/principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { hashToken, newToken } from '../../platform/secrets.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { createInvitation, lockUserAccess } from '../../store/repositories/invitations.js';
import { deleteUserSessions, setPasswordHash } from '../../store/repositories/users.js';
import { actorOf } from '../auth/authenticate.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { ServiceContext } from '../context.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';
import { iso } from '../present/present-conversation.js';

/** An invitation link works for 7 days (issue 16 §1). */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

/** The app's page that accepts an invitation; the token rides in the fragment, which browsers never send to a server or a Referer. */
export function invitationUrl(ctx: ServiceContext, token: string): string {
  const base = (ctx.env.BATON_PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  return `${base}/invite#${token}`;
}

/**
 * Invite a user to set their password (admin): a single-use link, valid 7 days, whose token is
 * stored only as its SHA-256. A new invitation supersedes every unused older one of the user, so
 * "resend" leaves exactly one working link. With `reset`, the current password stops working and
 * the user is signed out everywhere first (an admin's password reset). The link is always returned
 * for the admin to copy, and also emailed — an outbox row in the same transaction, sent after
 * commit — when the workspace has SMTP. That row holds the link until the mail is sent (the one
 * copy of the token the database sees); once sent the link is dropped from it (`redactWhenDone`).
 */
export async function inviteUser(
  ctx: ServiceContext,
  principal: Principal,
  input: { readonly userId: string; readonly reset?: boolean },
): Promise<InvitationCreated> {
  if (!actsAsAdmin(principal)) throw new BatonError('forbidden', 'only an admin may invite people or reset their password');
  const { model, config } = await ctx.workspace.current();
  const user = model.users.get(input.userId);
  if (!user) throw notFound('user', input.userId);
  const token = newToken('bi');
  const now = ctx.clock.now();
  const expiresAt = now + INVITATION_TTL_MS;
  const url = invitationUrl(ctx, token);
  const smtpUrl = config.notifications.email?.smtpUrl;
  const emailed = smtpUrl !== undefined && smtpUrl !== '';
  const actor = actorOf(principal);

  await withTransaction(ctx.database, async (trx) => {
    const access = await lockUserAccess(trx, user.id);
    if (access.deactivatedAt !== null) {
      throw new BatonError('conflict', `${user.name} is deactivated; reactivate them before sending an invitation`);
    }
    if (input.reset === true) {
      await setPasswordHash(trx, user.id, null);
      await deleteUserSessions(trx, user.id);
    }
    const { invitation } = await createInvitation(trx, { userId: user.id, tokenHash: hashToken(token), createdBy: actor, now, expiresAt });
    await appendAudit(trx, {
      actor,
      action: input.reset === true ? 'user.password_reset' : 'user.invited',
      entity: 'user',
      entityId: user.id,
      data: { invitationId: invitation.id, expiresAt: iso(expiresAt), emailed },
      now,
    });
    if (emailed) {
      await enqueueNotification(trx, {
        channel: 'email',
        idempotencyKey: `invitation:${invitation.id}`,
        payload: {
          conversationId: null,
          recipients: [user.id],
          type: 'user.invited',
          title: input.reset === true ? `Set a new password for ${config.workspace.name}` : `You are invited to ${config.workspace.name} on Baton`,
          body: `Choose your password with this link; it works once, until ${iso(expiresAt)}.`,
          data: { link: url, linkLabel: 'Set your password', linkIsSecret: true },
        },
        now,
      });
    }
  });
  if (emailed) ctx.afterCommit({ kind: 'outbox' });
  if (input.reset === true) ctx.afterCommit({ kind: 'signed_out' });
  return { url, expiresAt: iso(expiresAt), emailed };
}
