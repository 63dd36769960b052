import { z } from 'zod';
import { LanguageTag } from './common.js';

/**
 * Saved replies (docs/api.md "Tasks, notifications, reports"): text an agent inserts
 * into the composer, shared by the workspace (admins write those) or personal (only its owner
 * sees it), with one body per language and the variables of the rules' customer messages.
 */

/** A body is a reply, not a document: bounded so one row and one list stay small. */
export const SAVED_REPLY_BODY_MAX = 5_000;
/** At most this many languages per reply. */
export const SAVED_REPLY_LANGUAGES_MAX = 20;

export const SavedReplyBodies = z
  .record(LanguageTag, z.string().trim().min(1).max(SAVED_REPLY_BODY_MAX))
  .refine((bodies) => Object.keys(bodies).length >= 1, 'needs a body in at least one language')
  .refine((bodies) => Object.keys(bodies).length <= SAVED_REPLY_LANGUAGES_MAX, `at most ${SAVED_REPLY_LANGUAGES_MAX} languages`);
export type SavedReplyBodies = z.infer<typeof SavedReplyBodies>;

/** What is typed after `/` to pick the reply: `refund`, `vip-hello`. */
export const SavedReplyShortcut = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, - and _, at most 32 characters');

export const CreateSavedReplyInput = z.strictObject({
  title: z.string().trim().min(1).max(120),
  shortcut: SavedReplyShortcut.nullable().default(null),
  /** Shared with every agent (admins only) or personal to the caller. */
  shared: z.boolean().default(false),
  /** The language used when the conversation's language has no body of its own. */
  defaultLanguage: LanguageTag,
  bodies: SavedReplyBodies,
});
export type CreateSavedReplyInput = z.infer<typeof CreateSavedReplyInput>;

export const PatchSavedReplyInput = z.strictObject({
  title: z.string().trim().min(1).max(120).optional(),
  shortcut: SavedReplyShortcut.nullable().optional(),
  defaultLanguage: LanguageTag.optional(),
  bodies: SavedReplyBodies.optional(),
});
export type PatchSavedReplyInput = z.infer<typeof PatchSavedReplyInput>;

export const SavedReply = z.object({
  id: z.string(),
  title: z.string(),
  shortcut: z.string().nullable(),
  shared: z.boolean(),
  /** The user a personal reply belongs to; null when shared. */
  owner: z.string().nullable(),
  defaultLanguage: z.string(),
  bodies: z.record(z.string(), z.string()),
  /** With `?conversation=`: the body in the conversation's language, variables filled. */
  rendered: z.object({ language: z.string(), body: z.string() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedReply = z.infer<typeof SavedReply>;

export const SavedReplyList = z.object({ items: z.array(SavedReply) });
export type SavedReplyList = z.infer<typeof SavedReplyList>;

export const SavedRepliesQuery = z.object({ conversation: z.string().min(1).max(100).optional() });
export type SavedRepliesQuery = z.infer<typeof SavedRepliesQuery>;
