import { sql } from 'kysely';
import type { Scalar } from '../../contract/conditions.js';
import type { Executor } from '../database.js';
import { preparedQuery } from '../prepared.js';
import { fromIntBool, fromJsonOr, toIntBool, toJson } from '../json.js';
import type { ContactRow } from '../schema.js';
import { createId } from '../../platform/runtime.js';

export type Properties = Readonly<Record<string, Scalar>>;

export interface ContactRecord {
  readonly id: string;
  readonly externalId: string | null;
  readonly name: string | null;
  readonly email: string | null;
  readonly language: string | null;
  readonly timezone: string | null;
  /** Account manager. */
  readonly ownerId: string | null;
  /** Last human owner of one of the contact's conversations (written by assignments only). */
  readonly lastOwnerId: string | null;
  readonly properties: Properties;
  /** Test contacts' conversations are left out of reports. */
  readonly isTest: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export function rowToContact(row: ContactRow): ContactRecord {
  return {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    email: row.email,
    language: row.language,
    timezone: row.timezone,
    ownerId: row.owner_id,
    lastOwnerId: row.last_owner_id,
    properties: fromJsonOr<Properties>(row.properties, {}),
    isTest: fromIntBool(row.is_test),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewContact {
  readonly id?: string;
  readonly externalId?: string | null;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly language?: string | null;
  readonly timezone?: string | null;
  readonly ownerId?: string | null;
  readonly properties?: Properties;
  readonly isTest?: boolean;
  readonly now: number;
}

function newContactRow(input: NewContact): ContactRow {
  return {
    id: input.id ?? createId(),
    external_id: input.externalId ?? null,
    name: input.name ?? null,
    email: input.email ?? null,
    language: input.language ?? null,
    timezone: input.timezone ?? null,
    owner_id: input.ownerId ?? null,
    last_owner_id: null,
    properties: toJson(input.properties ?? {}),
    is_test: toIntBool(input.isTest ?? false),
    created_at: input.now,
    updated_at: input.now,
  };
}

/** A contact row's columns by name, from placeholders (preparedQuery walks no object's keys). */
function contactColumns(p: ContactRow): ContactRow {
  return {
    id: p.id,
    external_id: p.external_id,
    name: p.name,
    email: p.email,
    language: p.language,
    timezone: p.timezone,
    owner_id: p.owner_id,
    last_owner_id: p.last_owner_id,
    properties: p.properties,
    is_test: p.is_test,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}
const insertContact = preparedQuery((db, p: ContactRow) => db.insertInto('contacts').values(contactColumns(p)).returningAll());
const insertContactUnlessKnown = preparedQuery((db, p: ContactRow) =>
  db
    .insertInto('contacts')
    .values(contactColumns(p))
    .onConflict((oc) => oc.column('external_id').doNothing())
    .returningAll(),
);

export async function createContact(ex: Executor, input: NewContact): Promise<ContactRecord> {
  const row = await insertContact.first(ex, newContactRow(input));
  if (row === undefined) throw new Error('contact insert returned no row');
  return rowToContact(row);
}

/**
 * The contact with `externalId`, created from `input` when there is none. Two requests for the
 * same customer at once get the same contact: the unique external id decides, the loser
 * reads the winner's row.
 */
export async function findOrCreateContactByExternalId(
  ex: Executor,
  input: NewContact & { readonly externalId: string },
): Promise<{ readonly contact: ContactRecord; readonly created: boolean }> {
  const inserted = await insertContactUnlessKnown.first(ex, newContactRow(input));
  if (inserted !== undefined) return { contact: rowToContact(inserted), created: true };
  const existing = await findContactByExternalId(ex, input.externalId);
  if (existing === null) throw new Error(`contact with external id "${input.externalId}" vanished`);
  return { contact: existing, created: false };
}

const contactById = preparedQuery((db, p: { id: string }) => db.selectFrom('contacts').selectAll().where('id', '=', p.id));

export async function getContact(ex: Executor, id: string): Promise<ContactRecord | null> {
  const row = await contactById.first(ex, { id });
  return row === undefined ? null : rowToContact(row);
}

/** The contacts with these ids, by id (ids without a contact are absent). */
export async function getContacts(ex: Executor, ids: readonly string[]): Promise<Map<string, ContactRecord>> {
  const out = new Map<string, ContactRecord>();
  if (ids.length === 0) return out;
  const rows = await ex.selectFrom('contacts').selectAll().where('id', 'in', ids).execute();
  for (const row of rows) out.set(row.id, rowToContact(row));
  return out;
}

export async function findContactByExternalId(ex: Executor, externalId: string): Promise<ContactRecord | null> {
  const row = await ex.selectFrom('contacts').selectAll().where('external_id', '=', externalId).executeTakeFirst();
  return row === undefined ? null : rowToContact(row);
}

/** Case-insensitive; the oldest contact when several share the address. */
export async function findContactByEmail(ex: Executor, email: string): Promise<ContactRecord | null> {
  const row = await ex
    .selectFrom('contacts')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : rowToContact(row);
}

export interface ContactPatch {
  readonly externalId?: string | null;
  readonly name?: string | null;
  readonly email?: string | null;
  readonly language?: string | null;
  readonly timezone?: string | null;
  readonly ownerId?: string | null;
  /** Replaces the whole property map (merge before calling to update one). */
  readonly properties?: Properties;
  readonly isTest?: boolean;
}

export async function updateContact(ex: Executor, id: string, patch: ContactPatch, now: number): Promise<ContactRecord | null> {
  const row = await ex
    .updateTable('contacts')
    .set({
      updated_at: now,
      ...(patch.externalId !== undefined && { external_id: patch.externalId }),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.email !== undefined && { email: patch.email }),
      ...(patch.language !== undefined && { language: patch.language }),
      ...(patch.timezone !== undefined && { timezone: patch.timezone }),
      ...(patch.ownerId !== undefined && { owner_id: patch.ownerId }),
      ...(patch.properties !== undefined && { properties: toJson(patch.properties) }),
      ...(patch.isTest !== undefined && { is_test: toIntBool(patch.isTest) }),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? null : rowToContact(row);
}
