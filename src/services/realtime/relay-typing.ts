/**
 * "Ana is typing…" and "the customer is typing…": ephemeral frames, never stored, pushed through
 * the hub to the sockets of the conversation's audiences. Rate-limited (one per conversation per
 * sender per interval): a client that sends a frame per keystroke costs one fan-out a second.
 */
import type { Principal } from '../auth/principal.js';
import type { ServiceContext } from '../context.js';
import { readConversation } from '../conversations/read-conversations.js';
import { AGENTS, contactAudience } from './audiences.js';
import type { RealtimeHub } from './hub.js';

/** At most one typing frame per key per this many ms. */
export const TYPING_INTERVAL_MS = 1_000;

export interface RateLimiter {
  /** True when `key` may go now (and remember it); false within the interval of the last one. */
  allow(key: string, now: number): boolean;
}

export function createRateLimiter(intervalMs: number, maxKeys = 10_000): RateLimiter {
  const last = new Map<string, number>();
  return {
    allow(key, now) {
      const at = last.get(key);
      if (at !== undefined && now - at < intervalMs) return false;
      if (last.size >= maxKeys) {
        for (const [k, t] of last) if (now - t >= intervalMs) last.delete(k);
        // Still full: the oldest insertion goes (Map keeps insertion order).
        if (last.size >= maxKeys) last.delete(last.keys().next().value ?? '');
      }
      last.delete(key);
      last.set(key, now);
      return true;
    },
  };
}

/**
 * Relay a typing signal from `principal` in `conversationId`. Throws not_found for a conversation
 * the principal cannot see (a customer's foreign id, like every widget route). Returns whether a
 * frame went out (false when rate-limited).
 */
export async function relayTyping(
  deps: { readonly ctx: ServiceContext; readonly hub: RealtimeHub; readonly limiter: RateLimiter },
  principal: Principal,
  input: { readonly conversationId: string; readonly private?: boolean },
): Promise<boolean> {
  const { ctx, hub, limiter } = deps;
  if (principal.kind === 'customer') {
    const conversation = await readConversation(ctx, input.conversationId, { contactId: principal.contactId });
    if (!limiter.allow(`contact:${principal.contactId}:${conversation.id}`, ctx.clock.now())) return false;
    hub.broadcast({ audiences: [AGENTS], type: 'typing', conversationId: conversation.id, data: { author: 'contact', contactId: principal.contactId } });
    return true;
  }
  const conversation = await readConversation(ctx, input.conversationId);
  const userId = principal.kind === 'user' ? principal.userId : null;
  if (!limiter.allow(`user:${userId ?? 'admin-token'}:${conversation.id}`, ctx.clock.now())) return false;
  const user = userId === null ? undefined : (await ctx.workspace.current()).model.users.get(userId);
  const isPrivate = input.private ?? false;
  hub.broadcast({ audiences: [AGENTS], type: 'typing', conversationId: conversation.id, data: { author: 'user', userId, name: user?.name ?? null, private: isPrivate } });
  // Drafting an internal note is nothing the customer should hear about; otherwise they see a
  // first name only (as in "Ana joined the conversation").
  if (!isPrivate) {
    const firstName = user === undefined ? null : (user.name.split(' ')[0] ?? user.name);
    hub.broadcast({ audiences: [contactAudience(conversation.contactId)], type: 'typing', conversationId: conversation.id, data: { author: 'user', name: firstName } });
  }
  return true;
}
