import { CONVERSATION_PREVIEW_MAX, type Contact, type Conversation, type Message } from '../../contract/api.js';
import type { WorkspaceModel } from '../../core/model.js';
import { allowedActions, ownershipTeam, type OwnershipViewer } from '../../core/ownership.js';
import type { HandoffTrace } from '../../contract/trace.js';
import type { ContactRecord } from '../../store/repositories/contacts.js';
import type { ConversationRecord } from '../../store/repositories/conversations.js';

/** API output shapes (contract/api.ts) from store records. Instants become ISO strings here, once. */

export const iso = (at: number): string => new Date(at).toISOString();
export const isoOrNull = (at: number | null): string | null => (at === null ? null : iso(at));

export function presentContact(contact: ContactRecord): Contact {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    language: contact.language,
    timezone: contact.timezone,
    owner: contact.ownerId,
    properties: { ...contact.properties },
    test: contact.isTest,
  };
}

/** Who is looking, for `viewerCan` (null: nobody in particular — a webhook or bot payload). */
export interface PresentFor {
  readonly model: WorkspaceModel;
  readonly viewer: OwnershipViewer | null;
  /** Why it waits (services/handoff/gave-away.ts), read by the caller for queued conversations. */
  readonly waitingReason?: string | null;
}

/** What the inbox's reads add: the row's latest message and the customer's wait (read-conversations.ts). */
export interface ConversationActivityView {
  readonly lastMessage: Pick<MessageLike, 'author' | 'authorId' | 'body' | 'createdAt'> & { readonly private: boolean } | null;
  readonly customerWaitingSince: number | null;
}

/**
 * `handoff`: the latest handoff's trace (stored on its event: repositories/events.ts latestHandoffTraces).
 * `holder` and `viewerCan` come from the one ownership policy (core/ownership.ts), so the app shows
 * exactly what the server would allow.
 */
export function presentConversation(
  conversation: ConversationRecord,
  contact: ContactRecord,
  handoff: HandoffTrace | null,
  forWhom: PresentFor,
  activity?: ConversationActivityView,
): Conversation {
  const { model, viewer } = forWhom;
  const ownerId = conversation.ownerId;
  const last = activity?.lastMessage ?? null;
  return {
    id: conversation.id,
    channel: conversation.channelId,
    channelType: conversation.channelType,
    contact: presentContact(contact),
    status: conversation.status,
    owner: conversation.ownerId,
    team: conversation.teamId,
    queue: conversation.queueId,
    priority: conversation.priority,
    tags: [...conversation.tags],
    properties: { ...conversation.properties },
    language: conversation.language,
    intent: conversation.intent,
    subject: conversation.subject,
    handoff,
    handedOffAt: isoOrNull(conversation.handedOffAt),
    firstResponseDueAt: isoOrNull(conversation.firstResponseDueAt),
    firstHumanResponseAt: isoOrNull(conversation.firstHumanResponseAt),
    createdAt: iso(conversation.createdAt),
    updatedAt: iso(conversation.updatedAt),
    lastActivityAt: iso(conversation.lastActivityAt),
    resolvedAt: isoOrNull(conversation.resolvedAt),
    previousConversationId: conversation.previousConversationId,
    rating:
      conversation.csatScore === null
        ? null
        : {
            score: conversation.csatScore,
            comment: conversation.csatComment,
            current: conversation.csatResolutionSeq !== null && conversation.csatResolutionSeq === (conversation.resolutionSeq ?? 0),
          },
    version: conversation.version,
    holder: ownerId === null ? null : { id: ownerId, name: model.users.get(ownerId)?.name ?? ownerId },
    viewerCan:
      viewer === null
        ? null
        : allowedActions({ ownerId, status: conversation.status, team: ownershipTeam(model, conversation) }, viewer),
    waitingReason: forWhom.waitingReason ?? null,
    ...(activity !== undefined && {
      lastMessage:
        last === null
          ? null
          : {
              author: last.author,
              authorId: last.authorId,
              body: last.body.length > CONVERSATION_PREVIEW_MAX ? `${last.body.slice(0, CONVERSATION_PREVIEW_MAX - 1)}…` : last.body,
              private: last.private,
              createdAt: iso(last.createdAt),
            },
      customerWaitingSince: isoOrNull(activity.customerWaitingSince),
    }),
  };
}

export interface MessageLike {
  readonly id: string;
  readonly conversationId: string;
  readonly seq: number;
  readonly author: Message['author'];
  readonly authorId: string | null;
  readonly body: string;
  readonly isPrivate: boolean;
  readonly createdAt: number;
}

export function presentMessage(message: MessageLike, authorName: string | null): Message {
  return {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    author: message.author,
    authorId: message.authorId,
    authorName,
    body: message.body,
    private: message.isPrivate,
    createdAt: iso(message.createdAt),
  };
}
