import { z } from 'zod';
import { Conversation } from './api.js';

/**
 * `POST /api/channels/{id}/inbound`.
 * The hook takes the raw message (`Content-Type: message/rfc822`), or this JSON for relays that
 * parse mail themselves (Mailgun/Postmark-style routes, a script).
 */
export const InboundEmailJson = z.strictObject({
  /** The sender's address. */
  from: z.email(),
  fromName: z.string().max(200).optional(),
  subject: z.string().max(998).default(''),
  /** The plain-text body; quoted history is trimmed by Baton. */
  text: z.string().max(1_000_000),
  /** RFC 5322 Message-ID, with or without angle brackets: the same id twice is stored once. */
  messageId: z.string().min(3).max(998),
  inReplyTo: z.string().max(998).optional(),
  /** The References header: ids separated by spaces, or a list. */
  references: z.union([z.string().max(20_000), z.array(z.string().max(998)).max(500)]).optional(),
});
export type InboundEmailJson = z.infer<typeof InboundEmailJson>;

export const InboundEmailOutcome = z.object({
  /** `created`: a new conversation; `appended`: a reply in an existing one; `duplicate`: this Message-ID was already stored. */
  outcome: z.enum(['created', 'appended', 'duplicate']),
  conversation: Conversation,
  /** The stored message's id. */
  messageId: z.string(),
});
export type InboundEmailOutcome = z.infer<typeof InboundEmailOutcome>;

export const ChannelIdParams = z.object({ id: z.string().min(1) });
