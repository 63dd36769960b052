import {
  NotificationType,
  PreferenceChannel,
  type ChannelSwitches,
  type NotificationPreferences,
  type NotificationPreferencesInput,
} from '../../contract/delivery-api.js';
import type { Principal } from '../auth/principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import type { Executor } from '../../store/database.js';
import { withTransaction } from '../../store/database.js';
import {
  getNotificationPreferences,
  setNotificationPreferences,
  type NotificationPreferencesRecord,
  type StoredPreferences,
} from '../../store/repositories/notification-preferences.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { ServiceContext } from '../context.js';
import { isoOrNull } from '../present/present-conversation.js';

/**
 * Per-user notification preferences: which of in_app, email and Slack each person
 * wants for which notification type. Everything is on until switched off, so a new user misses
 * nothing. Users read and change their own; admins anyone's.
 */

function assertMayManage(principal: Principal, userId: string): void {
  if (actsAsAdmin(principal)) return;
  if (principal.kind === 'user' && principal.userId === userId) return;
  throw new BatonError('forbidden', "only the user themselves or an admin manages a user's notification preferences");
}

async function assertUserExists(ctx: ServiceContext, userId: string): Promise<void> {
  const { model } = await ctx.workspace.current();
  if (!model.users.has(userId)) throw notFound('user', userId);
}

function present(userId: string, record: NotificationPreferencesRecord | undefined): NotificationPreferences {
  const types = {} as Record<NotificationType, ChannelSwitches>;
  for (const type of NotificationType.options) {
    const stored = record?.preferences[type] ?? {};
    types[type] = { in_app: stored.in_app ?? true, email: stored.email ?? true, slack: stored.slack ?? true };
  }
  return { userId, types, updatedAt: isoOrNull(record?.updatedAt ?? null) };
}

export async function readNotificationPreferences(ctx: ServiceContext, principal: Principal, userId: string): Promise<NotificationPreferences> {
  assertMayManage(principal, userId);
  await assertUserExists(ctx, userId);
  const stored = await getNotificationPreferences(ctx.database.db, [userId]);
  return present(userId, stored.get(userId));
}

export async function saveNotificationPreferences(
  ctx: ServiceContext,
  principal: Principal,
  userId: string,
  input: NotificationPreferencesInput,
): Promise<NotificationPreferences> {
  assertMayManage(principal, userId);
  await assertUserExists(ctx, userId);
  // Keep only the switches that are off: "on" is the default and need not be stored.
  const off: Record<string, Record<string, boolean>> = {};
  for (const [type, switches] of Object.entries(input.types)) {
    for (const channel of PreferenceChannel.options) {
      if (switches?.[channel] === false) (off[type] ??= {})[channel] = false;
    }
  }
  const record = await withTransaction(ctx.database, (trx) => setNotificationPreferences(trx, userId, off, ctx.clock.now()));
  return present(userId, record);
}

function wants(preferences: StoredPreferences | undefined, type: string, channel: PreferenceChannel): boolean {
  return preferences?.[type]?.[channel] !== false;
}

/** The recipients who want `type` on `channel` (unknown types and users without choices: everyone). */
export async function recipientsWanting(ex: Executor, recipients: readonly string[], type: string, channel: PreferenceChannel): Promise<string[]> {
  const stored = await getNotificationPreferences(ex, recipients);
  return recipients.filter((userId) => wants(stored.get(userId)?.preferences, type, channel));
}
