import { z } from 'zod';

/** Ids are lowercase slugs (docs/configuration.md). */
export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a lowercase slug (a-z, 0-9, "-", "_")')
  .max(64);
export type Slug = z.infer<typeof Slug>;

/**
 * The largest version or sequence number a client may ask for: those columns are `integer` on
 * PostgreSQL (at most 2^31 − 1), where a larger number fails the query instead of finding nothing.
 */
export const MAX_STORED_INTEGER = 2_147_483_647;

const DURATION_UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
/** The longest duration a workspace may hold: beyond it, instants stop being dates. */
export const MAX_DURATION_SECONDS = 366 * 86_400;

/** `30s`, `5m`, `2h`, `3d`, at most `366d` (docs/configuration.md, "Types"). */
export const Duration = z
  .string()
  .regex(/^\d{1,9}(s|m|h|d)$/, { message: 'must be a duration such as 30s, 5m, 2h or 3d (at most 366d)', abort: true })
  .refine(
    (text) => Number(text.slice(0, -1)) * DURATION_UNIT_SECONDS[text.slice(-1) as keyof typeof DURATION_UNIT_SECONDS] <= MAX_DURATION_SECONDS,
    'must be at most 366d (a year)',
  );
export type Duration = z.infer<typeof Duration>;

export const ChannelType = z.enum(['chat', 'email', 'in_app', 'api']);
export type ChannelType = z.infer<typeof ChannelType>;

export const Role = z.enum(['admin', 'agent']);
export type Role = z.infer<typeof Role>;

export const Availability = z.enum(['available', 'away', 'offline']);
export type Availability = z.infer<typeof Availability>;

export const Strategy = z.enum(['round_robin', 'least_busy', 'manual']);
export type Strategy = z.infer<typeof Strategy>;

export const Priority = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof Priority>;

export const ConversationStatus = z.enum(['bot', 'queued', 'assigned', 'waiting_on_customer', 'resolved', 'closed']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const Trigger = z.enum([
  'customer_requested_human',
  'unsupported_topic',
  'intent_or_keyword',
  'workflow_flag',
  'negative_sentiment',
  'sla_breach',
  'no_assistant',
]);
export type Trigger = z.infer<typeof Trigger>;

export const AssignmentBehaviour = z.enum(['keep_owner_and_alert', 'reassign', 'unassign_to_queue']);
export type AssignmentBehaviour = z.infer<typeof AssignmentBehaviour>;

export const NotifyChannel = z.enum(['in_app', 'email', 'slack', 'webhook']);
export type NotifyChannel = z.infer<typeof NotifyChannel>;

export const TaskType = z.enum(['callback', 'internal_note', 'check_in']);
export type TaskType = z.infer<typeof TaskType>;

export const TaskStatus = z.enum(['open', 'done', 'cancelled']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const MessageAuthor = z.enum(['contact', 'assistant', 'user', 'system']);
export type MessageAuthor = z.infer<typeof MessageAuthor>;

/** Language tag as written by people: `en`, `es`, `pt-BR`. Compared by primary subtag. */
export const LanguageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or pt-BR');
export type LanguageTag = z.infer<typeof LanguageTag>;

export const ErrorCode = z.enum([
  'invalid',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'over_capacity',
  'unavailable',
  'internal',
  'too_large',
  'unsupported_media_type',
  'rate_limited',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorDetail = z.object({ path: z.string(), message: z.string() });
export type ErrorDetail = z.infer<typeof ErrorDetail>;

export const ErrorBody = z.object({
  error: z.object({ code: ErrorCode, message: z.string(), details: z.array(ErrorDetail).optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
