import type { Updateable } from 'kysely';
import type { Executor } from '../database.js';
import { fromJsonOr, toJson } from '../json.js';
import type { SavedReplyRow, SavedReplyTable } from '../schema.js';

/** A saved reply: personal when it has an owner, shared with everyone otherwise. */
export interface SavedReplyRecord {
  readonly id: string;
  readonly ownerId: string | null;
  readonly title: string;
  readonly shortcut: string | null;
  readonly defaultLanguage: string;
  readonly bodies: Readonly<Record<string, string>>;
  readonly createdBy: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export function rowToSavedReply(row: SavedReplyRow): SavedReplyRecord {
  return {
    id: row.id,
    ownerId: row.owner_id,
    title: row.title,
    shortcut: row.shortcut,
    defaultLanguage: row.default_language,
    bodies: fromJsonOr<Record<string, string>>(row.bodies, {}),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** A saved reply to write: the record's fields, its two timestamps being `now`. */
export type NewSavedReply = Omit<SavedReplyRecord, 'createdAt' | 'updatedAt'> & { readonly now: number };

export async function insertSavedReply(ex: Executor, input: NewSavedReply): Promise<SavedReplyRecord> {
  const row = await ex
    .insertInto('saved_replies')
    .values({
      id: input.id,
      owner_id: input.ownerId,
      title: input.title,
      shortcut: input.shortcut,
      default_language: input.defaultLanguage,
      bodies: toJson(input.bodies),
      created_by: input.createdBy,
      created_at: input.now,
      updated_at: input.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToSavedReply(row);
}

export async function getSavedReply(ex: Executor, id: string): Promise<SavedReplyRecord | null> {
  const row = await ex.selectFrom('saved_replies').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : rowToSavedReply(row);
}

/** The shared replies and, given a user, that user's personal ones: by title. At most `limit`. */
export async function listSavedReplies(ex: Executor, options: { readonly ownerId: string | null; readonly limit: number }): Promise<SavedReplyRecord[]> {
  const { ownerId } = options;
  const rows = await ex
    .selectFrom('saved_replies')
    .selectAll()
    .where((eb) => (ownerId === null ? eb('owner_id', 'is', null) : eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', ownerId)])))
    .orderBy('title')
    .orderBy('id')
    .limit(options.limit)
    .execute();
  return rows.map(rowToSavedReply);
}

/** How many replies one owner (or, with null, the workspace) has: the bound on creating more. */
export async function countSavedReplies(ex: Executor, ownerId: string | null): Promise<number> {
  const row = await ex
    .selectFrom('saved_replies')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('owner_id', ownerId === null ? 'is' : '=', ownerId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface SavedReplyPatch {
  readonly title?: string;
  readonly shortcut?: string | null;
  readonly defaultLanguage?: string;
  readonly bodies?: Readonly<Record<string, string>>;
}

export async function updateSavedReply(ex: Executor, id: string, patch: SavedReplyPatch, now: number): Promise<SavedReplyRecord | null> {
  const set: Updateable<SavedReplyTable> = { updated_at: now };
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.shortcut !== undefined) set.shortcut = patch.shortcut;
  if (patch.defaultLanguage !== undefined) set.default_language = patch.defaultLanguage;
  if (patch.bodies !== undefined) set.bodies = toJson(patch.bodies);
  const row = await ex.updateTable('saved_replies').set(set).where('id', '=', id).returningAll().executeTakeFirst();
  return row === undefined ? null : rowToSavedReply(row);
}

export async function deleteSavedReply(ex: Executor, id: string): Promise<boolean> {
  const result = await ex.deleteFrom('saved_replies').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
