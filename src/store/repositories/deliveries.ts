import type { Executor } from '../database.js';
import { rowToOutboxItem, type OutboxItem, type OutboxStatus } from './outbox.js';

/**
 * The outbox rows that are deliveries — to a person (`notify.*`) or to an outside system
 * (`deliver.*`, and `bot.*`: a customer message to a webhook bot or a language model) — as opposed
 * to timers and internal fan-out (`timer.*`, `conversation.published`).
 */
export const DELIVERY_KIND_PREFIXES = ['notify.', 'deliver.', 'bot.'] as const;

export function isDeliveryKind(kind: string): boolean {
  return DELIVERY_KIND_PREFIXES.some((prefix) => kind.startsWith(prefix));
}

/** Newest first; page with `before` (the last item's createdAt and id). */
export async function listDeliveryItems(
  ex: Executor,
  options: {
    readonly statuses?: readonly OutboxStatus[];
    readonly kind?: string;
    readonly limit: number;
    readonly before?: { readonly createdAt: number; readonly id: string };
  },
): Promise<OutboxItem[]> {
  let q = ex
    .selectFrom('outbox')
    .selectAll()
    .where((eb) => eb.or(DELIVERY_KIND_PREFIXES.map((prefix) => eb('kind', 'like', `${prefix}%`))))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.max(1, Math.min(options.limit, 501)));
  if (options.statuses !== undefined && options.statuses.length > 0) q = q.where('status', 'in', options.statuses);
  if (options.kind !== undefined) q = q.where('kind', '=', options.kind);
  const before = options.before;
  if (before !== undefined) {
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]),
    );
  }
  return (await q.execute()).map(rowToOutboxItem);
}
