import type { Executor } from '../../src/store/database.js';
import { createContact } from '../../src/store/repositories/contacts.js';
import { createConversation } from '../../src/store/repositories/conversations.js';

/** A contact and a chat conversation of theirs written straight to the store (no workspace needed); its id. */
export async function aStoredConversation(db: Executor): Promise<string> {
  const contact = await createContact(db, { name: 'Ada', now: 1 });
  return (await createConversation(db, { channelId: 'web', channelType: 'chat', contactId: contact.id, now: 1 })).id;
}
