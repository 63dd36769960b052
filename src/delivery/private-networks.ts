import type { ServiceContext } from '../services/context.js';
import type { OutboxItem } from '../store/repositories/outbox.js';
import { configRevisionAt } from '../store/repositories/config.js';

/**
 * Whether a delivery may reach a private or loopback address: only when the workspace allowed it
 * both now and when the delivery was queued. Switching `notifications.allowPrivateNetworks` on
 * must not release what was queued while it was off (a delivery queued to 169.254.169.254 went
 * out once the setting changed).
 */
export async function privateNetworksAllowed(ctx: ServiceContext, item: OutboxItem, allowedNow: boolean, causedAt?: number): Promise<boolean> {
  if (!allowedNow) return false;
  // A webhook row is written when its event is processed: the event's own time is when it was queued.
  const queuedAt = causedAt !== undefined && Number.isFinite(causedAt) ? Math.min(causedAt, item.createdAt) : item.createdAt;
  const then = await configRevisionAt(ctx.database.db, queuedAt);
  const document = then?.document as { notifications?: { allowPrivateNetworks?: unknown } } | undefined;
  return document?.notifications?.allowPrivateNetworks === true;
}
