import type { WidgetSession, WidgetSessionInput } from '../../contract/api.js';
import { BatonError } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { listConversations } from '../../store/repositories/conversations.js';
import { createCustomerSession } from '../auth/authenticate.js';
import type { ServiceContext } from '../context.js';
import { presentCustomerConversation, type CustomerConversation } from './read-conversations.js';
import { upsertContact } from './start-conversation.js';

/**
 * `POST /api/widget/sessions`: a visitor of a channel becomes a contact (found again by what
 * identifies them) and gets a customer token that reaches only that contact's conversations.
 */
export async function startWidgetSession(ctx: ServiceContext, input: WidgetSessionInput): Promise<WidgetSession> {
  const now = ctx.clock.now();
  const contact = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    if (!loaded.model.channels.has(input.channel)) {
      throw new BatonError('invalid', `unknown channel "${input.channel}"`, { details: [{ path: 'channel', message: 'unknown channel' }] });
    }
    // A public endpoint must not let a visitor pick an account manager, a test flag, or
    // another customer's external id (that would hand them that customer's conversations).
    const { owner: _owner, test: _test, externalId: _externalId, ...safe } = input.contact;
    return upsertContact(trx, loaded, safe, now);
  });
  const token = await createCustomerSession(ctx, contact.id, input.channel);
  return { token, contactId: contact.id };
}

/** `GET /api/widget/conversations`: the contact's own conversations, newest first, as the customer sees them. */
export async function listCustomerConversations(ctx: ServiceContext, contactId: string): Promise<CustomerConversation[]> {
  const page = await listConversations(ctx.database.db, { contactId, limit: 50 });
  return Promise.all(page.items.map((conversation) => presentCustomerConversation(ctx, conversation)));
}
