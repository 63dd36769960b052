import { ChannelIdParams, InboundEmailJson, InboundEmailOutcome } from '../../contract/email-api.js';
import { jsonEmail, parseMimeEmail } from '../../services/email/parse-email.js';
import { BatonError } from '../../platform/errors.js';
import { receiveEmail, requireEmailChannel } from '../../services/email/receive-email.js';
import { presentConversationRecord } from '../../services/conversations/read-conversations.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/**
 * The inbound email hook: for a relay that POSTs mail rather than speaking SMTP to
 * Baton. The same service as the SMTP listener. Admins only (an admin's API token with the
 * `admin` scope, or BATON_ADMIN_TOKEN): whoever can call it can write as any customer.
 */
export function emailInboundRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/channels/:id/inbound',
      summary: 'Receive an email on an email channel: raw MIME (Content-Type: message/rfc822) or JSON; 201 for a new conversation, 200 for a reply or a Message-ID already stored',
      tags: ['channels'],
      access: 'admin',
      writes: true,
      params: ChannelIdParams,
      body: InboundEmailJson,
      rawBody: ['message/rfc822'],
      response: InboundEmailOutcome,
      handler: async ({ params, body, reply }) => {
        requireEmailChannel((await ctx.workspace.current()).config, params.id);
        let email;
        if (Buffer.isBuffer(body)) {
          if (body.length === 0) throw new BatonError('invalid', 'the email is empty', { details: [{ path: 'body', message: 'required' }] });
          email = await parseMimeEmail(body);
        } else {
          email = jsonEmail(body);
        }
        const result = await receiveEmail(ctx, { channelId: params.id, email });
        const out: InboundEmailOutcome = {
          outcome: result.outcome,
          conversation: await presentConversationRecord(ctx, result.conversation, { viewer: null }),
          messageId: result.messageId,
        };
        return reply.status(result.outcome === 'created' ? 201 : 200).send(out);
      },
    }),
  ];
}
