import type { DeliveriesQuery, Delivery, DeliveryList } from '../../contract/delivery-api.js';
import { listDeliveryItems } from '../../store/repositories/deliveries.js';
import type { OutboxItem } from '../../store/repositories/outbox.js';
import type { ServiceContext } from '../context.js';
import { decodeCreatedAtCursor, encodeCreatedAtCursor } from '../present/created-at-cursor.js';
import { iso } from '../present/present-conversation.js';

function field(payload: unknown, name: string): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[name] : undefined;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A URL as shown to people: no credentials, no query (either may hold a token). */
function safeTarget(url: string | null): string | null {
  if (url === null) return null;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return null;
  }
}

/**
 * What the deliveries list shows of an outbox row. Payloads are as stored (written by Baton, in
 * shapes that may change between releases), so each field is read defensively.
 */
export function presentDelivery(item: OutboxItem): Delivery {
  const body = field(item.payload, 'body');
  const recipients = field(item.payload, 'recipients');
  const settled = item.status === 'done' || item.status === 'dead';
  return {
    id: item.id,
    kind: item.kind,
    status: item.status,
    attempts: item.attempts,
    lastError: item.lastError,
    nextAttemptAt: settled ? null : iso(item.availableAt),
    idempotencyKey: item.idempotencyKey,
    conversationId: str(field(item.payload, 'conversationId')) ?? str(field(field(body, 'data'), 'conversationId')),
    type: str(field(item.payload, 'type')) ?? str(field(body, 'type')),
    recipients: Array.isArray(recipients) ? recipients.filter((r): r is string => typeof r === 'string') : [],
    target: safeTarget(str(field(item.payload, 'url'))),
    createdAt: iso(item.createdAt),
    updatedAt: iso(item.updatedAt),
  };
}

/** `GET /api/deliveries`: newest first, filtered by status and kind, cursor-paginated. */
export async function listDeliveries(ctx: ServiceContext, query: DeliveriesQuery): Promise<DeliveryList> {
  const items = await listDeliveryItems(ctx.database.db, {
    ...(query.status === undefined ? {} : { statuses: query.status }),
    ...(query.kind === undefined ? {} : { kind: query.kind }),
    ...(query.cursor === undefined ? {} : { before: decodeCreatedAtCursor(query.cursor) }),
    limit: query.limit + 1,
  });
  const page = items.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(presentDelivery), nextCursor: items.length > query.limit && last ? encodeCreatedAtCursor(last) : null };
}
