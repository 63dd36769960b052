import type { SavedReply } from '../../contract/saved-replies-api.js';
import type { SavedReplyRecord } from '../../store/repositories/saved-replies.js';

export function presentSavedReply(reply: SavedReplyRecord, rendered?: { language: string; body: string }): SavedReply {
  return {
    id: reply.id,
    title: reply.title,
    shortcut: reply.shortcut,
    shared: reply.ownerId === null,
    owner: reply.ownerId,
    defaultLanguage: reply.defaultLanguage,
    bodies: { ...reply.bodies },
    ...(rendered === undefined ? {} : { rendered }),
    createdAt: new Date(reply.createdAt).toISOString(),
    updatedAt: new Date(reply.updatedAt).toISOString(),
  };
}
