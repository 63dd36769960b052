/** The contacts: search them (`GET /api/contacts?q=`) and read one with their conversations (the contact page). */
import type { Contact, ContactDetail, ContactsQuery } from '../../contract/api.js';
import type { OwnershipViewer } from '../../core/ownership.js';
import { notFound } from '../../platform/errors.js';
import { getContact } from '../../store/repositories/contacts.js';
import { listConversations } from '../../store/repositories/conversations.js';
import { latestHandoffTraces } from '../../store/repositories/events.js';
import { searchContacts } from '../../store/repositories/search.js';
import type { ServiceContext } from '../context.js';
import { searchQueryOf } from '../conversations/search-conversations.js';
import { decodeOffsetCursor, encodeOffsetCursor } from '../conversations/search-cursor.js';
import { iso, presentContact, presentConversation } from '../present/present-conversation.js';

export async function listContactsView(ctx: ServiceContext, query: ContactsQuery): Promise<{ items: Contact[]; nextCursor: string | null }> {
  const search = query.q === undefined || query.q.trim() === '' ? null : searchQueryOf(query.q);
  const offset = query.cursor === undefined ? 0 : decodeOffsetCursor(query.cursor);
  const { contacts, more } = await searchContacts(ctx.database.db, { dialect: ctx.database.dialect, search, offset, limit: query.limit });
  return { items: contacts.map(presentContact), nextCursor: more ? encodeOffsetCursor(offset + contacts.length) : null };
}

/** The contact page shows the latest 100 conversations. */
const CONVERSATIONS_SHOWN = 100;

export async function readContactView(ctx: ServiceContext, id: string, viewer: OwnershipViewer | null = null): Promise<ContactDetail> {
  const db = ctx.database.db;
  const contact = await getContact(db, id);
  if (contact === null) throw notFound('contact', id);
  const page = await listConversations(db, { contactId: id, order: 'activity', limit: CONVERSATIONS_SHOWN });
  const traces = await latestHandoffTraces(db, page.items.filter((c) => c.handedOffAt !== null).map((c) => c.id));
  const { model } = await ctx.workspace.current();
  return {
    contact: presentContact(contact),
    createdAt: iso(contact.createdAt),
    conversations: page.items.map((c) => presentConversation(c, contact, traces.get(c.id) ?? null, { model, viewer })),
  };
}
