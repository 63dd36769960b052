import type { Executor } from '../../store/database.js';
import { appendMessage, type MessageRecord } from '../../store/repositories/messages.js';
import type { LoadedWorkspace } from '../workspace/workspace-cache.js';

const JOINED: Readonly<Record<string, string>> = {
  en: '{name} joined the conversation.',
  es: '{name} se ha unido a la conversación.',
  fr: '{name} a rejoint la conversation.',
  de: '{name} ist dem Gespräch beigetreten.',
  pt: '{name} entrou na conversa.',
};

/** "Ana joined the conversation" in the customer's language (PRODUCT §5: the customer is told). */
export async function announceJoin(
  trx: Executor,
  loaded: LoadedWorkspace,
  input: { readonly conversationId: string; readonly userId: string; readonly language: string | null; readonly now: number },
): Promise<MessageRecord | null> {
  const user = loaded.model.users.get(input.userId);
  if (user === undefined) return null;
  const language = (input.language ?? loaded.model.language).split('-')[0] ?? 'en';
  const template = JOINED[language] ?? JOINED.en ?? '{name} joined the conversation.';
  const firstName = user.name.split(' ')[0] ?? user.name;
  return appendMessage(trx, {
    conversationId: input.conversationId,
    author: 'system',
    body: template.replace('{name}', firstName),
    data: { kind: 'joined', user: user.id },
    now: input.now,
  });
}
