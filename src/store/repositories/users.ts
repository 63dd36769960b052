import type { Availability } from '../../contract/common.js';
import type { Executor } from '../database.js';
import { withTransaction } from '../database.js';
import { fromJsonOr, toJson } from '../json.js';
import type { ApiTokenRow, SessionRow, UserStateRow, WidgetSessionRow } from '../schema.js';
import { createId } from '../../platform/runtime.js';

/**
 * Live state of users (availability, last assignment, password) and credentials (API tokens,
 * user sessions, customer widget sessions). Who the users *are* lives in the workspace
 * document; a user without a `user_state` row has their configured initial status.
 * Only hashes of secrets are stored; hashing is the caller's (src/platform/secrets).
 */

export interface UserStateRecord {
  readonly userId: string;
  /** null: the initial status from the workspace document applies. */
  readonly status: Availability | null;
  readonly statusChangedAt: number | null;
  readonly lastAssignedAt: number | null;
  readonly hasPassword: boolean;
}

export function rowToUserState(row: UserStateRow): UserStateRecord {
  return {
    userId: row.user_id,
    status: row.status as Availability | null,
    statusChangedAt: row.status_changed_at,
    lastAssignedAt: row.last_assigned_at,
    hasPassword: row.password_hash !== null,
  };
}

export async function getUserState(ex: Executor, userId: string): Promise<UserStateRecord | null> {
  const row = await ex.selectFrom('user_state').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row === undefined ? null : rowToUserState(row);
}

export async function listUserStates(ex: Executor, userIds?: readonly string[]): Promise<UserStateRecord[]> {
  if (userIds !== undefined && userIds.length === 0) return [];
  let query = ex.selectFrom('user_state').selectAll().orderBy('user_id');
  if (userIds !== undefined) query = query.where('user_id', 'in', userIds);
  return (await query.execute()).map(rowToUserState);
}

/**
 * Set a user's availability. Returns the previous status (null when it was the configured
 * initial one) so the caller can tell "came online" — which triggers the backlog assignment
 * (CW #10583) — from a repeated click.
 */
export async function setUserStatus(
  ex: Executor,
  input: { readonly userId: string; readonly status: Availability; readonly now: number },
): Promise<{ readonly previous: Availability | null; readonly state: UserStateRecord }> {
  return withTransaction(ex, async (trx) => {
    const before = await trx.selectFrom('user_state').select('status').where('user_id', '=', input.userId).forUpdate().executeTakeFirst();
    const row = await trx
      .insertInto('user_state')
      .values({ user_id: input.userId, status: input.status, status_changed_at: input.now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ status: input.status, status_changed_at: input.now }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return { previous: (before?.status ?? null) as Availability | null, state: rowToUserState(row) };
  });
}

/** Forget live status (the configured initial status applies again), e.g. after a config apply removes overrides. */
export async function clearUserStatus(ex: Executor, userId: string): Promise<void> {
  await ex.updateTable('user_state').set({ status: null, status_changed_at: null }).where('user_id', '=', userId).execute();
}

export async function setPasswordHash(ex: Executor, userId: string, passwordHash: string | null): Promise<void> {
  await ex
    .insertInto('user_state')
    .values({ user_id: userId, password_hash: passwordHash })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ password_hash: passwordHash }))
    .execute();
}

export async function getPasswordHash(ex: Executor, userId: string): Promise<string | null> {
  const row = await ex.selectFrom('user_state').select('password_hash').where('user_id', '=', userId).executeTakeFirst();
  return row?.password_hash ?? null;
}

// ── API tokens ──────────────────────────────────────────────────────────────────────────────────

export interface ApiTokenRecord {
  readonly id: string;
  readonly userId: string | null;
  readonly name: string;
  readonly scopes: readonly string[];
  /** A bot token's channels; null for other tokens (and bot tokens made before channels existed). */
  readonly channels: readonly string[] | null;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

export function rowToApiToken(row: ApiTokenRow): ApiTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    scopes: fromJsonOr<string[]>(row.scopes, []),
    channels: row.channels === null ? null : fromJsonOr<string[]>(row.channels, []),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export async function createApiToken(
  ex: Executor,
  input: {
    readonly id?: string;
    readonly userId: string | null;
    readonly name: string;
    readonly tokenHash: string;
    readonly scopes: readonly string[];
    readonly channels?: readonly string[] | null;
    readonly now: number;
  },
): Promise<ApiTokenRecord> {
  const row = await ex
    .insertInto('api_tokens')
    .values({
      id: input.id ?? createId(),
      user_id: input.userId,
      name: input.name,
      token_hash: input.tokenHash,
      scopes: toJson(input.scopes),
      channels: input.channels === undefined || input.channels === null ? null : toJson(input.channels),
      created_at: input.now,
      last_used_at: null,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToApiToken(row);
}

/** The token with this hash unless revoked. */
export async function findActiveApiToken(ex: Executor, tokenHash: string): Promise<ApiTokenRecord | null> {
  const row = await ex
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? null : rowToApiToken(row);
}

export async function listApiTokens(ex: Executor, options: { readonly userId?: string } = {}): Promise<ApiTokenRecord[]> {
  let query = ex.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (options.userId !== undefined) query = query.where('user_id', '=', options.userId);
  return (await query.execute()).map(rowToApiToken);
}

export async function touchApiToken(ex: Executor, id: string, now: number): Promise<void> {
  await ex.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

/** True when the token was active and is now revoked. */
export async function revokeApiToken(ex: Executor, id: string, now: number): Promise<boolean> {
  const result = await ex
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ── user sessions ───────────────────────────────────────────────────────────────────────────────

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export function rowToSession(row: SessionRow): SessionRecord {
  return { id: row.id, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at };
}

export async function createSession(
  ex: Executor,
  input: { readonly id?: string; readonly userId: string; readonly tokenHash: string; readonly now: number; readonly expiresAt: number },
): Promise<SessionRecord> {
  const row = await ex
    .insertInto('sessions')
    .values({
      id: input.id ?? createId(),
      user_id: input.userId,
      token_hash: input.tokenHash,
      created_at: input.now,
      expires_at: input.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToSession(row);
}

/** The unexpired session with this token hash. */
export async function findSession(ex: Executor, tokenHash: string, now: number): Promise<SessionRecord | null> {
  const row = await ex
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row === undefined ? null : rowToSession(row);
}

export async function deleteSession(ex: Executor, tokenHash: string): Promise<void> {
  await ex.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteUserSessions(ex: Executor, userId: string): Promise<number> {
  const result = await ex.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(ex: Executor, now: number): Promise<number> {
  const users = await ex.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  const customers = await ex.deleteFrom('widget_sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(users.numDeletedRows) + Number(customers.numDeletedRows);
}

// ── customer (widget) sessions ──────────────────────────────────────────────────────────────────

export interface WidgetSessionRecord {
  readonly id: string;
  readonly contactId: string;
  readonly channelId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export function rowToWidgetSession(row: WidgetSessionRow): WidgetSessionRecord {
  return {
    id: row.id,
    contactId: row.contact_id,
    channelId: row.channel_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export async function createWidgetSession(
  ex: Executor,
  input: {
    readonly id?: string;
    readonly contactId: string;
    readonly channelId: string;
    readonly tokenHash: string;
    readonly now: number;
    readonly expiresAt: number;
  },
): Promise<WidgetSessionRecord> {
  const row = await ex
    .insertInto('widget_sessions')
    .values({
      id: input.id ?? createId(),
      contact_id: input.contactId,
      channel_id: input.channelId,
      token_hash: input.tokenHash,
      created_at: input.now,
      expires_at: input.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToWidgetSession(row);
}

export async function findWidgetSession(ex: Executor, tokenHash: string, now: number): Promise<WidgetSessionRecord | null> {
  const row = await ex
    .selectFrom('widget_sessions')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row === undefined ? null : rowToWidgetSession(row);
}
