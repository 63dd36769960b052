/**
 * What `GET /api/realtime` sends and takes (docs/realtime.md): JSON frames `{seq, type,
 * conversationId, data}`. `seq` increases along the stream a connection sees, so a client that
 * reconnects with `?after=<the last seq it applied>` receives exactly what it missed, in order
 * (CW PR #13713: clients apply in order and resume by sequence). Ephemeral frames (`typing`) are
 * not stored and carry the seq of the last stored frame sent on that connection, so resuming from
 * them is safe; `stream.ready` opens every connection with the seq it starts after (and
 * `truncated: true` when frames after it were pruned). The server, the agent app and the widget
 * share these shapes.
 */
import { z } from 'zod';

export const StoredFrameType = z.enum([
  'message.created',
  'conversation.updated',
  'handoff.started',
  'handoff.completed',
  'conversation.assigned',
  'queue.position',
  'notification.created',
]);
export type StoredFrameType = z.infer<typeof StoredFrameType>;

export const RealtimeFrame = z.object({
  seq: z.number().int().min(0),
  type: z.union([StoredFrameType, z.enum(['typing', 'stream.ready'])]),
  conversationId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type RealtimeFrame = z.infer<typeof RealtimeFrame>;

/** What a client may send on the socket (besides pongs): typing, rate-limited per connection. */
export const ClientFrame = z.object({
  type: z.literal('typing'),
  conversationId: z.string().min(1),
  /** An agent drafting an internal note: shown to agents only. */
  private: z.boolean().optional(),
});
export type ClientFrame = z.infer<typeof ClientFrame>;

/** `GET /api/realtime?after=&token=` */
export const RealtimeQuery = z.object({
  after: z.coerce.number().int().min(0).optional(),
  token: z.string().min(1).optional(),
});
export type RealtimeQuery = z.infer<typeof RealtimeQuery>;
