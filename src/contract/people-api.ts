import { z } from 'zod';
import { IdParams, Me, ReadNotificationsInput, Task, TokenScope } from './api.js';
import { Availability } from './common.js';

/**
 * REST shapes for people: who is signed in, their API tokens, their availability, their tasks
 * and their notification centre (docs/api.md "Authentication", "Tasks, notifications, reports").
 * The inputs shared with other modules live in api.ts; these are the ones only these routes use.
 */

/** `GET /api/me`: who the credentials belong to, with live availability (null for the bootstrap admin token, which is no user). */
export const MeWithStatus = Me.extend({ status: Availability.nullable() });
export type MeWithStatus = z.infer<typeof MeWithStatus>;

/** An API token as listed: never the secret (only its hash is stored). */
export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  userId: z.string(),
  scopes: z.array(TokenScope),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenList = z.object({ items: z.array(ApiToken) });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

export const UserTokenParams = IdParams.extend({ tokenId: z.string().min(1) });
export type UserTokenParams = z.infer<typeof UserTokenParams>;

/** `PATCH /api/users/{id}/status` answers with the status now in force. */
export const UserStatus = z.object({ id: z.string(), status: Availability });
export type UserStatus = z.infer<typeof UserStatus>;

export const TaskList = z.object({ items: z.array(Task) });
export type TaskList = z.infer<typeof TaskList>;

export const NotificationsQuery = z.object({
  /** `unread=true` lists only unread ones; the `unread` count is always of all unread. */
  unread: z.stringbool().default(false).describe('true lists only unread notifications (also 1/0, yes/no, on/off)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type NotificationsQuery = z.infer<typeof NotificationsQuery>;

const MAX_READ_IDS = 1_000;

/** Exactly one of `ids` (those) or `all: true` (every unread one of the caller's). */
export const MarkNotificationsReadInput = ReadNotificationsInput.superRefine((input, issue) => {
  const hasIds = input.ids !== undefined;
  const all = input.all === true;
  // Bounded so one request stays one statement under SQLite's parameter limit (32766).
  if (input.ids !== undefined && input.ids.length > MAX_READ_IDS) {
    issue.addIssue({ code: 'custom', path: ['ids'], message: `at most ${MAX_READ_IDS} ids at once; use all: true for everything` });
  }
  if (hasIds === all) {
    issue.addIssue({
      code: 'custom',
      path: hasIds ? ['all'] : ['ids'],
      message: hasIds ? 'give either ids or all: true, not both' : 'give the ids to mark read, or all: true',
    });
  }
}).describe('Either `ids` (those of the caller\'s notifications) or `all: true`.');
export type MarkNotificationsReadInput = z.infer<typeof MarkNotificationsReadInput>;

export const MarkedRead = z.object({
  /** How many of the caller's unread notifications this call marked read. */
  marked: z.number().int(),
  unread: z.number().int(),
});
export type MarkedRead = z.infer<typeof MarkedRead>;
