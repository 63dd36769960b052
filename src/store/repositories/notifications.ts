import type { Executor } from '../database.js';
import { fromJsonOr, toJson } from '../json.js';
import { preparedQuery } from '../prepared.js';
import type { NotificationRow } from '../schema.js';
import { createId } from '../../platform/runtime.js';

/** The in-app notification centre. */
export interface NotificationRecord {
  readonly id: string;
  readonly userId: string;
  readonly conversationId: string | null;
  /** `assigned`, `queued`, `alert`, `sla_breach`, `task_due`, `review_due` … */
  readonly type: string;
  readonly title: string;
  readonly body: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly readAt: number | null;
  readonly createdAt: number;
}

export function rowToNotification(row: NotificationRow): NotificationRecord {
  return {
    id: row.id,
    userId: row.user_id,
    conversationId: row.conversation_id,
    type: row.type,
    title: row.title,
    body: row.body,
    data: fromJsonOr<Record<string, unknown>>(row.data, {}),
    readAt: row.read_at,
    createdAt: row.created_at,
  };
}

export interface NewNotification {
  readonly id?: string;
  readonly userId: string;
  readonly conversationId?: string | null;
  readonly type: string;
  readonly title: string;
  readonly body: string;
  readonly data?: Readonly<Record<string, unknown>>;
  /** The outbox item's key plus the recipient: a redelivered job creates no duplicate. */
  readonly idempotencyKey?: string | null;
  readonly now: number;
}

/** Create, unless one with the same idempotency key exists (then `notification` is that one). */
export async function createNotification(
  ex: Executor,
  input: NewNotification,
): Promise<{ readonly inserted: boolean; readonly notification: NotificationRecord }> {
  const row = await insertNotification.first(ex, {
    id: input.id ?? createId(),
    user_id: input.userId,
    conversation_id: input.conversationId ?? null,
    type: input.type,
    title: input.title,
    body: input.body,
    data: toJson(input.data ?? {}),
    read_at: null,
    created_at: input.now,
    idempotency_key: input.idempotencyKey ?? null,
  });
  if (row !== undefined) return { inserted: true, notification: rowToNotification(row) };
  const key = input.idempotencyKey;
  if (key === undefined || key === null) throw new Error('notification insert skipped without an idempotency key');
  const existing = await findNotificationByKey(ex, key);
  if (existing === null) throw new Error(`notification ${key} was neither inserted nor found`);
  return { inserted: false, notification: existing };
}

const insertNotification = preparedQuery((db, p: NotificationRow) =>
  db
    .insertInto('notifications')
    .values({
      id: p.id,
      user_id: p.user_id,
      conversation_id: p.conversation_id,
      type: p.type,
      title: p.title,
      body: p.body,
      data: p.data,
      read_at: p.read_at,
      created_at: p.created_at,
      idempotency_key: p.idempotency_key,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll(),
);

const notificationByKey = preparedQuery((db, p: { key: string }) => db.selectFrom('notifications').selectAll().where('idempotency_key', '=', p.key));

/** The notification written under an idempotency key, if any. */
export async function findNotificationByKey(ex: Executor, key: string): Promise<NotificationRecord | null> {
  const row = await notificationByKey.first(ex, { key });
  return row === undefined ? null : rowToNotification(row);
}

/** Newest first; page with `before`. */
export async function listNotifications(
  ex: Executor,
  options: {
    readonly userId: string;
    readonly unreadOnly?: boolean;
    readonly limit?: number;
    readonly before?: { readonly createdAt: number; readonly id: string };
  },
): Promise<NotificationRecord[]> {
  let q = ex
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', options.userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.max(1, Math.min(options.limit ?? 50, 500)));
  if (options.unreadOnly === true) q = q.where('read_at', 'is', null);
  const before = options.before;
  if (before !== undefined) {
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]),
    );
  }
  return (await q.execute()).map(rowToNotification);
}

export async function countUnread(ex: Executor, userId: string): Promise<number> {
  const row = await ex
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Mark the user's notifications read: the given ids, or all when `ids` is omitted. Returns how many changed. */
export async function markNotificationsRead(
  ex: Executor,
  input: { readonly userId: string; readonly ids?: readonly string[]; readonly now: number },
): Promise<number> {
  if (input.ids !== undefined && input.ids.length === 0) return 0;
  let q = ex
    .updateTable('notifications')
    .set({ read_at: input.now })
    .where('user_id', '=', input.userId)
    .where('read_at', 'is', null);
  if (input.ids !== undefined) q = q.where('id', 'in', input.ids);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
