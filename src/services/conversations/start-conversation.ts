/**
 * A new conversation on a channel, for a contact, optionally with the customer's first message.
 * On a channel without an AI agent it is handed off as it arrives (`no_assistant`),
 * so rules route it like any other. One transaction: contact, conversation, first turn.
 */
import type { ContactInput } from '../../contract/api.js';
import { isValidTimezone } from '../../core/schedule/zone-clock.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction, type Executor } from '../../store/database.js';
import { createContact, findOrCreateContactByExternalId, getContact, type ContactRecord } from '../../store/repositories/contacts.js';
import { createConversation } from '../../store/repositories/conversations.js';
import { appendEvent } from '../../store/repositories/events.js';
import { decideAndRecordHandoff } from '../handoff/decide-and-record-handoff.js';
import type { ServiceContext } from '../context.js';
import { customerTurn, type TurnOutcome } from './receive-customer-message.js';
import type { LoadedWorkspace } from '../workspace/workspace-cache.js';

export interface StartConversationInput {
  readonly channelId: string;
  /** An existing contact (customer token), or one to create. */
  readonly contact: { readonly id: string } | ContactInput;
  readonly message?: string;
  readonly actor: string;
  /** The email's subject (email channel). */
  readonly subject?: string | null;
  /** The first message's channel-side id and details (an email's Message-ID and headers). */
  readonly externalId?: string | null;
  readonly messageData?: Readonly<Record<string, unknown>>;
  /** The closed conversation the customer wrote to again (receive-customer-message.ts). */
  readonly previousConversationId?: string;
}

export async function startConversation(ctx: ServiceContext, input: StartConversationInput): Promise<TurnOutcome> {
  const outcome = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    return startConversationIn(trx, ctx, loaded, input);
  });
  ctx.afterCommit({ kind: 'outbox' });
  return outcome;
}

/** `startConversation` inside the caller's transaction (receive-email.ts de-duplicates in the same one). */
export async function startConversationIn(
  trx: Executor,
  ctx: ServiceContext,
  loaded: LoadedWorkspace,
  input: StartConversationInput,
): Promise<TurnOutcome> {
  const channel = loaded.model.channels.get(input.channelId);
  if (channel === undefined) {
    throw new BatonError('invalid', `unknown channel "${input.channelId}"`, { details: [{ path: 'channel', message: `unknown channel "${input.channelId}"` }] });
  }
  const now = ctx.clock.now();
  const contact = 'id' in input.contact ? await getContact(trx, input.contact.id) : await upsertContact(trx, loaded, input.contact, now);
  if (contact === null) throw notFound('contact', 'id' in input.contact ? input.contact.id : '');

  const created = await createConversation(trx, {
    channelId: channel.id,
    channelType: channel.type,
    contactId: contact.id,
    language: contact.language,
    subject: input.subject ?? null,
    previousConversationId: input.previousConversationId ?? null,
    now,
  });
  const createdEvent = await appendEvent(trx, {
    conversationId: created.id,
    type: 'conversation.created',
    actor: input.actor,
    data: { channel: channel.id, ...(input.previousConversationId === undefined ? {} : { previousConversationId: input.previousConversationId }) },
    now,
  });

  if (input.message !== undefined) {
    // Written by this transaction, so already its own: no other writer can see the row yet.
    return customerTurn(trx, ctx, loaded, { ...created, lastEventSeq: createdEvent?.seq ?? created.lastEventSeq }, input.message, input.externalId ?? null, input.messageData, { contact, created: true });
  }
  if (channel.assistant === 'none') {
    const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
      conversationId: created.id,
      trigger: 'no_assistant',
      soft: false,
      note: `channel ${channel.id} has no AI agent`,
      messageText: '',
      actor: 'system',
    });
    if (handed.outcome !== 'handed_off') throw new Error(`no_assistant handoff failed: ${handed.outcome}`);
    return { conversation: handed.conversation, contact: handed.contact, messages: handed.messages, handoff: handed.trace };
  }
  return { conversation: created, contact, messages: [], handoff: null };
}

/** The contact for `input`: by external id when given (the same customer twice is one contact), else new. */
export async function upsertContact(
  trx: Parameters<typeof createContact>[0],
  loaded: LoadedWorkspace,
  input: ContactInput,
  now: number,
): Promise<ContactRecord> {
  if (input.timezone !== undefined && !isValidTimezone(input.timezone)) {
    throw new BatonError('invalid', `unknown time zone "${input.timezone}"`, { details: [{ path: 'contact.timezone', message: 'must be an IANA time zone such as Europe/Madrid' }] });
  }
  if (input.owner !== undefined && input.owner !== null && !loaded.model.users.has(input.owner)) {
    throw new BatonError('invalid', `unknown user "${input.owner}"`, { details: [{ path: 'contact.owner', message: `unknown user "${input.owner}"` }] });
  }
  const fields = {
    name: input.name ?? null,
    email: input.email ?? null,
    language: input.language ?? null,
    timezone: input.timezone ?? null,
    ownerId: input.owner ?? null,
    properties: input.properties ?? {},
    isTest: input.test ?? false,
    now,
  };
  if (input.externalId !== undefined) {
    return (await findOrCreateContactByExternalId(trx, { ...fields, externalId: input.externalId })).contact;
  }
  return createContact(trx, fields);
}
