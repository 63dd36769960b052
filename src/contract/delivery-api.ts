/**
 * Outbound deliveries (docs/api.md "Tasks, notifications, reports") and per-user notification
 * preferences: request and response shapes.
 */
import { z } from 'zod';

// ── notification preferences ────────────────────────────────────────────────────────────────────

/** The channels a person can switch for themselves; webhooks belong to the workspace. */
export const PreferenceChannel = z.enum(['in_app', 'email', 'slack']);
export type PreferenceChannel = z.infer<typeof PreferenceChannel>;

/** What a handoff notifies about (`handoff.<reason>` of the trace's planned notifications). */
export const NotificationType = z.enum(['handoff.assigned', 'handoff.queued', 'handoff.alert', 'handoff.sla_breach']);
export type NotificationType = z.infer<typeof NotificationType>;

export const ChannelSwitches = z.object({ in_app: z.boolean(), email: z.boolean(), slack: z.boolean() });
export type ChannelSwitches = z.infer<typeof ChannelSwitches>;

/** Every type with every channel, defaults (on) filled in. */
export const NotificationPreferences = z.object({
  userId: z.string(),
  types: z.record(NotificationType, ChannelSwitches),
  updatedAt: z.string().nullable(),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

/**
 * `PUT` replaces the user's choices: a type or channel left out is on again. Unknown types and
 * channels are refused (422), so a typo does not silently leave a channel on.
 */
export const NotificationPreferencesInput = z.strictObject({
  types: z.partialRecord(NotificationType, z.strictObject({ in_app: z.boolean().optional(), email: z.boolean().optional(), slack: z.boolean().optional() })),
});
export type NotificationPreferencesInput = z.infer<typeof NotificationPreferencesInput>;

export const UserIdParams = z.object({ id: z.string().min(1) });

// ── deliveries ──────────────────────────────────────────────────────────────────────────────────

export const DeliveryStatus = z.enum(['pending', 'processing', 'done', 'failed', 'dead', 'cancelled']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** `notify.email`, `deliver.webhook` …: the outbox kinds that leave the process or reach a person. */
export const DeliveryKind = z.string().regex(/^(notify|deliver)\.[a-z_]+$/, 'must be a delivery kind such as notify.email or deliver.webhook');

export const DeliveriesQuery = z.object({
  /** One status or several, comma-separated (`failed,dead`). */
  status: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''))
    .pipe(z.array(DeliveryStatus).min(1))
    .optional(),
  kind: DeliveryKind.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});
export type DeliveriesQuery = z.infer<typeof DeliveriesQuery>;

export const Delivery = z.object({
  id: z.string(),
  kind: z.string(),
  status: DeliveryStatus,
  /** Attempts started so far (a retry by a person starts again from 0). */
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** When the worker tries next (pending, failed; for processing, when its lease ends); null when settled. */
  nextAttemptAt: z.string().nullable(),
  /** Stable across attempts: the receiver's de-duplication key (`webhook-id`, `Message-ID`). */
  idempotencyKey: z.string(),
  conversationId: z.string().nullable(),
  /** The notification or event type (`handoff.assigned`, `conversation.assigned`). */
  type: z.string().nullable(),
  /** Users a notification is for. */
  recipients: z.array(z.string()),
  /** A webhook's URL without query or credentials. */
  target: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryList = z.object({ items: z.array(Delivery), nextCursor: z.string().nullable() });
export type DeliveryList = z.infer<typeof DeliveryList>;
