import type { Executor } from '../database.js';
import { fromJsonOr, toJson } from '../json.js';

/** `{ "<type>": { "<channel>": boolean } }`: only what the user set; anything absent is on. */
export type StoredPreferences = Readonly<Record<string, Readonly<Record<string, boolean>>>>;

export interface NotificationPreferencesRecord {
  readonly userId: string;
  readonly preferences: StoredPreferences;
  readonly updatedAt: number;
}

/** The users' stored choices; users without a row are absent from the map. */
export async function getNotificationPreferences(ex: Executor, userIds: readonly string[]): Promise<Map<string, NotificationPreferencesRecord>> {
  if (userIds.length === 0) return new Map();
  const rows = await ex.selectFrom('notification_preferences').selectAll().where('user_id', 'in', [...new Set(userIds)]).execute();
  return new Map(
    rows.map((row) => [row.user_id, { userId: row.user_id, preferences: fromJsonOr<StoredPreferences>(row.preferences, {}), updatedAt: row.updated_at }]),
  );
}

/** Replace the user's choices (insert or update). */
export async function setNotificationPreferences(ex: Executor, userId: string, preferences: StoredPreferences, now: number): Promise<NotificationPreferencesRecord> {
  await ex
    .insertInto('notification_preferences')
    .values({ user_id: userId, preferences: toJson(preferences), updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ preferences: toJson(preferences), updated_at: now }))
    .execute();
  return { userId, preferences, updatedAt: now };
}
