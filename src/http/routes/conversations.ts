/** Conversations for people and integrations (docs/api.md "Conversations"). */
import { z } from 'zod';
import {
  AssignInput,
  ClaimInput,
  Conversation,
  ConversationCounts,
  ConversationCountsQuery,
  ConversationEvent,
  ConversationList,
  HandoffInput,
  IdParams,
  ListConversationsQuery,
  Message,
  MessagesQuery,
  PatchConversationInput,
  PostMessageInput,
  RatingInput,
  StartConversationInput,
  TurnResult,
} from '../../contract/api.js';
import { HandoffTrace } from '../../contract/trace.js';
import { actorOf } from '../../services/auth/authenticate.js';
import { changeConversationStatus, type StatusAction } from '../../services/conversations/change-conversation-status.js';
import { claimConversation } from '../../services/conversations/claim-conversation.js';
import { actingUser } from '../../services/access/acting-user.js';
import { actsAsAdmin } from '../../services/access/acts-as-admin.js';
import { handOffOnRequest } from '../../services/handoff/hand-off-on-request.js';
import { patchConversation } from '../../services/conversations/patch-conversation.js';
import { postAgentMessage } from '../../services/conversations/post-agent-message.js';
import { postAssistantMessage } from '../../services/conversations/post-assistant-message.js';
import { handOffFromAssistant } from '../../services/handoff/hand-off-from-assistant.js';
import { rateConversation } from '../../services/conversations/rate-conversation.js';
import { releaseConversation } from '../../services/conversations/release-conversation.js';
import {
  countConversationViews,
  listConversationsView,
  presentConversationRecord,
  presentMessages,
  readConversationView,
  readEvents,
  readMessages,
} from '../../services/conversations/read-conversations.js';
import { searchConversationsView } from '../../services/conversations/search-conversations.js';
import { startConversation } from '../../services/conversations/start-conversation.js';
import { transferConversation } from '../../services/conversations/transfer-conversation.js';
import { BatonError } from '../../platform/errors.js';
import { checkBotReach } from '../../services/auth/bot-reach.js';
import { isBotPrincipal, type Principal } from '../../services/auth/principal.js';
import type { OwnershipViewer } from '../../services/conversations/require-ownership.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

// `status` is a comma-separated list on the wire; the service parses it (one status or several).
const StatusParam = z.string().optional().describe('one status or several separated by commas: bot, queued, assigned, waiting_on_customer, resolved, closed');
const ListQuery = ListConversationsQuery.extend({ status: StatusParam });
const CountsQuery = ConversationCountsQuery.extend({ status: StatusParam });
const ConversationWithTrace = z.object({ conversation: Conversation, handoff: HandoffTrace.nullable() });

/** Whose inbox views (`mine`, `team`) a list or count is for: a person, or nobody for a token. */
function viewerOf(principal: Principal | null): string | null {
  return principal?.kind === 'user' ? principal.userId : null;
}

function requireUser(principal: Principal | null): Principal {
  if (principal === null) throw new BatonError('unauthorized', 'sign in or send a bearer token');
  return principal;
}

/** Who the ownership policy is asked about (`viewerCan`, and the checks of each action). */
function ownershipViewerOf(principal: Principal | null): OwnershipViewer | null {
  if (principal === null || principal.kind === 'customer' || isBotPrincipal(principal)) return null;
  return actingUser(principal);
}

export function conversationRoutes({ ctx }: RouteDeps): AnyRoute[] {
  /** `handoff`: the trace the request just produced, when it handed off (else read). */
  const present = async (principal: Principal | null, conversation: Parameters<typeof presentConversationRecord>[1], handoff?: HandoffTrace | null) =>
    presentConversationRecord(ctx, conversation, { viewer: ownershipViewerOf(principal), ...(handoff === undefined || handoff === null ? {} : { handoff }) });

  const statusRoute = (action: StatusAction, url: string, summary: string) =>
    defineRoute({
      method: 'POST',
      url: `/api/conversations/:id/${url}`,
      summary,
      tags: ['conversations'],
      access: 'user',
      writes: true,
      params: IdParams,
      response: Conversation,
      handler: async ({ params, principal }) =>
        present(principal, await changeConversationStatus(ctx, { conversationId: params.id, action, actor: actorOf(principal), viewer: ownershipViewerOf(principal) })),
    });

  return [
    defineRoute({
      method: 'GET',
      url: '/api/conversations',
      summary: 'List conversations, newest activity first (cursor-paginated); `view=` narrows to an inbox view of the caller; `q=` searches, best first, with a snippet',
      tags: ['conversations'],
      access: 'user',
      query: ListQuery,
      response: ConversationList,
      handler: async ({ query, principal }) => {
        const q = query.q;
        return q !== undefined && q.trim() !== ''
          ? searchConversationsView(ctx, { ...(query as ListConversationsQuery), q }, viewerOf(principal), ownershipViewerOf(principal))
          : listConversationsView(ctx, query as ListConversationsQuery, viewerOf(principal), ownershipViewerOf(principal));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/counts',
      summary: 'How many conversations each inbox view (mine, unassigned, team, all, bot, resolved) holds for the caller, under the same filters as the list',
      tags: ['conversations'],
      access: 'user',
      query: CountsQuery,
      response: ConversationCounts,
      handler: async ({ query, principal }) => countConversationViews(ctx, query as ConversationCountsQuery, viewerOf(principal)),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations',
      summary: 'Start a conversation for a contact (in_app and api channels)',
      tags: ['conversations'],
      access: 'user',
      writes: true,
      body: StartConversationInput,
      response: TurnResult,
      status: 201,
      handler: async ({ body, principal }) => {
        const loaded = await ctx.workspace.current();
        const outcome = await startConversation(ctx, { channelId: body.channel, contact: body.contact, message: body.message, actor: actorOf(principal) });
        return {
          conversation: await presentConversationRecord(ctx, outcome.conversation, {
            viewer: ownershipViewerOf(principal),
            contact: outcome.contact,
            ...(outcome.handoff === null || outcome.handoff === undefined ? {} : { handoff: outcome.handoff }),
          }),
          messages: presentMessages(loaded, outcome.contact, outcome.messages),
          handoff: outcome.handoff,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id',
      summary: 'One conversation with its handoff record and trace',
      tags: ['conversations'],
      access: 'user',
      params: IdParams,
      response: Conversation,
      bot: true,
      handler: async ({ params, principal }) => {
        await checkBotReach(ctx, principal, params.id);
        return readConversationView(ctx, params.id, ownershipViewerOf(principal));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/messages',
      summary: 'Messages and internal notes, in order (`after` = last seq seen); a bot token reads the public messages only',
      tags: ['conversations'],
      access: 'user',
      params: IdParams,
      query: MessagesQuery,
      response: z.array(Message),
      bot: true,
      // Internal notes are the team's own words, never a bot's input.
      handler: async ({ params, query, principal }) => {
        await checkBotReach(ctx, principal, params.id);
        return readMessages(ctx, params.id, { after: query.after, includePrivate: !isBotPrincipal(principal) });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/messages',
      summary: 'Reply to the customer, or add an internal note (`private: true`); a bot token answers as the AI agent (409 once the conversation left `bot`)',
      tags: ['conversations'],
      access: 'user',
      writes: true,
      bot: true,
      params: IdParams,
      body: PostMessageInput,
      response: Message,
      status: 201,
      handler: async ({ params, body, principal }) => {
        await checkBotReach(ctx, principal, params.id);
        if (isBotPrincipal(principal)) {
          const message = await postAssistantMessage(ctx, { conversationId: params.id, body: body.body, private: body.private, data: { source: 'bot' } });
          return presentMessages(await ctx.workspace.current(), null, [message])[0];
        }
        const { userId } = actingUser(requireUser(principal));
        const { message } = await postAgentMessage(ctx, { conversationId: params.id, userId, body: body.body, private: body.private });
        const loaded = await ctx.workspace.current();
        const [presented] = presentMessages(loaded, null, [message]);
        return presented;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/handoff',
      summary: 'Hand off now (workflow_flag unless another trigger is given); a bot token only while the conversation is in `bot` (409 after)',
      tags: ['conversations'],
      access: 'user',
      writes: true,
      bot: true,
      params: IdParams,
      body: HandoffInput,
      response: ConversationWithTrace,
      handler: async ({ params, body, principal }) => {
        await checkBotReach(ctx, principal, params.id);
        const note = [body.reason, body.note].filter((s) => s !== undefined && s !== '').join(' — ') || null;
        const trigger = body.trigger ?? 'workflow_flag';
        if (isBotPrincipal(principal)) {
          const handed = await handOffFromAssistant(ctx, {
            conversationId: params.id,
            trigger,
            note,
            ...(body.summary === undefined ? {} : { summary: { text: body.summary, source: 'bot' as const } }),
          });
          if (handed.outcome === 'not_bot') throw new BatonError('conflict', `the conversation is ${handed.status}, no longer with the AI agent: the bot may not hand it off`);
          return { conversation: await present(principal, handed.conversation, handed.trace), handoff: handed.trace };
        }
        const outcome = await handOffOnRequest(ctx, {
          conversationId: params.id,
          trigger,
          note,
          actor: actorOf(principal),
          ...(body.summary === undefined ? {} : { summary: { text: body.summary, source: 'api' as const } }),
        });
        return { conversation: await present(principal, outcome.conversation, outcome.handoff), handoff: outcome.handoff };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/claim',
      summary: 'The caller takes it; 409 naming the holder when someone else holds it, unless `takeOver: true` (its team, its leads and admins; audited, the holder is told)',
      tags: ['conversations'],
      access: 'user',
      writes: true,
      params: IdParams,
      body: ClaimInput,
      response: Conversation,
      handler: async ({ params, body, principal }) => {
        const { userId, isAdmin } = actingUser(requireUser(principal));
        if (userId === null) throw new BatonError('forbidden', 'The bootstrap admin token is not a person and cannot claim; use a user token.');
        return present(principal, await claimConversation(ctx, { conversationId: params.id, userId, isAdmin, takeOver: body.takeOver }));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/assign',
      summary: 'Transfer to a user, a team or a queue',
      tags: ['conversations'],
      access: 'user',
      writes: true,
      params: IdParams,
      body: AssignInput,
      response: ConversationWithTrace,
      handler: async ({ params, body, principal }) => {
        const viewer = actingUser(requireUser(principal));
        const result = await transferConversation(ctx, { conversationId: params.id, to: body, actor: actorOf(principal), viewer });
        return { conversation: await present(principal, result.conversation), handoff: result.trace };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/release',
      summary: 'Back to its queue',
      tags: ['conversations'],
      access: 'user',
      writes: true,
      params: IdParams,
      response: Conversation,
      handler: async ({ params, principal }) => {
        const viewer = actingUser(requireUser(principal));
        return present(principal, await releaseConversation(ctx, { conversationId: params.id, actor: actorOf(principal), viewer }));
      },
    }),
    statusRoute('handback', 'handback', 'Back to the AI agent'),
    statusRoute('resolve', 'resolve', 'Resolve'),
    statusRoute('reopen', 'reopen', 'Reopen a resolved conversation'),
    statusRoute('wait', 'wait', 'Waiting on the customer'),
    defineRoute({
      method: 'PATCH',
      url: '/api/conversations/:id',
      summary: 'Priority, tags, properties (may fire workflow_flag)',
      tags: ['conversations'],
      access: 'user',
      writes: true,
      params: IdParams,
      body: PatchConversationInput,
      response: ConversationWithTrace,
      handler: async ({ params, body, principal }) => {
        const result = await patchConversation(ctx, { conversationId: params.id, patch: body, actor: actorOf(principal) });
        return { conversation: await present(principal, result.conversation, result.handoff), handoff: result.handoff };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/rating',
      summary:
        "CSAT 1–5 after resolution, for in_app and api conversations: the customer's app gives the customer's rating (a user token, or a bot token of the channel); once per resolution (409 for a second), again after a reopen and a new resolution",
      tags: ['conversations'],
      access: 'user',
      writes: true,
      bot: true,
      params: IdParams,
      body: RatingInput,
      response: Conversation,
      handler: async ({ params, body, principal }) => {
        await checkBotReach(ctx, principal, params.id);
        const rated = await rateConversation(ctx, {
          conversationId: params.id,
          score: body.score,
          comment: body.comment ?? null,
          actor: actorOf(principal),
          source: 'api',
          channelTypes: ['in_app', 'api'],
        });
        return present(principal, rated);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/conversations/:id/events',
      summary:
        "Every status change, assignment, handoff and notification, in order; a handoff's recorded decision input (`data.input` of `handoff.completed`: every agent's state, for replay) to admins only",
      tags: ['conversations'],
      access: 'user',
      params: IdParams,
      query: MessagesQuery,
      response: z.array(ConversationEvent),
      handler: async ({ params, query, principal }) => readEvents(ctx, params.id, query.after, { decisionInput: principal !== null && actsAsAdmin(principal) }),
    }),
  ];
}
