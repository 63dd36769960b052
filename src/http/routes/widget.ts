/**
 * The customer's side (docs/api.md "Customers"): the chat widget and the customer's own app. A
 * customer token reaches only its own contact's conversations — every read and write below is
 * scoped by the token's contact, and a foreign id answers 404, not 403, so ids do not leak.
 */
import { z } from 'zod';
import { IdParams, Message, MessagesQuery, RatingInput, WidgetMessageInput, WidgetSession, WidgetSessionInput, WidgetStartInput } from '../../contract/api.js';
import { BatonError } from '../../platform/errors.js';
import { handOffOnRequest } from '../../services/handoff/hand-off-on-request.js';
import { rateConversation } from '../../services/conversations/rate-conversation.js';
import { CustomerConversation, presentCustomerConversation, presentMessages, readConversation, readMessages } from '../../services/conversations/read-conversations.js';
import { receiveCustomerMessage, type TurnOutcome } from '../../services/conversations/receive-customer-message.js';
import { startConversation } from '../../services/conversations/start-conversation.js';
import { listCustomerConversations, startWidgetSession } from '../../services/conversations/start-widget-session.js';
import type { Principal } from '../../services/auth/principal.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

const CustomerTurn = z.object({ conversation: CustomerConversation, messages: z.array(Message) });

function customerOf(principal: Principal | null): { contactId: string; channelId: string } {
  if (principal?.kind !== 'customer') throw new BatonError('forbidden', 'this endpoint takes a customer session token');
  return principal;
}

export function widgetRoutes({ ctx }: RouteDeps): AnyRoute[] {
  const turn = async (outcome: TurnOutcome) => {
    const loaded = outcome.workspace ?? (await ctx.workspace.current());
    return {
      conversation: await presentCustomerConversation(ctx, outcome.conversation, loaded),
      // Internal notes never reach the customer.
      messages: presentMessages(loaded, outcome.contact, outcome.messages.filter((m) => !m.private)),
    };
  };

  return [
    defineRoute({
      method: 'POST',
      url: '/api/widget/sessions',
      summary: 'A customer session for a channel: a token that reaches only this contact',
      tags: ['widget'],
      access: 'public',
      // Anyone on the internet may open a session: a page cannot mint them by the thousand.
      rateLimit: { max: 20, per: 'address' },
      writes: true,
      body: WidgetSessionInput,
      response: WidgetSession,
      status: 201,
      handler: ({ body }) => startWidgetSession(ctx, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/widget/conversations',
      summary: "The customer's conversations, newest first",
      tags: ['widget'],
      access: 'customer',
      response: z.array(CustomerConversation),
      handler: ({ principal }) => listCustomerConversations(ctx, customerOf(principal).contactId),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/widget/conversations',
      summary: 'Start a conversation (optionally with the first message)',
      tags: ['widget'],
      access: 'customer',
      rateLimit: { max: 30, per: 'credentials' },
      writes: true,
      body: WidgetStartInput,
      response: CustomerTurn,
      status: 201,
      handler: async ({ body, principal }) => {
        const customer = customerOf(principal);
        const outcome = await startConversation(ctx, {
          channelId: customer.channelId,
          contact: { id: customer.contactId },
          ...(body.message === undefined ? {} : { message: body.message }),
          actor: `contact:${customer.contactId}`,
        });
        return turn(outcome);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/widget/conversations/:id',
      summary: 'Where the conversation stands: status, queue position, expected wait, who joined',
      tags: ['widget'],
      access: 'customer',
      params: IdParams,
      response: CustomerConversation,
      handler: async ({ params, principal }) => {
        const { contactId } = customerOf(principal);
        return presentCustomerConversation(ctx, await readConversation(ctx, params.id, { contactId }));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/widget/conversations/:id/messages',
      summary: 'The customer writes; the answer (AI reply or handoff) comes back',
      tags: ['widget'],
      access: 'customer',
      rateLimit: { max: 30, per: 'credentials' },
      writes: true,
      params: IdParams,
      body: WidgetMessageInput,
      response: CustomerTurn,
      status: 201,
      handler: async ({ params, body, principal }) => {
        const { contactId } = customerOf(principal);
        return turn(await receiveCustomerMessage(ctx, { conversationId: params.id, body: body.body, contactId }));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/widget/conversations/:id/human',
      summary: 'The "Talk to a person" button',
      tags: ['widget'],
      access: 'customer',
      rateLimit: { max: 10, per: 'credentials' },
      writes: true,
      params: IdParams,
      response: CustomerTurn,
      handler: async ({ params, principal }) => {
        const { contactId } = customerOf(principal);
        const current = await readConversation(ctx, params.id, { contactId });
        // Pressed twice, or already with people: nothing to do, say where it stands.
        if (current.status !== 'bot') {
          return { conversation: await presentCustomerConversation(ctx, current), messages: [] };
        }
        const outcome = await handOffOnRequest(ctx, {
          conversationId: params.id,
          trigger: 'customer_requested_human',
          note: 'pressed "Talk to a person"',
          actor: `contact:${contactId}`,
          contactId,
        });
        return turn(outcome);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/widget/conversations/:id/messages',
      summary: 'Catch up: public messages after `after` (the last seq seen)',
      tags: ['widget'],
      access: 'customer',
      params: IdParams,
      query: MessagesQuery,
      response: z.array(Message),
      handler: async ({ params, query, principal }) => {
        const { contactId } = customerOf(principal);
        return readMessages(ctx, params.id, { after: query.after, includePrivate: false, contactId });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/widget/conversations/:id/rating',
      summary: 'CSAT 1–5 after resolution; once per resolution (409 for a second), again after a reopen and a new resolution',
      tags: ['widget'],
      access: 'customer',
      writes: true,
      params: IdParams,
      body: RatingInput,
      response: CustomerConversation,
      handler: async ({ params, body, principal }) => {
        const { contactId } = customerOf(principal);
        const rated = await rateConversation(ctx, { conversationId: params.id, score: body.score, comment: body.comment ?? null, actor: `contact:${contactId}`, contactId, source: 'widget' });
        return presentCustomerConversation(ctx, rated);
      },
    }),
  ];
}
