import type { Executor } from '../database.js';
import type { InvitationRow, UserAccessRow } from '../schema.js';
import { createId } from '../../platform/runtime.js';

/**
 * Invitations (single-use links that set a password) and each user's access (deactivated, last
 * sign-in). Only the SHA-256 of an invitation token is stored; hashing is the caller's
 * (src/platform/secrets). Who the users are lives in the workspace document.
 */

export interface InvitationRecord {
  readonly id: string;
  readonly userId: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
  readonly supersededAt: number | null;
}

export function rowToInvitation(row: InvitationRow): InvitationRecord {
  return {
    id: row.id,
    userId: row.user_id,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: row.used_at === null ? null : Number(row.used_at),
    supersededAt: row.superseded_at === null ? null : Number(row.superseded_at),
  };
}

/**
 * A new invitation for the user; every earlier one not yet used is superseded in the same
 * statement sequence (the caller's transaction), so only the newest link works.
 */
export async function createInvitation(
  ex: Executor,
  input: { readonly userId: string; readonly tokenHash: string; readonly createdBy: string; readonly now: number; readonly expiresAt: number },
): Promise<{ readonly invitation: InvitationRecord; readonly superseded: number }> {
  const superseded = await ex
    .updateTable('invitations')
    .set({ superseded_at: input.now })
    .where('user_id', '=', input.userId)
    .where('used_at', 'is', null)
    .where('superseded_at', 'is', null)
    .executeTakeFirst();
  const row = await ex
    .insertInto('invitations')
    .values({
      id: createId(),
      user_id: input.userId,
      token_hash: input.tokenHash,
      created_by: input.createdBy,
      created_at: input.now,
      expires_at: input.expiresAt,
      used_at: null,
      superseded_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { invitation: rowToInvitation(row), superseded: Number(superseded.numUpdatedRows) };
}

/** The invitation with this token hash, whatever its state (the caller explains why it cannot be used). */
export async function findInvitationByHash(ex: Executor, tokenHash: string): Promise<InvitationRecord | null> {
  const row = await ex.selectFrom('invitations').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row === undefined ? null : rowToInvitation(row);
}

/**
 * Use the invitation: a conditional UPDATE (unused, not superseded, unexpired), so of two
 * concurrent accepts of one link exactly one changes a row. True when this call used it.
 */
export async function useInvitation(ex: Executor, id: string, now: number): Promise<boolean> {
  const result = await ex
    .updateTable('invitations')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('superseded_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Unused invitations of the user are superseded (a deactivation or a password set another way). */
export async function supersedeInvitations(ex: Executor, userId: string, now: number): Promise<number> {
  const result = await ex
    .updateTable('invitations')
    .set({ superseded_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('superseded_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Per user, the newest invitation that can still be used at `now`. */
export async function listPendingInvitations(ex: Executor, now: number): Promise<Map<string, InvitationRecord>> {
  const rows = await ex
    .selectFrom('invitations')
    .selectAll()
    .where('used_at', 'is', null)
    .where('superseded_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .execute();
  return new Map(rows.map((row) => [row.user_id, rowToInvitation(row)]));
}

// ── access ──────────────────────────────────────────────────────────────────────────────────────

export interface UserAccessRecord {
  readonly userId: string;
  readonly deactivatedAt: number | null;
  readonly lastSignedInAt: number | null;
}

function rowToUserAccess(row: UserAccessRow): UserAccessRecord {
  return {
    userId: row.user_id,
    deactivatedAt: row.deactivated_at === null ? null : Number(row.deactivated_at),
    lastSignedInAt: row.last_signed_in_at === null ? null : Number(row.last_signed_in_at),
  };
}

export async function getUserAccess(ex: Executor, userId: string): Promise<UserAccessRecord | null> {
  const row = await ex.selectFrom('user_access').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row === undefined ? null : rowToUserAccess(row);
}

/** The user's row, locked for the rest of the transaction (PostgreSQL; SQLite has one writer). */
export async function lockUserAccess(ex: Executor, userId: string): Promise<UserAccessRecord> {
  await ex.insertInto('user_access').values({ user_id: userId, deactivated_at: null, last_signed_in_at: null }).onConflict((oc) => oc.column('user_id').doNothing()).execute();
  const row = await ex.selectFrom('user_access').selectAll().where('user_id', '=', userId).forUpdate().executeTakeFirstOrThrow();
  return rowToUserAccess(row);
}

export async function listUserAccess(ex: Executor): Promise<Map<string, UserAccessRecord>> {
  const rows = await ex.selectFrom('user_access').selectAll().execute();
  return new Map(rows.map((row) => [row.user_id, rowToUserAccess(row)]));
}

/** Deactivate (`at`) or reactivate (null). True when the state changed. */
export async function setDeactivated(ex: Executor, userId: string, at: number | null): Promise<boolean> {
  const result = await ex
    .updateTable('user_access')
    .set({ deactivated_at: at })
    .where('user_id', '=', userId)
    .where('deactivated_at', at === null ? 'is not' : 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function recordSignIn(ex: Executor, userId: string, now: number): Promise<void> {
  await ex
    .insertInto('user_access')
    .values({ user_id: userId, deactivated_at: null, last_signed_in_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_signed_in_at: now }))
    .execute();
}
