/**
 * `GET /api/conversations?q=`: conversations whose messages (private notes included: the desk's
 * own text), contact name or email, or tags match, best first, each with the snippet that shows
 * why — narrowed by the same view and filters as the list, so a search never shows a
 * conversation the list would not.
 */
import type { ConversationListItem, ListConversationsQuery, SearchSnippet } from '../../contract/api.js';
import type { OwnershipViewer } from '../../core/ownership.js';
import { parseSearchQuery, type SearchQuery } from '../../core/search/search-query.js';
import { findSnippet } from '../../core/search/snippet.js';
import { BatonError } from '../../platform/errors.js';
import { getContacts, type ContactRecord } from '../../store/repositories/contacts.js';
import { latestHandoffTraces } from '../../store/repositories/events.js';
import { getMessagesByIds, searchConversations, type ConversationHit } from '../../store/repositories/search.js';
import type { MessageRecord } from '../../store/repositories/messages.js';
import type { ServiceContext } from '../context.js';
import { presentConversation } from '../present/present-conversation.js';
import { conversationFilterOf } from './read-conversations.js';
import { decodeOffsetCursor, encodeOffsetCursor } from './search-cursor.js';

/** The query as terms, or a 422 naming `q` that says what is wrong with it. */
export function searchQueryOf(q: string): SearchQuery {
  const parsed = parseSearchQuery(q);
  if (typeof parsed !== 'string') return parsed;
  const message =
    parsed === 'empty' ? 'q holds no word to search for' : parsed === 'too_long' ? 'q is longer than 200 characters' : 'q has more than 16 words';
  throw new BatonError('invalid', message, { details: [{ path: 'q', message }] });
}

export function snippetOf(hit: ConversationHit, message: MessageRecord | undefined, contact: ContactRecord, query: SearchQuery): SearchSnippet {
  if (message !== undefined) return { source: message.private ? 'note' : 'message', seq: message.seq, segments: findSnippet(message.body, query) };
  if (hit.contactMatched || !hit.tagsMatched) {
    const who = [contact.name, contact.email === null ? null : `<${contact.email}>`].filter((x) => x !== null).join(' ');
    return { source: 'contact', seq: null, segments: findSnippet(who, query) };
  }
  return { source: 'tags', seq: null, segments: findSnippet(hit.conversation.tags.join(', '), query) };
}

export async function searchConversationsView(
  ctx: ServiceContext,
  query: ListConversationsQuery & { readonly q: string },
  viewerId: string | null,
  viewer: OwnershipViewer | null = null,
): Promise<{ items: ConversationListItem[]; nextCursor: string | null }> {
  const search = searchQueryOf(query.q);
  const offset = query.cursor === undefined ? 0 : decodeOffsetCursor(query.cursor);
  const filter = await conversationFilterOf(ctx, query, viewerId);
  if (filter === 'nothing') return { items: [], nextCursor: null };
  const db = ctx.database.db;
  const { hits, more } = await searchConversations(db, {
    ...filter,
    dialect: ctx.database.dialect,
    search,
    includeNotes: true,
    offset,
    limit: query.limit,
  });
  const [contacts, messages, traces] = await Promise.all([
    getContacts(db, [...new Set(hits.map((h) => h.conversation.contactId))]),
    getMessagesByIds(db, hits.flatMap((h) => (h.messageId === null ? [] : [h.messageId]))),
    latestHandoffTraces(db, hits.filter((h) => h.conversation.handedOffAt !== null).map((h) => h.conversation.id)),
  ]);
  const { model } = await ctx.workspace.current();
  return {
    items: hits.map((hit) => {
      const contact = contacts.get(hit.conversation.contactId);
      if (contact === undefined) throw new Error(`conversation ${hit.conversation.id} has no contact`);
      const message = hit.messageId === null ? undefined : messages.get(hit.messageId);
      return {
        ...presentConversation(hit.conversation, contact, traces.get(hit.conversation.id) ?? null, { model, viewer }),
        snippet: snippetOf(hit, message, contact, search),
      };
    }),
    nextCursor: more ? encodeOffsetCursor(offset + hits.length) : null,
  };
}
