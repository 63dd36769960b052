import { IdParams, Ok } from '../../contract/api.js';
import { CreateSavedReplyInput, PatchSavedReplyInput, SavedRepliesQuery, SavedReply, SavedReplyList } from '../../contract/saved-replies-api.js';
import { createSavedReply } from '../../services/saved-replies/create-saved-reply.js';
import { deleteSavedReply } from '../../services/saved-replies/delete-saved-reply.js';
import { listSavedReplies } from '../../services/saved-replies/list-saved-replies.js';
import { updateSavedReply } from '../../services/saved-replies/update-saved-reply.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/** Saved replies: shared ones (admins write them) and each agent's personal ones. */
export function savedReplyRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/saved-replies',
      summary: "The shared saved replies and the caller's personal ones, by title; with ?conversation= each is rendered for it",
      tags: ['saved replies'],
      access: 'user',
      query: SavedRepliesQuery,
      response: SavedReplyList,
      handler: async ({ query, principal }) => ({
        items: await listSavedReplies(ctx, principal!, query.conversation === undefined ? {} : { conversationId: query.conversation }),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/saved-replies',
      summary: 'Save a reply: personal, or shared with every agent (admins)',
      tags: ['saved replies'],
      access: 'user',
      writes: true,
      body: CreateSavedReplyInput,
      response: SavedReply,
      status: 201,
      handler: ({ body, principal }) => createSavedReply(ctx, principal!, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/saved-replies/:id',
      summary: 'Change a saved reply: your own personal one, or (admins) a shared one',
      tags: ['saved replies'],
      access: 'user',
      writes: true,
      params: IdParams,
      body: PatchSavedReplyInput,
      response: SavedReply,
      handler: ({ params, body, principal }) => updateSavedReply(ctx, principal!, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/saved-replies/:id',
      summary: 'Remove a saved reply: your own personal one, or (admins) a shared one',
      tags: ['saved replies'],
      access: 'user',
      writes: true,
      params: IdParams,
      response: Ok,
      handler: async ({ params, principal }) => {
        await deleteSavedReply(ctx, principal!, params.id);
        return { ok: true as const };
      },
    }),
  ];
}
